import "server-only";
import { prisma } from "../db";
import { changeEmailMail, emailTakenMail, passwordResetMail, verifyEmailMail } from "../mail/messages";
import { sendMail } from "../mail/send";
import { recordAudit, type Actor } from "./audit";
import { endUserOpSessions } from "./op-sessions";
import { hashPassword, verifyPassword } from "./passwords";
import { consumeUserToken, issueUserToken } from "./user-tokens";
import { normalizeEmail, revokePasswordGrantTokens } from "./users";

import { AccountError } from "./account-deletion";

export { AccountError, deleteAccount, deletionPlan, type DeletionPlan } from "./account-deletion";

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
  const now = new Date();
  await revokePasswordGrantTokens(userId, now);
  await endUserOpSessions(userId, now, keepSessionId);
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
  await revokePasswordGrantTokens(holder.userId, now);
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
  // The answer is the same either way (no probing which addresses have accounts): a taken
  // address gets a notice instead of a link.
  if (await prisma.user.findUnique({ where: { email }, select: { id: true } })) {
    await sendMail(emailTakenMail(email));
    await recordAudit(actor, "user.email_change_requested", userId, { from: user.email, to: email, taken: true });
    return;
  }
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
