// The protocol core's storage on Prisma. Lookups that decide whether a token still
// works are cached for at most CACHE_MS, so a suspension, a revoked grant or a
// revoked token takes effect within a second on every instance.
import { prisma } from "../db";
import type {
  AuthorizationCodeRecord,
  ClientRecord,
  GrantRecord,
  GrantType,
  OAuthStore,
  RefreshTokenRecord,
} from "../oauth/store";
import { composeAccessTokenRevoked, composeAuthorizationCodeUse, composeRefreshTokenUse } from "../oauth/store";
import { env } from "../env";
import { burnPasswordCheck, verifyPassword } from "./passwords";
import { createSqliteHotPathStore } from "./sqlite-oauth-store";
import { TtlCache } from "./ttl-cache";
import { normalizeEmail } from "./users";

const CACHE_MS = 500;
const FLUSH_MS = 2_000;
const split = (s: string) => s.split(" ").filter(Boolean);

function toCodeRecord(row: {
  id: string; clientId: string; userId: string; grantId: string | null; redirectUri: string; scope: string;
  codeChallenge: string | null; codeChallengeMethod: string | null; nonce: string | null; authTime: Date;
  expiresAt: Date; consumedAt: Date | null; familyId: string | null;
}): AuthorizationCodeRecord {
  return { ...row, scope: split(row.scope) };
}

/** Marks the code consumed unless it already was; the record as it was before. */
async function consumeCode(codeHash: string, familyId: string, at: Date): Promise<AuthorizationCodeRecord | null> {
  const row = await prisma.authorizationCode.findUnique({ where: { codeHash } });
  if (!row) return null;
  if (row.consumedAt) return toCodeRecord(row);
  const won = await prisma.authorizationCode.updateMany({
    where: { id: row.id, consumedAt: null },
    data: { consumedAt: at, familyId },
  });
  if (won.count === 1) return toCodeRecord(row);
  const now = await prisma.authorizationCode.findUnique({ where: { id: row.id } });
  return now ? toCodeRecord(now) : null;
}

function toRefreshRecord(row: {
  id: string; familyId: string; clientId: string; userId: string | null; grantId: string | null; scope: string;
  authTime: Date | null; nonce: string | null; expiresAt: Date; rotatedAt: Date | null; revokedAt: Date | null;
}): RefreshTokenRecord {
  return { ...row, scope: split(row.scope) };
}

/** Counters and last-used stamps kept in memory and written in batches. */
class UsageBuffer {
  private tokens = new Map<string, number>(); // `${clientId} ${day}` -> count
  private lastToken = new Map<string, Date>();
  private secretsUsed = new Map<string, Date>();
  private timer: NodeJS.Timeout | null = null;

  tokenIssued(clientId: string, at: Date) {
    const key = `${clientId} ${at.toISOString().slice(0, 10)}`;
    this.tokens.set(key, (this.tokens.get(key) ?? 0) + 1);
    this.lastToken.set(clientId, at);
    this.schedule();
  }

  secretUsed(secretId: string, at: Date) {
    this.secretsUsed.set(secretId, at);
    this.schedule();
  }

  private schedule() {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush().catch((err) => console.error("[latchkey] usage flush failed", err));
    }, FLUSH_MS);
    this.timer.unref();
  }

  async flush(): Promise<void> {
    const tokens = this.tokens;
    const lastToken = this.lastToken;
    const secrets = this.secretsUsed;
    this.tokens = new Map();
    this.lastToken = new Map();
    this.secretsUsed = new Map();
    const ops = [];
    for (const [key, count] of tokens) {
      const [clientId = "", day = ""] = key.split(" ");
      ops.push(
        prisma.clientUsageDay.upsert({
          where: { clientId_day: { clientId, day } },
          create: { clientId, day, tokens: count },
          update: { tokens: { increment: count } },
        }),
      );
    }
    for (const [id, at] of lastToken) ops.push(prisma.client.updateMany({ where: { id }, data: { lastTokenAt: at } }));
    for (const [id, at] of secrets) ops.push(prisma.clientSecret.updateMany({ where: { id }, data: { lastUsedAt: at } }));
    if (ops.length) await prisma.$transaction(ops);
  }
}

export function createPrismaStore(): OAuthStore & { flush(): Promise<void> } {
  const clients = new TtlCache<ClientRecord | null>(CACHE_MS);
  const grantsActive = new TtlCache<boolean>(CACHE_MS);
  const familiesRevoked = new TtlCache<boolean>(CACHE_MS);
  const jtisRevoked = new TtlCache<boolean>(CACHE_MS);
  const usage = new UsageBuffer();

  async function loadClient(id: string): Promise<ClientRecord | null> {
    const row = await prisma.client.findUnique({
      where: { id },
      include: {
        redirectUris: { select: { uri: true } },
        secrets: { where: { revokedAt: null }, select: { id: true, secretHash: true, expiresAt: true, revokedAt: true } },
      },
    });
    if (!row) return null;
    return {
      id: row.id,
      name: row.name,
      type: row.type as ClientRecord["type"],
      status: row.status as ClientRecord["status"],
      grantTypes: split(row.grantTypes) as GrantType[],
      scopes: split(row.scopes),
      redirectUris: row.redirectUris.map((r) => r.uri),
      secrets: row.secrets.map((s) => ({ id: s.id, hash: s.secretHash, expiresAt: s.expiresAt, revokedAt: s.revokedAt })),
    };
  }

  return {
    getClient: (id) => clients.get(id, () => loadClient(id)),
    markSecretUsed: (id, at) => usage.secretUsed(id, at),
    recordTokenIssued: (clientId, at) => usage.tokenIssued(clientId, at),
    flush: () => usage.flush(),

    async getUserClaims(userId) {
      const user = await prisma.user.findUnique({ where: { id: userId } });
      if (!user) return null;
      return {
        sub: user.id,
        email: user.email,
        email_verified: user.emailVerified !== null,
        name: user.name ?? undefined,
        updated_at: Math.floor(user.updatedAt.getTime() / 1000),
      };
    },

    async verifyUserPassword(username, password) {
      const user = await prisma.user.findUnique({
        where: { email: normalizeEmail(username) },
        select: { id: true, passwordHash: true },
      });
      if (!user?.passwordHash) {
        await burnPasswordCheck(password);
        return null;
      }
      return (await verifyPassword(user.passwordHash, password)) ? user.id : null;
    },

    async getGrant(userId, clientId) {
      const row = await prisma.grant.findFirst({
        where: { userId, clientId, revokedAt: null },
        orderBy: { createdAt: "desc" },
      });
      return row ? { id: row.id, userId, clientId, scopes: split(row.scopes) } : null;
    },

    async saveGrant(userId, clientId, scopes, at): Promise<GrantRecord> {
      const existing = await prisma.grant.findFirst({ where: { userId, clientId, revokedAt: null } });
      if (existing) {
        const merged = [...new Set([...split(existing.scopes), ...scopes])];
        await prisma.grant.update({ where: { id: existing.id }, data: { scopes: merged.join(" "), lastUsedAt: at } });
        return { id: existing.id, userId, clientId, scopes: merged };
      }
      const row = await prisma.grant.create({ data: { userId, clientId, scopes: scopes.join(" "), lastUsedAt: at } });
      return { id: row.id, userId, clientId, scopes };
    },

    isGrantActive: (grantId) =>
      grantsActive.get(grantId, async () => {
        const row = await prisma.grant.findUnique({ where: { id: grantId }, select: { revokedAt: true } });
        return row !== null && row.revokedAt === null;
      }),

    async saveAuthorizationCode(codeHash, code) {
      await prisma.authorizationCode.create({ data: { ...code, codeHash, scope: code.scope.join(" ") } });
    },

    async consumeAuthorizationCode(codeHash, familyId, at) {
      return composeAuthorizationCodeUse(this, await consumeCode(codeHash, familyId, at));
    },

    async createTokenFamily(family, at) {
      await prisma.tokenFamily.create({ data: { ...family, createdAt: at } });
    },

    async revokeTokenFamily(familyId, at) {
      await prisma.$transaction([
        prisma.tokenFamily.updateMany({ where: { id: familyId, revokedAt: null }, data: { revokedAt: at } }),
        prisma.refreshToken.updateMany({ where: { familyId, revokedAt: null }, data: { revokedAt: at } }),
      ]);
      familiesRevoked.delete(familyId);
    },

    isTokenFamilyRevoked: (familyId) =>
      familiesRevoked.get(familyId, async () => {
        const row = await prisma.tokenFamily.findUnique({ where: { id: familyId }, select: { revokedAt: true } });
        return row === null || row.revokedAt !== null;
      }),

    async saveRefreshToken(tokenHash, token) {
      await prisma.refreshToken.create({ data: { ...token, id: tokenHash, scope: token.scope.join(" ") } });
    },

    async findRefreshToken(tokenHash) {
      const row = await prisma.refreshToken.findUnique({ where: { id: tokenHash } });
      return row ? toRefreshRecord(row) : null;
    },

    findRefreshTokenUse(tokenHash) {
      return composeRefreshTokenUse(this, tokenHash);
    },

    async rotateRefreshToken(oldId, newHash, next, at) {
      return prisma.$transaction(async (tx) => {
        const won = await tx.refreshToken.updateMany({
          where: { id: oldId, rotatedAt: null, revokedAt: null },
          data: { rotatedAt: at },
        });
        if (won.count !== 1) return false;
        await tx.refreshToken.create({ data: { ...next, id: newHash, scope: next.scope.join(" "), createdAt: at } });
        return true;
      });
    },

    async revokeAccessToken(jti, expiresAt, at) {
      await prisma.revokedAccessToken.upsert({
        where: { jti },
        create: { jti, expiresAt, revokedAt: at },
        update: {},
      });
      jtisRevoked.delete(jti);
    },

    isAccessTokenRevokedAnywhere(jti, familyId, grantId) {
      return composeAccessTokenRevoked(this, jti, familyId, grantId);
    },

    isAccessTokenRevoked: (jti) =>
      jtisRevoked.get(jti, async () => (await prisma.revokedAccessToken.count({ where: { jti } })) > 0),
  };
}

/**
 * The store of the running server. On SQLite the token-path queries run as
 * better-sqlite3 prepared statements on their own connection; the rest, and all of
 * PostgreSQL, go through Prisma.
 */
export function createOAuthStore(): OAuthStore & { flush(): Promise<void> } {
  const prismaStore = createPrismaStore();
  const { databaseKind, databaseUrl } = env();
  if (databaseKind !== "sqlite") return prismaStore;
  const { close: _close, ...hotPath } = createSqliteHotPathStore(databaseUrl.replace(/^file:/, ""), CACHE_MS);
  return { ...prismaStore, ...hotPath };
}
