// OpenID Provider sessions: one per portal sign-in, its id is the `sid` claim. Ending one
// queues back-channel logout tokens for every app that was issued tokens in it.
import { prisma } from "../db";
import type { LogoutClient } from "../oauth/end-session";
import { randomToken } from "../oauth/tokens";
import { queueLogoutDeliveries } from "./logout-deliveries";

export interface OpSessionSummary {
  id: string;
  userId: string;
  authTime: Date;
  amr: string[];
  acr: string;
  endedAt: Date | null;
}

export async function createOpSession(input: { userId: string; authTime: Date; amr?: string[]; acr?: string }): Promise<string> {
  const id = randomToken(24);
  await prisma.opSession.create({
    data: { id, userId: input.userId, authTime: input.authTime, amr: (input.amr ?? ["pwd"]).join(" "), acr: input.acr ?? "" },
  });
  return id;
}

export async function getOpSession(id: string): Promise<OpSessionSummary | null> {
  const row = await prisma.opSession.findUnique({ where: { id } });
  return row && { ...row, amr: row.amr.split(" ").filter(Boolean) };
}

/** Whether `id` is a session of `userId` that has not ended. */
export async function isOpSessionActive(id: string, userId: string): Promise<boolean> {
  const row = await prisma.opSession.findUnique({ where: { id }, select: { userId: true, endedAt: true } });
  return row !== null && row.userId === userId && row.endedAt === null;
}

/** Notes that `clientId` was issued a code or tokens in the session (idempotent). */
export async function recordSessionClient(sessionId: string, clientId: string): Promise<void> {
  try {
    await prisma.opSessionClient.upsert({
      where: { sessionId_clientId: { sessionId, clientId } },
      create: { sessionId, clientId },
      update: {},
    });
  } catch (err) {
    // P2003: the session or client is gone; P2002: a concurrent insert won.
    const code = (err as { code?: string }).code;
    if (code !== "P2003" && code !== "P2002") throw err;
  }
}

/**
 * Ends the session once (a second call does nothing) and queues its back-channel logout
 * deliveries. Returns the delivery ids, or null when it had already ended or does not exist.
 */
export async function endOpSession(id: string, now = new Date()): Promise<string[] | null> {
  const row = await prisma.opSession.findUnique({ where: { id }, select: { userId: true } });
  if (!row) return null;
  const ended = await prisma.opSession.updateMany({ where: { id, endedAt: null }, data: { endedAt: now } });
  if (ended.count === 0) return null;
  return queueLogoutDeliveries({ id, userId: row.userId });
}

/** Ends every open session of a user (an admin blocked them, the password changed), but `except`. */
export async function endUserOpSessions(userId: string, now = new Date(), except: string | null = null): Promise<number> {
  const open = await prisma.opSession.findMany({
    where: { userId, endedAt: null, ...(except ? { id: { not: except } } : {}) },
    select: { id: true },
  });
  let count = 0;
  for (const { id } of open) if ((await endOpSession(id, now)) !== null) count++;
  return count;
}

/** An app's registered post-logout redirect URIs (RP-Initiated Logout 1.0 §3), or null. */
export async function getLogoutClient(clientId: string): Promise<LogoutClient | null> {
  const row = await prisma.client.findUnique({ where: { id: clientId }, select: { id: true, postLogoutRedirectUris: true, status: true } });
  return row && { id: row.id, postLogoutRedirectUris: row.postLogoutRedirectUris.split(" ").filter(Boolean), active: row.status === "active" };
}
