// Back-channel logout deliveries (OpenID Connect Back-Channel Logout 1.0): one row per app
// to notify when an OP session ends, sent by lib/server/backchannel-logout.ts right away and
// retried with backoff until delivered or given up.
import { prisma } from "../db";

export type LogoutDeliveryStatus = "pending" | "delivered" | "failed";

/** Attempts before a delivery is marked failed. */
export const MAX_LOGOUT_ATTEMPTS = 5;
/** How long one instance holds a delivery it is sending before another may try it. */
const LEASE_MS = 60_000;

export interface LogoutDeliverySummary {
  id: string;
  uri: string;
  status: LogoutDeliveryStatus;
  attempts: number;
  lastError: string;
  createdAt: Date;
  deliveredAt: Date | null;
  nextAttemptAt: Date;
}

/** What sending one delivery needs: where, to whom, about which session, signed how. */
export interface LogoutDeliveryJob {
  id: string;
  clientId: string;
  userId: string;
  sessionId: string | null;
  uri: string;
  attempts: number;
  idTokenAlg: string;
}

type Dispatcher = (ids: string[]) => void;
const globalForDispatch = globalThis as unknown as { latchkeyLogoutDispatcher?: Dispatcher };

/**
 * The server process installs what sends new deliveries at once (kept on globalThis: Next's
 * bundles and server.ts load this module separately). Elsewhere (the CLI) rows wait for the
 * server's retry tick.
 */
export function setLogoutDispatcher(dispatch: Dispatcher | undefined): void {
  globalForDispatch.latchkeyLogoutDispatcher = dispatch;
}

/** Queues a delivery to each app of `sessionId` that registered a back-channel logout URI. */
export async function queueLogoutDeliveries(session: { id: string; userId: string }): Promise<string[]> {
  const links = await prisma.opSessionClient.findMany({
    where: { sessionId: session.id, client: { backchannelLogoutUri: { not: null } } },
    select: { clientId: true, client: { select: { backchannelLogoutUri: true } } },
  });
  const ids: string[] = [];
  for (const link of links) {
    const uri = link.client.backchannelLogoutUri;
    if (!uri) continue;
    const row = await prisma.logoutDelivery.create({
      data: { clientId: link.clientId, sessionId: session.id, userId: session.userId, uri },
      select: { id: true },
    });
    ids.push(row.id);
  }
  if (ids.length > 0) globalForDispatch.latchkeyLogoutDispatcher?.(ids);
  return ids;
}

/**
 * Takes a pending delivery for one attempt (a conditional write, so two instances never send
 * the same attempt), or null when it is not due or someone else has it.
 */
export async function claimLogoutDelivery(id: string, now = new Date()): Promise<LogoutDeliveryJob | null> {
  const claimed = await prisma.logoutDelivery.updateMany({
    where: { id, status: "pending", nextAttemptAt: { lte: now } },
    data: { attempts: { increment: 1 }, nextAttemptAt: new Date(now.getTime() + LEASE_MS) },
  });
  if (claimed.count === 0) return null;
  const row = await prisma.logoutDelivery.findUnique({
    where: { id },
    select: {
      id: true, clientId: true, userId: true, sessionId: true, uri: true, attempts: true,
      client: { select: { idTokenSignedResponseAlg: true } },
    },
  });
  if (!row) return null;
  return {
    id: row.id,
    clientId: row.clientId,
    userId: row.userId,
    sessionId: row.sessionId,
    uri: row.uri,
    attempts: row.attempts,
    idTokenAlg: row.client.idTokenSignedResponseAlg,
  };
}

export async function markLogoutDelivered(id: string, now = new Date()): Promise<void> {
  await prisma.logoutDelivery.update({ where: { id }, data: { status: "delivered", deliveredAt: now, lastError: "" } });
}

/** A failed attempt: retried after `retryDelay` seconds × 4^(attempts − 1), or failed for good. */
export async function markLogoutAttemptFailed(
  job: Pick<LogoutDeliveryJob, "id" | "attempts">,
  error: string,
  retryDelay: number,
  now = new Date(),
): Promise<LogoutDeliveryStatus> {
  const status: LogoutDeliveryStatus = job.attempts >= MAX_LOGOUT_ATTEMPTS ? "failed" : "pending";
  const wait = retryDelay * 1000 * 4 ** (job.attempts - 1);
  await prisma.logoutDelivery.update({
    where: { id: job.id },
    data: { status, lastError: error.slice(0, 500), nextAttemptAt: new Date(now.getTime() + wait) },
  });
  return status;
}

/** Ids of pending deliveries whose next attempt is due. */
export async function dueLogoutDeliveries(now = new Date(), limit = 50): Promise<string[]> {
  const rows = await prisma.logoutDelivery.findMany({
    where: { status: "pending", nextAttemptAt: { lte: now } },
    select: { id: true },
    orderBy: { nextAttemptAt: "asc" },
    take: limit,
  });
  return rows.map((r) => r.id);
}

/** The app's most recent deliveries, for its developers. */
export async function listLogoutDeliveries(clientId: string, limit = 10): Promise<LogoutDeliverySummary[]> {
  const rows = await prisma.logoutDelivery.findMany({
    where: { clientId },
    orderBy: { createdAt: "desc" },
    take: limit,
    select: { id: true, uri: true, status: true, attempts: true, lastError: true, createdAt: true, deliveredAt: true, nextAttemptAt: true },
  });
  return rows.map((r) => ({ ...r, status: r.status as LogoutDeliveryStatus }));
}

/** Forgets finished deliveries and ended sessions older than `before` (housekeeping). */
export async function deleteOldLogoutRecords(before: Date): Promise<void> {
  await prisma.logoutDelivery.deleteMany({ where: { status: { in: ["delivered", "failed"] }, createdAt: { lt: before } } });
  await prisma.opSession.deleteMany({ where: { endedAt: { lt: before } } });
}
