import "server-only";
import { prisma } from "../db";
import { hashToken, randomToken } from "../oauth/tokens";

export type UserTokenPurpose = "password_reset" | "verify_email" | "change_email";

export const USER_TOKEN_TTL: Record<UserTokenPurpose, number> = {
  password_reset: 3600,
  verify_email: 7 * 24 * 3600,
  change_email: 24 * 3600,
};

/** A new single-use token (only its SHA-256 is stored); earlier unused ones of the same purpose end. */
export async function issueUserToken(userId: string, purpose: UserTokenPurpose, data = ""): Promise<string> {
  const token = randomToken(32);
  await prisma.$transaction([
    prisma.userToken.deleteMany({ where: { userId, purpose, usedAt: null } }),
    prisma.userToken.create({
      data: { userId, purpose, tokenHash: hashToken(token), data, expiresAt: new Date(Date.now() + USER_TOKEN_TTL[purpose] * 1000) },
    }),
  ]);
  return token;
}

export interface UserTokenHolder {
  id: string;
  userId: string;
  email: string;
  data: string;
}

async function findUsable(purpose: UserTokenPurpose, token: string): Promise<UserTokenHolder | null> {
  if (typeof token !== "string" || token.length < 16 || token.length > 128) return null;
  const row = await prisma.userToken.findUnique({
    where: { tokenHash: hashToken(token) },
    select: { id: true, userId: true, purpose: true, data: true, usedAt: true, expiresAt: true, user: { select: { email: true, role: true } } },
  });
  if (!row || row.purpose !== purpose || row.usedAt || row.expiresAt <= new Date() || row.user.role === "blocked") return null;
  return { id: row.id, userId: row.userId, email: row.user.email, data: row.data };
}

/** Whether the token would still work (to show its form), without using it. */
export function checkUserToken(purpose: UserTokenPurpose, token: string): Promise<UserTokenHolder | null> {
  return findUsable(purpose, token);
}

/** Uses the token once: of concurrent attempts, exactly one gets the holder. */
export async function consumeUserToken(purpose: UserTokenPurpose, token: string): Promise<UserTokenHolder | null> {
  const holder = await findUsable(purpose, token);
  if (!holder) return null;
  const { count } = await prisma.userToken.updateMany({
    where: { id: holder.id, usedAt: null, expiresAt: { gt: new Date() } },
    data: { usedAt: new Date() },
  });
  return count === 1 ? holder : null;
}
