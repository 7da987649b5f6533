// The OAuth store on PostgreSQL, for several instances on one database. Every query is
// a named prepared statement on the shared pool; each conditional write is one
// statement (or one short transaction in a fixed lock order), so correctness under
// READ COMMITTED never depends on statement ordering between instances: a code is
// consumed and its token family created in one statement, a refresh token rotates in
// one statement, and revocations are idempotent.
import type { Pool, PoolClient, QueryConfig } from "pg";
import type {
  ApiRecord,
  AuthorizationCodeRedeemed,
  AuthorizationCodeUse,
  ClientRecord,
  CodeRedemption,
  GrantType,
  OAuthStore,
  RefreshTokenUse,
  StoreLifecycle,
  UserClaims,
} from "../oauth/store";
import { s256 } from "../oauth/pkce";
import { isJwsAlg } from "../oauth/store";
import { onInvalidate } from "./cache-bus";
import { PG_TYPES, utcTimestamp } from "./postgres-pool";
import { burnPasswordCheck, verifyPassword } from "./passwords";
import { Batcher } from "./batcher";
import { newRowId } from "./row-id";
import { contextColumns, grantRow, JOINED_USER_CLAIMS_SELECT, mergeGrant, rowReaders, split, USER_CLAIMS_SELECT, type Row } from "./store-rows";
import { TtlCache } from "./ttl-cache";
import { UsageBuffer, type UsageBatch } from "./usage-buffer";

const str = (v: unknown) => v as string;
const { toApi, toCode, toRefresh, toDevice, userClaims, grantAndUser, familyRevoked } = rowReaders((v) => v as Date);

const GRANT_AND_USER_COLUMNS = `g.id AS g_id, g."revokedAt" AS "g_revokedAt", ${JOINED_USER_CLAIMS_SELECT}`;
const joinGrantAndUser = (alias: string) =>
  `LEFT JOIN "Grant" g ON g.id = ${alias}."grantId" LEFT JOIN "User" u ON u.id = ${alias}."userId"`;

// Per row r of a batch (r.jti, r.fid: family or null, r.gid: grant or null): is the token,
// its family or its grant revoked?
const ACCESS_TOKEN_REVOKED = `(EXISTS (SELECT 1 FROM "RevokedAccessToken" WHERE jti = r.jti)
      OR (r.fid IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "TokenFamily" WHERE id = r.fid AND "revokedAt" IS NULL))
      OR (r.gid IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "Grant" WHERE id = r.gid AND "revokedAt" IS NULL)))`;

const SQL = {
  client: `SELECT c.id, c.name, c.type, c.status, c."grantTypes", c.scopes, c."webOrigins", c.source,
      c."defaultScopes", c."metadataExpiresAt", c."idTokenSignedResponseAlg", c."tokensEndedAt",
      COALESCE((SELECT json_agg(r.uri ORDER BY r."createdAt", r.id) FROM "RedirectUri" r WHERE r."clientId" = c.id), '[]') AS "redirectUris",
      COALESCE((SELECT json_agg(json_build_object('id', s.id, 'hash', s."secretHash", 'expiresAt', s."expiresAt"))
                FROM "ClientSecret" s WHERE s."clientId" = c.id AND s."revokedAt" IS NULL), '[]') AS secrets
    FROM "Client" c WHERE c.id = $1`,
  api: `SELECT identifier, name, scopes, "accessTokenTtl" FROM "Api" WHERE identifier = $1`,
  user: `SELECT ${USER_CLAIMS_SELECT} FROM "User" WHERE id = $1`,
  // A blocked user (role "blocked") has no password grant either.
  userPassword: `SELECT id, "passwordHash" FROM "User" WHERE email = $1 AND role <> 'blocked'`,
  activeGrant: `SELECT id, scopes, resources FROM "Grant" WHERE "userId" = $1 AND "clientId" = $2 AND "revokedAt" IS NULL
    ORDER BY "createdAt" DESC LIMIT 1`,
  lockGrant: `SELECT pg_advisory_xact_lock(hashtextextended('grant ' || $1 || ' ' || $2, 0))`,
  updateGrant: `UPDATE "Grant" SET scopes = $1, resources = $2, "lastUsedAt" = $3::timestamp(3), "updatedAt" = $3::timestamp(3) WHERE id = $4`,
  insertGrant: `INSERT INTO "Grant" (id, "userId", "clientId", scopes, resources, "createdAt", "updatedAt", "lastUsedAt")
    VALUES ($1, $2, $3, $4, $5, $6::timestamp(3), $6::timestamp(3), $6::timestamp(3))`,
  insertCode: `INSERT INTO "AuthorizationCode" (id, "codeHash", "clientId", "userId", "grantId", "redirectUri", scope,
      "codeChallenge", "codeChallengeMethod", nonce, resource, "sessionId", acr, amr, claims, "authTime", "expiresAt", "createdAt")
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15,
      $16::timestamp(3), $17::timestamp(3), $18::timestamp(3))`,
  // The winner consumes the code and creates its family in one statement: a replay that
  // loses finds the family committed, ready to revoke.
  consumeCode: `WITH won AS (
      UPDATE "AuthorizationCode" SET "consumedAt" = $2::timestamp(3), "familyId" = $3
      WHERE "codeHash" = $1 AND "consumedAt" IS NULL RETURNING *
    ), family AS (
      INSERT INTO "TokenFamily" (id, "clientId", "userId", "grantId", "createdAt")
      SELECT $3, "clientId", "userId", "grantId", $2::timestamp(3) FROM won ON CONFLICT (id) DO NOTHING
    )
    SELECT won.*, ${GRANT_AND_USER_COLUMNS} FROM won ${joinGrantAndUser("won")}`,
  // $1 code hash, $2 now, $3 family, $4 client, $5 redirect_uri, $6 the S256 of the verifier
  // (null: none sent), $7 the first refresh token's hash (null: the client has no refresh
  // grant), $8 its expiry. isCodeRedeemable in SQL; the refresh token is stored under
  // scopeGetsRefreshToken's rule (OIDC Core §11), a copy of the code's fields. The token's
  // family is inserted by a sibling CTE: foreign keys are checked at the end of the statement.
  // Code exchanges (Batcher), one input row each, numbered n: each code consumed only if every
  // check of its exchange holds, its token family and first refresh token inserted in CTEs,
  // joined with grant and user. Rows are locked in id order first, as for rotations below.
  redeemCodeBatch: `WITH input AS MATERIALIZED (
      SELECT * FROM unnest($1::text[], $2::timestamp(3)[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
          $8::timestamp(3)[])
        WITH ORDINALITY AS i(hash, at, "familyId", "clientId", "redirectUri", challenge, "refreshHash", "refreshExpiresAt", n)
    ), locked AS MATERIALIZED (
      SELECT c.id FROM "AuthorizationCode" c WHERE c."codeHash" IN (SELECT hash FROM input) ORDER BY c.id FOR UPDATE
    ), won AS (
      UPDATE "AuthorizationCode" c SET "consumedAt" = i.at, "familyId" = i."familyId" FROM input i
      WHERE c."codeHash" = i.hash AND c.id IN (SELECT id FROM locked) AND c."consumedAt" IS NULL
        AND c."clientId" = i."clientId" AND c."expiresAt" > i.at AND (c."redirectUri" = '' OR c."redirectUri" = i."redirectUri")
        AND CASE WHEN c."codeChallenge" IS NULL THEN i.challenge IS NULL
          ELSE c."codeChallengeMethod" = 'S256' AND c."codeChallenge" = i.challenge END
        AND (c."grantId" IS NULL OR EXISTS (SELECT 1 FROM "Grant" g WHERE g.id = c."grantId" AND g."revokedAt" IS NULL))
        AND EXISTS (SELECT 1 FROM "User" u WHERE u.id = c."userId")
        AND NOT EXISTS (SELECT 1 FROM unnest(string_to_array(c.resource, ' ')) AS r(identifier)
          WHERE r.identifier <> '' AND NOT EXISTS (SELECT 1 FROM "Api" a WHERE a.identifier = r.identifier))
      RETURNING c.*, i.n::int AS n, i."refreshHash", i."refreshExpiresAt"
    ), family AS (
      INSERT INTO "TokenFamily" (id, "clientId", "userId", "grantId", "createdAt")
      SELECT "familyId", "clientId", "userId", "grantId", "consumedAt" FROM won ON CONFLICT (id) DO NOTHING
    ), refresh AS (
      INSERT INTO "RefreshToken" (id, "familyId", "clientId", "userId", "grantId", scope, resource, "authTime", nonce,
        "expiresAt", "createdAt", "sessionId", acr, amr, claims)
      SELECT "refreshHash", "familyId", "clientId", "userId", "grantId", scope, resource, "authTime", nonce,
        "refreshExpiresAt", "consumedAt", "sessionId", acr, amr, claims FROM won
      WHERE "refreshHash" IS NOT NULL
        AND (NOT 'openid' = ANY (string_to_array(won.scope, ' ')) OR 'offline_access' = ANY (string_to_array(won.scope, ' ')))
      RETURNING id
    )
    SELECT won.*, won."refreshHash" IN (SELECT id FROM refresh) AS "refreshStored", ${GRANT_AND_USER_COLUMNS}
    FROM won ${joinGrantAndUser("won")}`,
  codeByHash: `SELECT c.*, ${GRANT_AND_USER_COLUMNS} FROM "AuthorizationCode" c ${joinGrantAndUser("c")} WHERE c."codeHash" = $1`,
  insertDevice: `INSERT INTO "DeviceAuthorization" (id, "deviceCodeHash", "userCodeHash", "clientId", scope, resource, "interval",
      "expiresAt", "createdAt")
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8::timestamp(3), $9::timestamp(3))`,
  deviceByUserCode: `SELECT * FROM "DeviceAuthorization" WHERE "userCodeHash" = $1`,
  decideDevice: `UPDATE "DeviceAuthorization" SET status = $2, "userId" = $3, "grantId" = $4, "authTime" = $5::timestamp(3),
      "sessionId" = $7
    WHERE "userCodeHash" = $1 AND status = 'pending' AND "expiresAt" > $6::timestamp(3)`,
  // The row lock of the subquery orders concurrent polls: each sees the previous one's time.
  pollDevice: `UPDATE "DeviceAuthorization" d
    SET "lastPolledAt" = $3::timestamp(3),
      "interval" = CASE WHEN o."lastPolledAt" + o."interval" * interval '1 second' > $3::timestamp(3) THEN o."interval" + 5 ELSE o."interval" END
    FROM (SELECT * FROM "DeviceAuthorization" WHERE "deviceCodeHash" = $1 AND "clientId" = $2 FOR UPDATE) o
    WHERE d.id = o.id
    RETURNING o.*, COALESCE(o."lastPolledAt" + o."interval" * interval '1 second' > $3::timestamp(3), false) AS "slowDown"`,
  consumeDevice: `WITH won AS (
      UPDATE "DeviceAuthorization" SET "consumedAt" = $2::timestamp(3), "familyId" = $3
      WHERE "deviceCodeHash" = $1 AND status = 'approved' AND "consumedAt" IS NULL AND "expiresAt" > $2::timestamp(3)
      RETURNING *
    ), family AS (
      INSERT INTO "TokenFamily" (id, "clientId", "userId", "grantId", "createdAt")
      SELECT $3, "clientId", "userId", "grantId", $2::timestamp(3) FROM won ON CONFLICT (id) DO NOTHING
    )
    SELECT won.*, ${GRANT_AND_USER_COLUMNS} FROM won ${joinGrantAndUser("won")}`,
  insertFamily: `INSERT INTO "TokenFamily" (id, "clientId", "userId", "grantId", "createdAt")
    VALUES ($1, $2, $3, $4, $5::timestamp(3)) ON CONFLICT (id) DO NOTHING`,
  revokeFamily: `UPDATE "TokenFamily" SET "revokedAt" = $2::timestamp(3) WHERE id = $1 AND "revokedAt" IS NULL`,
  revokeFamilyTokens: `UPDATE "RefreshToken" SET "revokedAt" = $2::timestamp(3) WHERE "familyId" = $1 AND "revokedAt" IS NULL`,
  insertRefresh: `INSERT INTO "RefreshToken" (id, "familyId", "clientId", "userId", "grantId", scope, resource, "authTime",
      nonce, "expiresAt", "createdAt", "sessionId", acr, amr, claims)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8::timestamp(3), $9, $10::timestamp(3), $11::timestamp(3), $12, $13, $14, $15)`,
  refreshByHash: `SELECT * FROM "RefreshToken" WHERE id = $1`,
  refreshUseByHash: `SELECT t.*, f.id AS f_id, f."revokedAt" AS "f_revokedAt", ${GRANT_AND_USER_COLUMNS}
    FROM "RefreshToken" t LEFT JOIN "TokenFamily" f ON f.id = t."familyId" ${joinGrantAndUser("t")}
    WHERE t.id = $1`,
  rotateRefresh: `WITH old AS (
      UPDATE "RefreshToken" SET "rotatedAt" = $2::timestamp(3)
      WHERE id = $1 AND "rotatedAt" IS NULL AND "revokedAt" IS NULL RETURNING id
    )
    INSERT INTO "RefreshToken" (id, "familyId", "clientId", "userId", "grantId", scope, resource, "authTime", nonce,
      "expiresAt", "createdAt", "sessionId", acr, amr, claims)
    SELECT $3, $4, $5, $6, $7, $8, $12, $9::timestamp(3), $10, $11::timestamp(3), $2::timestamp(3), $13, $14, $15, $16 FROM old`,
  // $1 token hash, $2 client, $3 successor hash, $4 its expiry, $5 now. RETURNING gives the
  // row after the update (rotatedAt = $5); the successor copies it but for id and times.
  // Refresh-token rotations (Batcher), one input row each, numbered n: each old token marked
  // rotated only if it may be redeemed, its successor inserted, joined with grant and user.
  // Rows are locked in id order first, so two instances' batches never wait on each other in
  // a cycle; a token asked twice in one batch rotates once (the other gets no row: reuse).
  redeemRefreshBatch: `WITH input AS MATERIALIZED (
      SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamp(3)[], $5::timestamp(3)[])
        WITH ORDINALITY AS i(hash, "clientId", "nextHash", "nextExpiresAt", at, n)
    ), locked AS MATERIALIZED (
      SELECT t.id FROM "RefreshToken" t WHERE t.id IN (SELECT hash FROM input) ORDER BY t.id FOR UPDATE
    ), old AS (
      UPDATE "RefreshToken" t SET "rotatedAt" = i.at FROM input i
      WHERE t.id = i.hash AND t.id IN (SELECT id FROM locked) AND t."clientId" = i."clientId"
        AND t."rotatedAt" IS NULL AND t."revokedAt" IS NULL AND t."expiresAt" > i.at
        AND EXISTS (SELECT 1 FROM "TokenFamily" f WHERE f.id = t."familyId" AND f."revokedAt" IS NULL)
        AND (t."grantId" IS NULL OR EXISTS (SELECT 1 FROM "Grant" g WHERE g.id = t."grantId" AND g."revokedAt" IS NULL))
        AND NOT EXISTS (SELECT 1 FROM unnest(string_to_array(t.resource, ' ')) AS r(identifier)
          WHERE r.identifier <> '' AND NOT EXISTS (SELECT 1 FROM "Api" a WHERE a.identifier = r.identifier))
      RETURNING t.*, i.n::int AS n, i."nextHash", i."nextExpiresAt"
    ), successor AS (
      INSERT INTO "RefreshToken" (id, "familyId", "clientId", "userId", "grantId", scope, resource, "authTime", nonce,
        "expiresAt", "createdAt", "sessionId", acr, amr, claims)
      SELECT "nextHash", "familyId", "clientId", "userId", "grantId", scope, resource, "authTime", nonce,
        "nextExpiresAt", "rotatedAt", "sessionId", acr, amr, claims FROM old
    )
    SELECT old.*, ${GRANT_AND_USER_COLUMNS} FROM old ${joinGrantAndUser("old")}`,
  revokeJti: `INSERT INTO "RevokedAccessToken" (jti, "expiresAt", "revokedAt") VALUES ($1, $2::timestamp(3), $3::timestamp(3))
    ON CONFLICT (jti) DO NOTHING`,
  // Batched (Batcher): one row per access token asked about, numbered n.
  accessTokensRevoked: `SELECT r.n::int AS n, ${ACCESS_TOKEN_REVOKED} AS revoked
    FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS r(jti, fid, gid, n)`,
  accessTokenUsers: `SELECT r.n::int AS n, ${ACCESS_TOKEN_REVOKED} AS revoked, ${JOINED_USER_CLAIMS_SELECT}
    FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS r(jti, fid, gid, uid, n)
    LEFT JOIN "User" u ON u.id = r.uid`,
  // A deleted client's counts are dropped rather than failing the batch forever.
  addUsage: `INSERT INTO "ClientUsageDay" ("clientId", day, tokens)
    SELECT v.id, v.day, v.n FROM unnest($1::text[], $2::text[], $3::int[]) AS v(id, day, n)
    WHERE EXISTS (SELECT 1 FROM "Client" c WHERE c.id = v.id)
    ON CONFLICT ("clientId", day) DO UPDATE SET tokens = "ClientUsageDay".tokens + excluded.tokens`,
  lastTokenAt: `UPDATE "Client" c SET "lastTokenAt" = v.at FROM unnest($1::text[], $2::timestamp(3)[]) AS v(id, at)
    WHERE c.id = v.id AND (c."lastTokenAt" IS NULL OR c."lastTokenAt" < v.at)`,
  secretUsed: `UPDATE "ClientSecret" s SET "lastUsedAt" = v.at FROM unnest($1::text[], $2::timestamp(3)[]) AS v(id, at)
    WHERE s.id = v.id AND (s."lastUsedAt" IS NULL OR s."lastUsedAt" < v.at)`,
} as const;

type Statement = keyof typeof SQL;

// Deadlock and serialization failures are safe to retry: the transaction rolled back.
const RETRYABLE = new Set(["40P01", "40001"]);

export interface PostgresStoreOptions {
  pool: Pool;
  clientCacheMs: number;
  usageFlushMs?: number;
}

export function createPostgresOAuthStore(options: PostgresStoreOptions): OAuthStore & StoreLifecycle {
  const { pool } = options;
  const config = (name: Statement, values: unknown[]): QueryConfig => ({
    name: `latchkey_${name}`,
    text: SQL[name],
    values,
    types: PG_TYPES,
  });
  const rows = async (name: Statement, values: unknown[], on: Pool | PoolClient = pool) =>
    (await on.query(config(name, values))).rows as Row[];
  const first = async (name: Statement, values: unknown[], on: Pool | PoolClient = pool) =>
    (await rows(name, values, on))[0];

  async function transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const result = await work(client);
        await client.query("COMMIT");
        return result;
      } catch (err) {
        await client.query("ROLLBACK").catch(() => undefined);
        const code = (err as { code?: string }).code;
        if (attempt < 5 && code !== undefined && RETRYABLE.has(code)) continue;
        throw err;
      } finally {
        client.release();
      }
    }
  }

  async function loadClient(id: string): Promise<ClientRecord | null> {
    const row = await first("client", [id]);
    if (row === undefined) return null;
    const secrets = row.secrets as { id: string; hash: string; expiresAt: string | null }[];
    return {
      id: str(row.id),
      name: str(row.name),
      type: row.type as ClientRecord["type"],
      status: row.status as ClientRecord["status"],
      grantTypes: split(str(row.grantTypes)) as GrantType[],
      scopes: split(str(row.scopes)),
      redirectUris: row.redirectUris as string[],
      webOrigins: split(str(row.webOrigins)),
      secrets: secrets.map((s) => ({
        id: s.id,
        hash: s.hash,
        expiresAt: s.expiresAt === null ? null : utcTimestamp(s.expiresAt),
        revokedAt: null,
      })),
      source: row.source as ClientRecord["source"],
      defaultScopes: split(str(row.defaultScopes)),
      metadataExpiresAt: (row.metadataExpiresAt as Date | null) ?? null,
      tokensEndedAt: (row.tokensEndedAt as Date | null) ?? null,
      ...(isJwsAlg(row.idTokenSignedResponseAlg) ? { idTokenSignedResponseAlg: row.idTokenSignedResponseAlg } : {}),
    };
  }

  const writeUsage = (batch: UsageBatch) =>
    transaction(async (client) => {
      const { tokens, lastTokenAt, secretsUsed } = batch;
      if (tokens.length > 0) {
        await rows("addUsage", [tokens.map((t) => t.clientId), tokens.map((t) => t.day), tokens.map((t) => t.count)], client);
      }
      if (lastTokenAt.length > 0) {
        await rows("lastTokenAt", [lastTokenAt.map((c) => c.clientId), lastTokenAt.map((c) => c.at.toISOString())], client);
      }
      if (secretsUsed.length > 0) {
        await rows("secretUsed", [secretsUsed.map((s) => s.secretId), secretsUsed.map((s) => s.at.toISOString())], client);
      }
    });

  const usage = new UsageBuffer(writeUsage, options.usageFlushMs);

  const ts = (d: Date) => d.toISOString();

  /**
   * Calls made in the same turn (or while two batches are out) go to the database as one
   * `batch` statement (Batcher): its parameters are those of `values`, one array each, and
   * each row it returns carries `n`, the position of the call it answers (a call without a
   * row gets null). With `retryAlone`, a failed batch is sent again call by call, so a call
   * that breaks the batch fails alone.
   */
  function batched<K, V>(batch: Statement, values: (key: K) => unknown[], read: (row: Row) => V, retryAlone = false) {
    const load = async (keys: K[]) => {
      const params = keys.map(values);
      const found = await rows(batch, params[0]!.map((_, column) => params.map((p) => p[column])));
      const answers: (V | null)[] = keys.map(() => null);
      for (const row of found) answers[(row.n as number) - 1] = read(row);
      return answers;
    };
    return new Batcher<K, V | null>(load, {
      // Two batches out at a time: what is asked meanwhile waits and goes as one (notes item 29).
      concurrency: 2,
      ...(retryAlone ? { alone: async (key: K) => (await load([key]))[0]! } : {}),
    });
  }

  const exchanges = batched(
    "redeemCodeBatch",
    ({ codeHash, r, at }: { codeHash: string; r: CodeRedemption; at: Date }) => [
      codeHash, ts(at), r.familyId, r.clientId, r.redirectUri, r.codeVerifier === null ? null : s256(r.codeVerifier),
      r.refresh?.hash ?? null, r.refresh === null ? null : ts(r.refresh.expiresAt),
    ],
    (row): AuthorizationCodeRedeemed => ({ ...toCode(row), ...grantAndUser(row), refreshTokenStored: row.refreshStored === true }),
    true,
  );
  const rotations = batched(
    "redeemRefreshBatch",
    (k: { tokenHash: string; clientId: string; newHash: string; expiresAt: Date; at: Date }) => [
      k.tokenHash, k.clientId, k.newHash, ts(k.expiresAt), ts(k.at),
    ],
    (row): RefreshTokenUse => ({ ...toRefresh(row), familyRevoked: false, ...grantAndUser(row) }),
    true,
  );
  // Every call gets a row (one per unnest row); none would read as revoked.
  type TokenKey = { jti: string; familyId: string | null; grantId: string | null };
  const revocations = batched("accessTokensRevoked", (k: TokenKey) => [k.jti, k.familyId, k.grantId], (row) => row.revoked === true);
  const tokenUsers = batched(
    "accessTokenUsers",
    (k: TokenKey & { userId: string }) => [k.jti, k.familyId, k.grantId, k.userId],
    (row) => ({ revoked: row.revoked === true, user: row.u_id === null ? null : userClaims(row, "u_") }),
  );
  const clients = new TtlCache<ClientRecord | null>(options.clientCacheMs);
  const apis = new TtlCache<ApiRecord | null>(options.clientCacheMs);
  const stopListening = onInvalidate("clients", () => clients.clear());
  const stopListeningApis = onInvalidate("apis", () => apis.clear());

  return {
    getClient: (id) => clients.get(id, () => loadClient(id)),
    getApi: (identifier) =>
      apis.get(identifier, async () => {
        const row = await first("api", [identifier]);
        return row === undefined ? null : toApi(row);
      }),
    markSecretUsed: (id, at) => usage.secretUsed(id, at),
    recordTokenIssued: (clientId, at) => usage.tokenIssued(clientId, at),

    async getUserClaims(userId) {
      const row = await first("user", [userId]);
      return row === undefined ? null : userClaims(row);
    },

    async verifyUserPassword(username, password) {
      const row = await first("userPassword", [username.trim().toLowerCase()]);
      if (row === undefined || row.passwordHash === null) {
        await burnPasswordCheck(password);
        return null;
      }
      return (await verifyPassword(str(row.passwordHash), password)) ? str(row.id) : null;
    },

    async getGrant(userId, clientId) {
      const row = await first("activeGrant", [userId, clientId]);
      return row === undefined ? null : grantRow(row, userId, clientId);
    },

    saveGrant: (userId, clientId, scopes, at, resources = []) =>
      transaction(async (client) => {
        // Two first consents at once (two tabs, two instances) must not make two grants.
        await rows("lockGrant", [userId, clientId], client);
        const existing = await first("activeGrant", [userId, clientId], client);
        if (existing !== undefined) {
          const merged = mergeGrant(grantRow(existing, userId, clientId), scopes, resources);
          await rows("updateGrant", [merged.scopes.join(" "), merged.resources.join(" "), ts(at), existing.id], client);
          return merged;
        }
        const id = newRowId();
        await rows("insertGrant", [id, userId, clientId, scopes.join(" "), resources.join(" "), ts(at)], client);
        return { id, userId, clientId, scopes: [...scopes], resources: [...resources] };
      }),

    async saveAuthorizationCode(codeHash, c) {
      await rows("insertCode", [
        newRowId(), codeHash, c.clientId, c.userId, c.grantId, c.redirectUri, c.scope.join(" "), c.codeChallenge,
        c.codeChallengeMethod, c.nonce, c.resource.join(" "), ...contextColumns(c), ts(c.authTime), ts(c.expiresAt),
        ts(new Date()),
      ]);
    },

    async consumeAuthorizationCode(codeHash, familyId, at): Promise<AuthorizationCodeUse | null> {
      const won = await first("consumeCode", [codeHash, ts(at), familyId]);
      if (won !== undefined) {
        return { ...toCode(won), consumedAt: null, familyId: null, ...grantAndUser(won) };
      }
      // Lost or unknown. Our UPDATE waited for any concurrent winner to commit, so a
      // fresh read sees its family id.
      const row = await first("codeByHash", [codeHash]);
      return row === undefined ? null : { ...toCode(row), ...grantAndUser(row) };
    },

    redeemAuthorizationCode: (codeHash, r, at) => exchanges.get({ codeHash, r, at }),

    async saveDeviceAuthorization(deviceCodeHash, userCodeHash, d) {
      await rows("insertDevice", [
        newRowId(), deviceCodeHash, userCodeHash, d.clientId, d.scope.join(" "), d.resource.join(" "), d.interval,
        ts(d.expiresAt), ts(new Date()),
      ]);
    },

    async findDeviceAuthorizationByUserCode(userCodeHash) {
      const row = await first("deviceByUserCode", [userCodeHash]);
      return row === undefined ? null : toDevice(row);
    },

    async decideDeviceAuthorization(userCodeHash, decision, at) {
      const approved = decision.status === "approved" ? decision : null;
      const result = await pool.query(
        config("decideDevice", [
          userCodeHash, decision.status, approved?.userId ?? null, approved?.grantId ?? null,
          approved === null ? null : ts(approved.authTime), ts(at), approved?.sessionId ?? null,
        ]),
      );
      return result.rowCount === 1;
    },

    async pollDeviceAuthorization(deviceCodeHash, clientId, at) {
      const row = await first("pollDevice", [deviceCodeHash, clientId, ts(at)]);
      return row === undefined ? null : { ...toDevice(row), slowDown: row.slowDown === true };
    },

    async consumeDeviceAuthorization(deviceCodeHash, familyId, at) {
      const won = await first("consumeDevice", [deviceCodeHash, ts(at), familyId]);
      if (won === undefined) return null;
      return { ...toDevice(won), consumedAt: null, familyId: null, ...grantAndUser(won) };
    },

    async createTokenFamily(f, at) {
      await rows("insertFamily", [f.id, f.clientId, f.userId, f.grantId, ts(at)]);
    },

    async revokeTokenFamily(familyId, at) {
      // Family first, then its tokens: every writer takes these locks in this order.
      await transaction(async (client) => {
        await rows("revokeFamily", [familyId, ts(at)], client);
        await rows("revokeFamilyTokens", [familyId, ts(at)], client);
      });
    },

    async saveRefreshToken(tokenHash, t) {
      await rows("insertRefresh", [
        tokenHash, t.familyId, t.clientId, t.userId, t.grantId, t.scope.join(" "), t.resource.join(" "),
        t.authTime === null ? null : ts(t.authTime), t.nonce, ts(t.expiresAt), ts(new Date()), ...contextColumns(t),
      ]);
    },

    async findRefreshToken(tokenHash) {
      const row = await first("refreshByHash", [tokenHash]);
      return row === undefined ? null : toRefresh(row);
    },

    async findRefreshTokenUse(tokenHash) {
      const row = await first("refreshUseByHash", [tokenHash]);
      if (row === undefined) return null;
      return { ...toRefresh(row), familyRevoked: familyRevoked(row), ...grantAndUser(row) };
    },

    async rotateRefreshToken(oldId, newHash, t, at) {
      const result = await pool.query(
        config("rotateRefresh", [
          oldId, ts(at), newHash, t.familyId, t.clientId, t.userId, t.grantId, t.scope.join(" "),
          t.authTime === null ? null : ts(t.authTime), t.nonce, ts(t.expiresAt), t.resource.join(" "), ...contextColumns(t),
        ]),
      );
      return result.rowCount === 1;
    },

    redeemRefreshToken: (tokenHash, clientId, newHash, expiresAt, at) =>
      rotations.get({ tokenHash, clientId, newHash, expiresAt, at }),

    async revokeAccessToken(jti, expiresAt, at) {
      await rows("revokeJti", [jti, ts(expiresAt), ts(at)]);
    },

    isAccessTokenRevokedAnywhere: async (jti, familyId, grantId) => (await revocations.get({ jti, familyId, grantId })) ?? true,

    readAccessTokenUser: async (jti, familyId, grantId, userId) =>
      (await tokenUsers.get({ jti, familyId, grantId, userId })) ?? { revoked: true, user: null },

    flush: () => usage.flush(),

    async close() {
      stopListening();
      stopListeningApis();
      await usage.flush().catch((err) => console.error("[latchkey] usage flush at close failed", err));
    },
  };
}
