// Deleting an account, apart from the rest of the account code so that the CLI (which is not
// a server component) can run it too.
import { prisma } from "../db";
import { recordAudit, type Actor } from "./audit";
import { endUserOpSessions } from "./op-sessions";

/** A rule the user broke; its message is shown as is. */
export class AccountError extends Error {}

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
