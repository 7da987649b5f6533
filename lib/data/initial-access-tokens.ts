// RFC 7591 §3 initial access tokens: what a client presents to register when the
// registration policy is "token". Shown once at creation, stored only as a hash.
import { prisma } from "../db";
import { INITIAL_ACCESS_TOKEN_PREFIX } from "../oauth/registration";
import { hashToken, randomToken } from "../oauth/tokens";

export interface InitialAccessTokenSummary {
  id: string;
  label: string;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

const summary = { id: true, label: true, createdAt: true, expiresAt: true, revokedAt: true, lastUsedAt: true } as const;

/** A new token (`expiresAt` null: no expiry); the raw token is returned once, never stored. */
export async function createInitialAccessToken(label: string, expiresAt: Date | null): Promise<{ token: string; id: string }> {
  const token = INITIAL_ACCESS_TOKEN_PREFIX + randomToken(32);
  const row = await prisma.initialAccessToken.create({
    data: { tokenHash: hashToken(token), label, expiresAt },
    select: { id: true },
  });
  return { token, id: row.id };
}

/** Every token, newest first, without its hash. */
export async function listInitialAccessTokens(): Promise<InitialAccessTokenSummary[]> {
  return prisma.initialAccessToken.findMany({ select: summary, orderBy: { createdAt: "desc" } });
}

/** False when there is no such token or it was already revoked. */
export async function revokeInitialAccessToken(id: string): Promise<boolean> {
  const result = await prisma.initialAccessToken.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
  return result.count > 0;
}

/** Whether `token` is a live initial access token (not revoked, not expired); marks it used. */
export async function verifyInitialAccessToken(token: string, now = new Date()): Promise<boolean> {
  if (!token.startsWith(INITIAL_ACCESS_TOKEN_PREFIX)) return false;
  // Looked up by its SHA-256: the raw token is never compared or stored.
  const result = await prisma.initialAccessToken.updateMany({
    where: { tokenHash: hashToken(token), revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
    data: { lastUsedAt: now },
  });
  return result.count > 0;
}
