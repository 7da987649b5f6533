// The OAuth store on SQLite: every query a better-sqlite3 prepared statement on the
// store's own connection (a few microseconds each, where the same query through
// Prisma's query compiler costs a few hundred), writes group-committed. Rows are read
// and written in the format Prisma's SQLite adapter uses, so the portal's Prisma
// client shares the tables: DateTime as ISO 8601 text with "+00:00".
import Database from "better-sqlite3";
import type {
  ApiRecord,
  AuthorizationCodeRecord,
  AuthorizationCodeRedeemed,
  AuthorizationCodeUse,
  ClientRecord,
  CodeRedemption,
  DeviceAuthorizationUse,
  DevicePoll,
  GrantRecord,
  GrantType,
  NewAuthorizationCode,
  NewRefreshToken,
  OAuthStore,
  RefreshTokenUse,
  StoreLifecycle,
  TokenFamily,
  UserClaims,
} from "../oauth/store";
import { firstRefreshTokenOf, isCodeRedeemable, isJwsAlg, isRedeemable, successorOf } from "../oauth/store";
import { onInvalidate } from "./cache-bus";
import { newRowId } from "./row-id";
import { contextColumns, grantRow, JOINED_USER_CLAIMS_SELECT, mergeGrant, rowReaders, split, USER_CLAIMS_SELECT, type Row } from "./store-rows";
import { burnPasswordCheck, verifyPassword } from "./passwords";
import { startCheckpointer, WriteBatcher } from "./sqlite-writes";
import { countSqliteStatements } from "./statement-counter";
import { TtlCache } from "./ttl-cache";
import { UsageBuffer, type UsageBatch } from "./usage-buffer";

const iso = (d: Date) => d.toISOString().replace("Z", "+00:00");
const str = (v: unknown) => v as string;
const dateOrNull = (v: unknown) => (v === null ? null : new Date(v as string));
const { toApi, toCode, toRefresh, toDevice, userClaims, grantAndUser, familyRevoked } = rowReaders((v) => new Date(v as string));

// Is the access token @jti, its family @familyId or its grant @grantId (each may be null) revoked?
const ACCESS_TOKEN_REVOKED = `(EXISTS (SELECT 1 FROM "RevokedAccessToken" WHERE jti = @jti)
  OR (@familyId IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "TokenFamily" WHERE id = @familyId AND revokedAt IS NULL))
  OR (@grantId IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "Grant" WHERE id = @grantId AND revokedAt IS NULL)))`;
// The grant and user of a code or refresh token, joined into the row that reads it.
const GRANT_AND_USER_COLUMNS = `g.id AS g_id, g.revokedAt AS g_revokedAt, ${JOINED_USER_CLAIMS_SELECT}`;
const joinGrantAndUser = (alias: string) =>
  `LEFT JOIN "Grant" g ON g.id = ${alias}.grantId LEFT JOIN "User" u ON u.id = ${alias}.userId`;

/** Whether the row's grant still stands (always, without one) and its user's claims. */

export interface SqliteStoreOptions {
  /** The SQLite database file Prisma also uses. */
  file: string;
  /** How long a client stays cached (changes also drop it at once in this process). */
  clientCacheMs: number;
  usageFlushMs?: number;
  /** Count statements for /metrics (LATCHKEY_COUNT_STATEMENTS=1). */
  countStatements?: boolean;
}

export function createSqliteOAuthStore(options: SqliteStoreOptions): OAuthStore & StoreLifecycle {
  const { file } = options;
  const db = new Database(file, { timeout: 0 });
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("foreign_keys = ON");
  if (options.countStatements) countSqliteStatements(db);
  const q = {
    client: db.prepare(
      `SELECT id, name, type, status, grantTypes, scopes, webOrigins, source, defaultScopes, metadataExpiresAt, idTokenSignedResponseAlg,
         tokensEndedAt
       FROM "Client" WHERE id = ?`,
    ),
    api: db.prepare(`SELECT identifier, name, scopes, accessTokenTtl FROM "Api" WHERE identifier = ?`),
    redirectUris: db.prepare(`SELECT uri FROM "RedirectUri" WHERE clientId = ? ORDER BY createdAt, id`).pluck(),
    secrets: db.prepare(
      `SELECT id, secretHash, expiresAt, revokedAt FROM "ClientSecret" WHERE clientId = ? AND revokedAt IS NULL`,
    ),
    user: db.prepare(`SELECT ${USER_CLAIMS_SELECT} FROM "User" WHERE id = ?`),
    // A blocked user (role "blocked") has no password grant either.
    userPassword: db.prepare(`SELECT id, passwordHash FROM "User" WHERE email = ? AND role <> 'blocked'`),
    activeGrant: db.prepare(
      `SELECT id, scopes, resources FROM "Grant" WHERE userId = ? AND clientId = ? AND revokedAt IS NULL
       ORDER BY createdAt DESC LIMIT 1`,
    ),
    updateGrant: db.prepare(`UPDATE "Grant" SET scopes = ?, resources = ?, lastUsedAt = ?, updatedAt = ? WHERE id = ?`),
    insertGrant: db.prepare(
      `INSERT INTO "Grant" (id, userId, clientId, scopes, resources, createdAt, updatedAt, lastUsedAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    insertCode: db.prepare(
      `INSERT INTO "AuthorizationCode" (id, codeHash, clientId, userId, grantId, redirectUri, scope, codeChallenge,
         codeChallengeMethod, nonce, resource, sessionId, acr, amr, claims, authTime, expiresAt, createdAt)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    codeUseByHash: db.prepare(
      `SELECT c.*, ${GRANT_AND_USER_COLUMNS} FROM "AuthorizationCode" c ${joinGrantAndUser("c")} WHERE c.codeHash = ?`,
    ),
    consumeCode: db.prepare(
      `UPDATE "AuthorizationCode" SET consumedAt = ?, familyId = ? WHERE id = ? AND consumedAt IS NULL`,
    ),
    insertDevice: db.prepare(
      `INSERT INTO "DeviceAuthorization" (id, deviceCodeHash, userCodeHash, clientId, scope, resource, interval, expiresAt, createdAt)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    deviceByUserCode: db.prepare(`SELECT * FROM "DeviceAuthorization" WHERE userCodeHash = ?`),
    deviceByDeviceCode: db.prepare(`SELECT * FROM "DeviceAuthorization" WHERE deviceCodeHash = ? AND clientId = ?`),
    decideDevice: db.prepare(
      `UPDATE "DeviceAuthorization" SET status = ?, userId = ?, grantId = ?, authTime = ?, sessionId = ?
       WHERE userCodeHash = ? AND status = 'pending' AND expiresAt > ?`,
    ),
    pollDevice: db.prepare(`UPDATE "DeviceAuthorization" SET lastPolledAt = ?, interval = ? WHERE id = ?`),
    consumeDevice: db.prepare(
      `UPDATE "DeviceAuthorization" SET consumedAt = ?, familyId = ?
       WHERE deviceCodeHash = ? AND status = 'approved' AND consumedAt IS NULL AND expiresAt > ?
       RETURNING *`,
    ),
    deviceGrantAndUser: db.prepare(
      `SELECT d.grantId, d.userId, ${GRANT_AND_USER_COLUMNS} FROM "DeviceAuthorization" d ${joinGrantAndUser("d")} WHERE d.id = ?`,
    ),
    insertFamily: db.prepare(
      `INSERT INTO "TokenFamily" (id, clientId, userId, grantId, createdAt) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (id) DO NOTHING`,
    ),
    revokeFamily: db.prepare(`UPDATE "TokenFamily" SET revokedAt = ? WHERE id = ? AND revokedAt IS NULL`),
    revokeFamilyTokens: db.prepare(
      `UPDATE "RefreshToken" SET revokedAt = ? WHERE familyId = ? AND revokedAt IS NULL`,
    ),
    insertRefresh: db.prepare(
      `INSERT INTO "RefreshToken" (id, familyId, clientId, userId, grantId, scope, resource, sessionId, acr, amr, claims,
         authTime, nonce, expiresAt, createdAt)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    // A refresh token's id is its SHA-256.
    refreshByHash: db.prepare(`SELECT * FROM "RefreshToken" WHERE id = ?`),
    // One statement instead of four (token, family, grant, user): each autocommit read
    // takes the WAL read lock with its own system calls.
    refreshUseByHash: db.prepare(
      `SELECT t.*, f.id AS f_id, f.revokedAt AS f_revokedAt, ${GRANT_AND_USER_COLUMNS}
       FROM "RefreshToken" t LEFT JOIN "TokenFamily" f ON f.id = t.familyId ${joinGrantAndUser("t")}
       WHERE t.id = ?`,
    ),
    rotateRefresh: db.prepare(
      `UPDATE "RefreshToken" SET rotatedAt = ? WHERE id = ? AND rotatedAt IS NULL AND revokedAt IS NULL`,
    ),
    revokeJti: db.prepare(
      `INSERT INTO "RevokedAccessToken" (jti, expiresAt, revokedAt) VALUES (?, ?, ?) ON CONFLICT (jti) DO NOTHING`,
    ),
    accessTokenRevoked: db.prepare(`SELECT ${ACCESS_TOKEN_REVOKED}`).pluck(),
    accessTokenUser: db.prepare(
      `SELECT ${ACCESS_TOKEN_REVOKED} AS revoked, ${JOINED_USER_CLAIMS_SELECT}
       FROM (SELECT 1) AS one LEFT JOIN "User" u ON u.id = @userId`,
    ),
    addUsage: db.prepare(
      `INSERT INTO "ClientUsageDay" (clientId, day, tokens) VALUES (?, ?, ?)
       ON CONFLICT (clientId, day) DO UPDATE SET tokens = tokens + excluded.tokens`,
    ),
    lastTokenAt: db.prepare(
      `UPDATE "Client" SET lastTokenAt = ? WHERE id = ? AND (lastTokenAt IS NULL OR lastTokenAt < ?)`,
    ),
    secretUsed: db.prepare(
      `UPDATE "ClientSecret" SET lastUsedAt = ? WHERE id = ? AND (lastUsedAt IS NULL OR lastUsedAt < ?)`,
    ),
  };

  const checkpointer = startCheckpointer(file);
  if (checkpointer !== null) {
    db.pragma("wal_autocheckpoint = 0");
    checkpointer.once("error", (err) => console.error("[latchkey] WAL checkpoint worker failed", err));
    checkpointer.once("exit", () => {
      // Closed with the store, or failed: SQLite's own auto-checkpoint takes over.
      if (db.open) db.pragma("wal_autocheckpoint = 1000");
    });
  }

  function loadClient(id: string): ClientRecord | null {
    const row = q.client.get(id) as Row | undefined;
    if (row === undefined) return null;
    return {
      id: str(row.id),
      name: str(row.name),
      type: row.type as ClientRecord["type"],
      status: row.status as ClientRecord["status"],
      grantTypes: split(str(row.grantTypes)) as GrantType[],
      scopes: split(str(row.scopes)),
      redirectUris: q.redirectUris.all(id) as string[],
      webOrigins: split(str(row.webOrigins)),
      secrets: (q.secrets.all(id) as Row[]).map((s) => ({
        id: str(s.id),
        hash: str(s.secretHash),
        expiresAt: dateOrNull(s.expiresAt),
        revokedAt: dateOrNull(s.revokedAt),
      })),
      source: row.source as ClientRecord["source"],
      defaultScopes: split(str(row.defaultScopes)),
      metadataExpiresAt: dateOrNull(row.metadataExpiresAt),
      tokensEndedAt: dateOrNull(row.tokensEndedAt),
      ...(isJwsAlg(row.idTokenSignedResponseAlg) ? { idTokenSignedResponseAlg: row.idTokenSignedResponseAlg } : {}),
    };
  }

  const insertRefresh = (tokenHash: string, t: NewRefreshToken, at: Date) =>
    q.insertRefresh.run(
      tokenHash, t.familyId, t.clientId, t.userId, t.grantId, t.scope.join(" "), t.resource.join(" "), ...contextColumns(t),
      t.authTime === null ? null : iso(t.authTime), t.nonce, iso(t.expiresAt), iso(at),
    );

  const writes = new WriteBatcher(db);

  /** Marks the code consumed and creates its token family (both ways of exchanging a code). */
  const markConsumed = (code: AuthorizationCodeRecord, familyId: string, at: Date) => {
    q.consumeCode.run(iso(at), familyId, code.id);
    q.insertFamily.run(familyId, code.clientId, code.userId, code.grantId, iso(at));
  };

  const consume = (codeHash: string, familyId: string, at: Date): AuthorizationCodeUse | null => {
    const row = q.codeUseByHash.get(codeHash) as Row | undefined;
    if (row === undefined) return null;
    const before = toCode(row);
    if (before.consumedAt === null) markConsumed(before, familyId, at);
    return { ...before, ...grantAndUser(row) };
  };

  const redeemCode = (codeHash: string, r: CodeRedemption, at: Date): AuthorizationCodeRedeemed | null => {
    const row = q.codeUseByHash.get(codeHash) as Row | undefined;
    if (row === undefined) return null;
    const use = { ...toCode(row), ...grantAndUser(row) };
    if (!isCodeRedeemable(use, r, at, (identifier) => q.api.get(identifier) !== undefined)) return null;
    markConsumed(use, r.familyId, at);
    const refresh = firstRefreshTokenOf(use, r);
    if (refresh !== null) insertRefresh(r.refresh!.hash, refresh, at);
    return { ...use, consumedAt: at, familyId: r.familyId, refreshTokenStored: refresh !== null };
  };

  const pollDevice = (deviceCodeHash: string, clientId: string, at: Date): DevicePoll | null => {
    const row = q.deviceByDeviceCode.get(deviceCodeHash, clientId) as Row | undefined;
    if (row === undefined) return null;
    const before = toDevice(row);
    const slowDown = before.lastPolledAt !== null && before.lastPolledAt.getTime() + before.interval * 1000 > at.getTime();
    q.pollDevice.run(iso(at), slowDown ? before.interval + 5 : before.interval, before.id);
    return { ...before, slowDown };
  };

  const consumeDevice = (deviceCodeHash: string, familyId: string, at: Date): DeviceAuthorizationUse | null => {
    const row = q.consumeDevice.get(iso(at), familyId, deviceCodeHash, iso(at)) as Row | undefined;
    if (row === undefined) return null;
    const d = toDevice(row);
    q.insertFamily.run(familyId, d.clientId, d.userId, d.grantId, iso(at));
    const joined = q.deviceGrantAndUser.get(d.id) as Row;
    return { ...d, consumedAt: null, familyId: null, ...grantAndUser(joined) };
  };

  const saveGrant = (userId: string, clientId: string, scopes: string[], at: Date, resources: readonly string[]): GrantRecord => {
    const existing = q.activeGrant.get(userId, clientId) as Row | undefined;
    if (existing !== undefined) {
      const merged = mergeGrant(grantRow(existing, userId, clientId), scopes, resources);
      q.updateGrant.run(merged.scopes.join(" "), merged.resources.join(" "), iso(at), iso(at), existing.id);
      return merged;
    }
    const id = newRowId();
    q.insertGrant.run(id, userId, clientId, scopes.join(" "), resources.join(" "), iso(at), iso(at), iso(at));
    return { id, userId, clientId, scopes: [...scopes], resources: [...resources] };
  };

  const revokeFamily = (familyId: string, at: Date) => {
    q.revokeFamily.run(iso(at), familyId);
    q.revokeFamilyTokens.run(iso(at), familyId);
  };

  const rotate = (oldId: string, newHash: string, next: NewRefreshToken, at: Date): boolean => {
    if (q.rotateRefresh.run(iso(at), oldId).changes !== 1) return false;
    insertRefresh(newHash, next, at);
    return true;
  };

  // Read and rotate in the same write transaction: nothing can change in between.
  const redeem = (tokenHash: string, clientId: string, newHash: string, expiresAt: Date, at: Date): RefreshTokenUse | null => {
    const row = q.refreshUseByHash.get(tokenHash) as Row | undefined;
    if (row === undefined) return null;
    const use = { ...toRefresh(row), familyRevoked: familyRevoked(row), ...grantAndUser(row) };
    const isApi = (identifier: string) => q.api.get(identifier) !== undefined;
    if (!isRedeemable(use, clientId, at, isApi) || !rotate(use.id, newHash, successorOf(use, expiresAt), at)) return null;
    return { ...use, rotatedAt: at };
  };

  const writeUsage = (batch: UsageBatch) =>
    writes.submit(() => {
      for (const t of batch.tokens) q.addUsage.run(t.clientId, t.day, t.count);
      for (const c of batch.lastTokenAt) q.lastTokenAt.run(iso(c.at), c.clientId, iso(c.at));
      for (const s of batch.secretsUsed) q.secretUsed.run(iso(s.at), s.secretId, iso(s.at));
    });

  const usage = new UsageBuffer(writeUsage, options.usageFlushMs);
  const clients = new TtlCache<ClientRecord | null>(options.clientCacheMs);
  const apis = new TtlCache<ApiRecord | null>(options.clientCacheMs);
  const stopListening = onInvalidate("clients", () => clients.clear());
  const stopListeningApis = onInvalidate("apis", () => apis.clear());

  return {
    getClient: (id) => clients.get(id, async () => loadClient(id)),
    getApi: (identifier) =>
      apis.get(identifier, async () => {
        const row = q.api.get(identifier) as Row | undefined;
        return row === undefined ? null : toApi(row);
      }),
    markSecretUsed: (id, at) => usage.secretUsed(id, at),
    recordTokenIssued: (clientId, at) => usage.tokenIssued(clientId, at),

    async getUserClaims(userId): Promise<UserClaims | null> {
      const row = q.user.get(userId) as Row | undefined;
      return row === undefined ? null : userClaims(row);
    },

    async verifyUserPassword(username, password) {
      const row = q.userPassword.get(username.trim().toLowerCase()) as Row | undefined;
      if (row === undefined || row.passwordHash === null) {
        await burnPasswordCheck(password);
        return null;
      }
      return (await verifyPassword(str(row.passwordHash), password)) ? str(row.id) : null;
    },

    async getGrant(userId, clientId) {
      const row = q.activeGrant.get(userId, clientId) as Row | undefined;
      return row === undefined ? null : grantRow(row, userId, clientId);
    },

    saveGrant: (userId, clientId, scopes, at, resources = []) => writes.submit(() => saveGrant(userId, clientId, scopes, at, resources)),

    async saveAuthorizationCode(codeHash, c: NewAuthorizationCode) {
      await writes.submit(() =>
        q.insertCode.run(
          newRowId(), codeHash, c.clientId, c.userId, c.grantId, c.redirectUri, c.scope.join(" "), c.codeChallenge,
          c.codeChallengeMethod, c.nonce, c.resource.join(" "), ...contextColumns(c), iso(c.authTime), iso(c.expiresAt), iso(new Date()),
        ),
      );
    },

    consumeAuthorizationCode: (codeHash, familyId, at) => writes.submit(() => consume(codeHash, familyId, at)),
    redeemAuthorizationCode: (codeHash, r, at) => writes.submit(() => redeemCode(codeHash, r, at)),

    async saveDeviceAuthorization(deviceCodeHash, userCodeHash, d) {
      await writes.submit(() =>
        q.insertDevice.run(
          newRowId(), deviceCodeHash, userCodeHash, d.clientId, d.scope.join(" "), d.resource.join(" "), d.interval,
          iso(d.expiresAt), iso(new Date()),
        ),
      );
    },

    async findDeviceAuthorizationByUserCode(userCodeHash) {
      const row = q.deviceByUserCode.get(userCodeHash) as Row | undefined;
      return row === undefined ? null : toDevice(row);
    },

    async decideDeviceAuthorization(userCodeHash, decision, at) {
      const approved = decision.status === "approved" ? decision : null;
      const result = await writes.submit(() =>
        q.decideDevice.run(
          decision.status, approved?.userId ?? null, approved?.grantId ?? null,
          approved === null ? null : iso(approved.authTime), approved?.sessionId ?? null, userCodeHash, iso(at),
        ),
      );
      return result.changes === 1;
    },

    pollDeviceAuthorization: (deviceCodeHash, clientId, at) => writes.submit(() => pollDevice(deviceCodeHash, clientId, at)),

    consumeDeviceAuthorization: (deviceCodeHash, familyId, at) => writes.submit(() => consumeDevice(deviceCodeHash, familyId, at)),

    async createTokenFamily(f: TokenFamily, at) {
      await writes.submit(() => q.insertFamily.run(f.id, f.clientId, f.userId, f.grantId, iso(at)));
    },

    async revokeTokenFamily(familyId, at) {
      await writes.submit(() => revokeFamily(familyId, at));
    },

    async saveRefreshToken(tokenHash, token) {
      await writes.submit(() => insertRefresh(tokenHash, token, new Date()));
    },

    async findRefreshToken(tokenHash) {
      const row = q.refreshByHash.get(tokenHash) as Row | undefined;
      return row === undefined ? null : toRefresh(row);
    },

    async findRefreshTokenUse(tokenHash): Promise<RefreshTokenUse | null> {
      const row = q.refreshUseByHash.get(tokenHash) as Row | undefined;
      if (row === undefined) return null;
      return { ...toRefresh(row), familyRevoked: familyRevoked(row), ...grantAndUser(row) };
    },

    rotateRefreshToken: (oldId, newHash, next, at) => writes.submit(() => rotate(oldId, newHash, next, at)),

    redeemRefreshToken: (tokenHash, clientId, newHash, expiresAt, at) =>
      writes.submit(() => redeem(tokenHash, clientId, newHash, expiresAt, at)),

    async revokeAccessToken(jti, expiresAt, at) {
      await writes.submit(() => q.revokeJti.run(jti, iso(expiresAt), iso(at)));
    },

    async isAccessTokenRevokedAnywhere(jti, familyId, grantId) {
      return q.accessTokenRevoked.get({ jti, familyId, grantId }) === 1;
    },

    async readAccessTokenUser(jti, familyId, grantId, userId) {
      const row = q.accessTokenUser.get({ jti, familyId, grantId, userId }) as Row;
      return { revoked: row.revoked === 1, user: row.u_id === null ? null : userClaims(row, "u_") };
    },

    flush: () => usage.flush(),

    async close() {
      stopListening();
      stopListeningApis();
      await usage.flush().catch((err) => console.error("[latchkey] usage flush at close failed", err));
      // terminate, not a message: a worker still starting would open the file after we let go.
      await checkpointer?.terminate();
      db.close();
    },
  };
}
