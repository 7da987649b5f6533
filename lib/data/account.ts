import "server-only";
import { prisma } from "../db";
import { changeEmailMail, passwordResetMail, verifyEmailMail } from "../mail/messages";
import { sendMail } from "../mail/send";
import { recordAudit, type Actor } from "./audit";
import { endUserOpSessions } from "./op-sessions";
import { hashPassword, verifyPassword } from "./passwords";
import { consumeUserToken, issueUserToken } from "./user-tokens";
import { normalizeEmail } from "./users";

/** A rule the user broke; its message is shown as is. */
export class AccountError extends Error {}

const actorOf = (user: { id: string; email: string }): Actor => ({ id: user.id, label: user.email });

export interface AccountDetails {
  id: string;
  email: string;
  name: string | null;
  emailVerified: Date | null;
  /** The address waiting for confirmation, if a change was asked for. */
  pendingEmail: string | null;
}

export async function getAccount(userId: string): Promise<AccountDetails | null> {
  const user = await prisma.user.findUnique({ where: { id: userId }, select: { id: true, email: true, name: true, emailVerified: true } });
  if (!user) return null;
  const pending = await prisma.userToken.findFirst({
    where: { userId, purpose: "change_email", usedAt: null, expiresAt: { gt: new Date() } },
    orderBy: { createdAt: "desc" },
    select: { data: true },
  });
  return { ...user, pendingEmail: pending?.data ?? null };
}

export async function changeName(userId: string, name: string, actor: Actor): Promise<void> {
  const before = await prisma.user.findUnique({ where: { id: userId }, select: { name: true } });
  const next = name.trim() || null;
  await prisma.user.update({ where: { id: userId }, data: { name: next } });
  await recordAudit(actor, "user.name_changed", userId, { name: { from: before?.name ?? null, to: next } });
}

/** Sets a new password and signs out every other session of the user (`keepSessionId` stays). */
export async function changePassword(userId: string, current: string, next: string, actor: Actor, keepSessionId: string | null = null): Promise<boolean> {
  const user = await prisma.user.findUnique({ where: { id: userId }, select: { passwordHash: true } });
  if (!user?.passwordHash || !(await verifyPassword(user.passwordHash, current))) return false;
  await prisma.user.update({ where: { id: userId }, data: { passwordHash: await hashPassword(next) } });
  await endUserOpSessions(userId, new Date(), keepSessionId);
  await recordAudit(actor, "user.password_changed", userId);
  return true;
}

/** Mails a reset link when the address belongs to an account that may sign in; silent otherwise. */
export async function requestPasswordReset(email: string, ip: string, actor?: Actor): Promise<void> {
  const user = await prisma.user.findUnique({ where: { email: normalizeEmail(email) }, select: { id: true, email: true, role: true } });
  if (!user || user.role === "blocked") return;
  const token = await issueUserToken(user.id, "password_reset");
  await sendMail(passwordResetMail(user.email, token));
  await recordAudit(actor ?? actorOf(user), "user.password_reset_requested", user.id, { ip });
}

/** Sets the new password when the token is valid (once); false otherwise. */
export async function resetPasswordWithToken(token: string, password: string): Promise<boolean> {
  const holder = await consumeUserToken("password_reset", token);
  if (!holder) return false;
  const now = new Date();
  await prisma.user.update({
    where: { id: holder.userId },
    // Receiving the link proves the address.
    data: { passwordHash: await hashPassword(password), emailVerified: now },
  });
  await prisma.userToken.deleteMany({ where: { userId: holder.userId, purpose: "password_reset", usedAt: null } });
  await endUserOpSessions(holder.userId, now);
  await recordAudit(actorOf({ id: holder.userId, email: holder.email }), "user.password_reset_completed", holder.userId);
  return true;
}

/** Mails a verification link; false when the address is already verified. */
export async function sendVerificationEmail(userId: string): Promise<boolean> {
  const user = await prisma.user.findUnique({ where: { id: userId }, select: { email: true, emailVerified: true } });
  if (!user || user.emailVerified) return false;
  const token = await issueUserToken(userId, "verify_email");
  await sendMail(verifyEmailMail(user.email, token));
  await recordAudit(actorOf({ id: userId, email: user.email }), "user.verification_sent", userId);
  return true;
}

/** The verified address, or null when the token does not work. */
export async function verifyEmailWithToken(token: string): Promise<string | null> {
  const holder = await consumeUserToken("verify_email", token);
  if (!holder) return null;
  await prisma.user.update({ where: { id: holder.userId }, data: { emailVerified: new Date() } });
  await recordAudit(actorOf({ id: holder.userId, email: holder.email }), "user.email_verified", holder.userId, { email: holder.email });
  return holder.email;
}

export async function requestEmailChange(userId: string, newEmail: string, actor: Actor): Promise<void> {
  const email = normalizeEmail(newEmail);
  const user = await prisma.user.findUnique({ where: { id: userId }, select: { email: true } });
  if (!user) throw new AccountError("Your account no longer exists.");
  if (user.email === email) throw new AccountError("This is already your email.");
  if (await prisma.user.findUnique({ where: { email }, select: { id: true } })) throw new AccountError("An account with this email already exists.");
  const token = await issueUserToken(userId, "change_email", email);
  await sendMail(changeEmailMail(email, token));
  await recordAudit(actor, "user.email_change_requested", userId, { from: user.email, to: email });
}

/** The new address once the change is made, or null when the token does not work. */
export async function confirmEmailChange(token: string): Promise<string | null> {
  const holder = await consumeUserToken("change_email", token);
  if (!holder) return null;
  const email = holder.data;
  if (await prisma.user.findUnique({ where: { email }, select: { id: true } })) throw new AccountError("An account with this email already exists.");
  await prisma.user.update({ where: { id: holder.userId }, data: { email, emailVerified: new Date() } });
  await recordAudit(actorOf({ id: holder.userId, email }), "user.email_changed", holder.userId, { email: { from: holder.email, to: email } });
  return email;
}

export interface DeletionPlan {
  email: string;
  /** Owned apps with other members: transferred (by an admin) or to be transferred first (by the user). */
  shared: { id: string; name: string }[];
  /** Owned apps nobody else is on: deleted with the account. */
  solo: { id: string; name: string }[];
  /** The only admin cannot be deleted. */
  lastAdmin: boolean;
}

export async function deletionPlan(userId: string): Promise<DeletionPlan | null> {
  const user = await prisma.user.findUnique({
    where: { id: userId },
    select: { email: true, role: true, clients: { select: { id: true, name: true, _count: { select: { members: true } } }, orderBy: { name: "asc" } } },
  });
  if (!user) return null;
  const lastAdmin = user.role === "admin" && (await prisma.user.count({ where: { role: "admin" } })) <= 1;
  return {
    email: user.email,
    shared: user.clients.filter((c) => c._count.members > 0).map(({ id, name }) => ({ id, name })),
    solo: user.clients.filter((c) => c._count.members === 0).map(({ id, name }) => ({ id, name })),
    lastAdmin,
  };
}

/**
 * Deletes the user: their grants, tokens and sessions end, the apps they alone own are deleted,
 * and shared apps go to `transferTo` (an admin deleting them) or must have been transferred first.
 */
export async function deleteAccount(
  userId: string,
  actor: Actor,
  /** An admin deleting someone: every app of theirs goes to `transferTo`, or every one is deleted. */
  options: { transferTo?: string; deleteAllApps?: boolean } = {},
): Promise<DeletionPlan> {
  const plan = await deletionPlan(userId);
  if (!plan) throw new AccountError("No such user.");
  if (plan.lastAdmin) throw new AccountError(`${plan.email} is the last admin and cannot be deleted.`);
  if (options.transferTo === userId) throw new AccountError("Apps cannot be transferred to the account being deleted.");
  if (plan.shared.length > 0 && !options.transferTo && !options.deleteAllApps) {
    throw new AccountError(`Transfer these apps to a team member first: ${plan.shared.map((a) => a.name).join(", ")}.`);
  }
  const now = new Date();
  // Back-Channel Logout: the apps signed in through their sessions hear of it before the user
  // and the sessions are gone (deliveries keep only ids, so they outlive the user).
  await endUserOpSessions(userId, now);
  const all = [...plan.shared, ...plan.solo];
  const moved = options.transferTo ? all : [];
  const removed = options.transferTo ? [] : all;
  await prisma.$transaction(async (tx) => {
    if (options.transferTo) {
      const to = options.transferTo;
      for (const app of moved) {
        await tx.appMember.deleteMany({ where: { clientId: app.id, userId: to } });
        await tx.client.update({ where: { id: app.id }, data: { ownerId: to } });
      }
    }
    await tx.grant.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: now } });
    await tx.tokenFamily.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: now } });
    await tx.refreshToken.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: now } });
    await tx.authorizationCode.deleteMany({ where: { userId, consumedAt: null } });
    await tx.deviceAuthorization.updateMany({ where: { userId, consumedAt: null }, data: { status: "denied" } });
    await tx.client.deleteMany({ where: { id: { in: removed.map((a) => a.id) }, ownerId: userId } });
    await tx.user.delete({ where: { id: userId } });
  });
  await recordAudit(actor, "user.deleted", userId, {
    email: plan.email,
    appsDeleted: removed.map((a) => a.name),
    appsTransferred: moved.map((a) => a.name),
    ...(options.transferTo ? { transferredTo: actor.label } : {}),
  });
  return plan;
}
