// Pending authorization requests: kept on the server between /oauth/authorize, the
// sign-in page and the consent screen, which carry only the opaque id.
import { randomBytes } from "node:crypto";
import { prisma } from "../db";
import type { AuthorizationRequest } from "../oauth/authorize";

const PENDING_TTL_MS = 10 * 60 * 1000;

export interface PendingAuthorization {
  id: string;
  userId: string | null;
  request: AuthorizationRequest;
}

export async function savePendingAuthorization(request: AuthorizationRequest): Promise<string> {
  const id = randomBytes(24).toString("base64url");
  const now = Date.now();
  await prisma.authorizationRequest.create({
    data: {
      id,
      clientId: request.clientId,
      params: JSON.stringify(request),
      expiresAt: new Date(now + PENDING_TTL_MS),
    },
  });
  // Opportunistic clean-up of abandoned requests.
  if (Math.random() < 0.05) await prisma.authorizationRequest.deleteMany({ where: { expiresAt: { lt: new Date(now) } } });
  return id;
}

export async function getPendingAuthorization(id: string): Promise<PendingAuthorization | null> {
  if (!/^[A-Za-z0-9_-]{32}$/.test(id)) return null;
  const row = await prisma.authorizationRequest.findUnique({ where: { id } });
  if (!row || row.expiresAt < new Date()) return null;
  return { id: row.id, userId: row.userId, request: JSON.parse(row.params) as AuthorizationRequest };
}

export async function bindPendingAuthorization(id: string, userId: string): Promise<void> {
  await prisma.authorizationRequest.updateMany({ where: { id }, data: { userId } });
}

/** Removes the request for this user; false if it was already used, expired or not theirs. */
export async function takePendingAuthorization(id: string, userId: string): Promise<PendingAuthorization | null> {
  const pending = await getPendingAuthorization(id);
  if (!pending || pending.userId !== userId) return null;
  const { count } = await prisma.authorizationRequest.deleteMany({ where: { id, userId } });
  return count === 1 ? pending : null;
}

export async function deletePendingAuthorization(id: string): Promise<void> {
  await prisma.authorizationRequest.deleteMany({ where: { id } });
}
