// The token-path queries of the OAuth store as better-sqlite3 prepared statements
// (SQLite only; PostgreSQL keeps the Prisma store). Each query is a few microseconds
// where the same query through Prisma's query compiler costs a few hundred, so
// revocation checks read the database on every call instead of from a cache.
// Rows are read and written in the format Prisma's SQLite adapter uses, so both
// connections share the tables: DateTime as ISO 8601 text with "+00:00".
import Database from "better-sqlite3";
import { randomBytes } from "node:crypto";
import { Worker } from "node:worker_threads";
import type {
  AuthorizationCodeRecord,
  AuthorizationCodeUse,
  ClientRecord,
  GrantType,
  NewAuthorizationCode,
  NewRefreshToken,
  OAuthStore,
  RefreshTokenRecord,
  RefreshTokenUse,
  TokenFamily,
  UserClaims,
} from "../oauth/store";
import { TtlCache } from "./ttl-cache";

const BUSY_RETRY_MS = 5_000;
const CHECKPOINT_MS = 100;

// WAL checkpoints on a worker thread with its own connection. A checkpoint copies the
// WAL into the database file and fsyncs both (~0.1–0.3 s every ~1000 pages, i.e. every
// few hundred refreshes under load); run by the committing connection, as SQLite's
// auto-checkpoint does, that wait blocked the event loop and cost ~50 µs per write.
// PASSIVE never blocks readers or writers; a busy database is retried next tick.
const CHECKPOINTER = `
const { workerData, parentPort } = require("node:worker_threads");
const Database = require(require("node:module").createRequire(workerData.base).resolve("better-sqlite3"));
const db = new Database(workerData.file, { timeout: 0 });
const timer = setInterval(() => {
  try { db.pragma("wal_checkpoint(PASSIVE)"); } catch {}
}, workerData.intervalMs);
parentPort.on("message", () => { clearInterval(timer); db.close(); process.exit(0); });
`;

/** Starts the checkpoint worker; null when workers are unavailable (auto-checkpoint stays on). */
function startCheckpointer(file: string): Worker | null {
  try {
    const worker = new Worker(CHECKPOINTER, {
      eval: true,
      workerData: { file, base: `${process.cwd()}/package.json`, intervalMs: CHECKPOINT_MS },
      resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 },
    });
    worker.unref();
    return worker;
  } catch {
    return null;
  }
}

type Row = Record<string, unknown>;

const split = (s: string) => s.split(" ").filter(Boolean);
const iso = (d: Date) => d.toISOString().replace("Z", "+00:00");
const date = (v: unknown) => new Date(v as string);
const dateOrNull = (v: unknown) => (v === null ? null : new Date(v as string));
const str = (v: unknown) => v as string;
const strOrNull = (v: unknown) => (v === null ? null : (v as string));

/** Ids for rows this store creates (Prisma's cuid() only runs inside Prisma). */
function newRowId(): string {
  return "c" + randomBytes(15).toString("base64url");
}

function toCode(row: Row): AuthorizationCodeRecord {
  return {
    id: str(row.id),
    clientId: str(row.clientId),
    userId: str(row.userId),
    grantId: strOrNull(row.grantId),
    redirectUri: str(row.redirectUri),
    scope: split(str(row.scope)),
    codeChallenge: strOrNull(row.codeChallenge),
    codeChallengeMethod: strOrNull(row.codeChallengeMethod),
    nonce: strOrNull(row.nonce),
    authTime: date(row.authTime),
    expiresAt: date(row.expiresAt),
    consumedAt: dateOrNull(row.consumedAt),
    familyId: strOrNull(row.familyId),
  };
}

function toRefresh(row: Row): RefreshTokenRecord {
  return {
    id: str(row.id),
    familyId: str(row.familyId),
    clientId: str(row.clientId),
    userId: strOrNull(row.userId),
    grantId: strOrNull(row.grantId),
    scope: split(str(row.scope)),
    authTime: dateOrNull(row.authTime),
    nonce: strOrNull(row.nonce),
    expiresAt: date(row.expiresAt),
    rotatedAt: dateOrNull(row.rotatedAt),
    revokedAt: dateOrNull(row.revokedAt),
  };
}

/** User claims from a User row, or from its columns joined under `prefix`. */
function userClaims(row: Row, prefix = ""): UserClaims {
  return {
    sub: str(row[`${prefix}id`]),
    email: str(row[`${prefix}email`]),
    email_verified: row[`${prefix}emailVerified`] !== null,
    name: strOrNull(row[`${prefix}name`]) ?? undefined,
    updated_at: Math.floor(date(row[`${prefix}updatedAt`]).getTime() / 1000),
  };
}

// The grant and user of a code or refresh token, joined into the row that reads it.
const GRANT_AND_USER_COLUMNS = `g.id AS g_id, g.revokedAt AS g_revokedAt, u.id AS u_id, u.email AS u_email,
  u.emailVerified AS u_emailVerified, u.name AS u_name, u.updatedAt AS u_updatedAt`;
const joinGrantAndUser = (alias: string) =>
  `LEFT JOIN "Grant" g ON g.id = ${alias}.grantId LEFT JOIN "User" u ON u.id = ${alias}.userId`;

/** Whether the row's grant still stands (always, without one) and its user's claims. */
function grantAndUser(row: Row): { grantActive: boolean; user: UserClaims | null } {
  return {
    grantActive: row.grantId === null || (row.g_id !== null && row.g_revokedAt === null),
    user: row.u_id === null ? null : userClaims(row, "u_"),
  };
}

function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === "string" && (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED"));
}

interface PendingWrite {
  op: () => unknown;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
  deadline: number;
}

/**
 * Group commit: writes submitted in the same turn of the event loop run in one
 * transaction, in order, and each promise settles only after that transaction
 * committed. A conditional write (consume a code, rotate a refresh token) still reads
 * and writes atomically, since a batch runs synchronously. If any write throws, the
 * batch rolls back and every write reruns in its own transaction, so one failure
 * never takes the others with it. The connection has no busy timeout: while another
 * connection (Prisma's, or another process) holds the write lock, the batch waits
 * asynchronously, since a blocking wait would stall the event loop and with it a
 * Prisma transaction holding the lock.
 */
class WriteBatcher {
  private queue: PendingWrite[] = [];
  private scheduled = false;

  constructor(private readonly db: Database.Database) {}

  submit<T>(op: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ op, resolve: resolve as (value: unknown) => void, reject, deadline: Date.now() + BUSY_RETRY_MS });
      this.schedule(0);
    });
  }

  private schedule(delayMs: number) {
    if (this.scheduled) return;
    this.scheduled = true;
    const run = () => {
      this.scheduled = false;
      this.flush();
    };
    if (delayMs === 0) setImmediate(run);
    else setTimeout(run, delayMs);
  }

  private flush() {
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    const results: unknown[] = [];
    try {
      this.db.transaction(() => {
        for (const w of batch) results.push(w.op());
      }).immediate();
    } catch (err) {
      if (isBusy(err)) return this.retryLater(batch, err);
      if (batch.length === 1) return batch[0]!.reject(err);
      for (const w of batch) this.runAlone(w);
      return;
    }
    batch.forEach((w, i) => w.resolve(results[i]));
  }

  private runAlone(w: PendingWrite) {
    let result: unknown;
    try {
      result = this.db.transaction(w.op).immediate();
    } catch (err) {
      if (isBusy(err)) return this.retryLater([w], err);
      return w.reject(err);
    }
    w.resolve(result);
  }

  private retryLater(batch: PendingWrite[], err: unknown) {
    const now = Date.now();
    const waiting = batch.filter((w) => {
      if (w.deadline > now) return true;
      w.reject(err);
      return false;
    });
    this.queue = [...waiting, ...this.queue];
    if (this.queue.length > 0) this.schedule(5);
  }
}

export type HotPathStore = Pick<
  OAuthStore,
  | "getClient"
  | "getUserClaims"
  | "isGrantActive"
  | "saveAuthorizationCode"
  | "consumeAuthorizationCode"
  | "createTokenFamily"
  | "revokeTokenFamily"
  | "isTokenFamilyRevoked"
  | "saveRefreshToken"
  | "findRefreshToken"
  | "findRefreshTokenUse"
  | "rotateRefreshToken"
  | "revokeAccessToken"
  | "isAccessTokenRevoked"
  | "isAccessTokenRevokedAnywhere"
> & { close(): void };

/** `file` is the SQLite database path Prisma also uses. */
export function createSqliteHotPathStore(file: string, clientCacheMs: number): HotPathStore {
  const db = new Database(file, { timeout: 0 });
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("foreign_keys = ON");
  const q = {
    client: db.prepare(
      `SELECT id, name, type, status, grantTypes, scopes FROM "Client" WHERE id = ?`,
    ),
    redirectUris: db.prepare(`SELECT uri FROM "RedirectUri" WHERE clientId = ?`).pluck(),
    secrets: db.prepare(
      `SELECT id, secretHash, expiresAt, revokedAt FROM "ClientSecret" WHERE clientId = ? AND revokedAt IS NULL`,
    ),
    user: db.prepare(`SELECT id, email, emailVerified, name, updatedAt FROM "User" WHERE id = ?`),
    grantRevokedAt: db.prepare(`SELECT revokedAt FROM "Grant" WHERE id = ?`),
    insertCode: db.prepare(
      `INSERT INTO "AuthorizationCode" (id, codeHash, clientId, userId, grantId, redirectUri, scope, codeChallenge,
         codeChallengeMethod, nonce, authTime, expiresAt, createdAt)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    codeUseByHash: db.prepare(
      `SELECT c.*, ${GRANT_AND_USER_COLUMNS} FROM "AuthorizationCode" c ${joinGrantAndUser("c")} WHERE c.codeHash = ?`,
    ),
    consumeCode: db.prepare(
      `UPDATE "AuthorizationCode" SET consumedAt = ?, familyId = ? WHERE id = ? AND consumedAt IS NULL`,
    ),
    insertFamily: db.prepare(
      `INSERT INTO "TokenFamily" (id, clientId, userId, grantId, createdAt) VALUES (?, ?, ?, ?, ?)`,
    ),
    revokeFamily: db.prepare(`UPDATE "TokenFamily" SET revokedAt = ? WHERE id = ? AND revokedAt IS NULL`),
    revokeFamilyTokens: db.prepare(
      `UPDATE "RefreshToken" SET revokedAt = ? WHERE familyId = ? AND revokedAt IS NULL`,
    ),
    familyRevokedAt: db.prepare(`SELECT revokedAt FROM "TokenFamily" WHERE id = ?`),
    insertRefresh: db.prepare(
      `INSERT INTO "RefreshToken" (id, familyId, clientId, userId, grantId, scope, authTime, nonce, expiresAt, createdAt)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
    jtiRevoked: db.prepare(`SELECT 1 FROM "RevokedAccessToken" WHERE jti = ?`).pluck(),
    accessTokenRevoked: db
      .prepare(
        `SELECT EXISTS (SELECT 1 FROM "RevokedAccessToken" WHERE jti = @jti)
           OR (@familyId IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "TokenFamily" WHERE id = @familyId AND revokedAt IS NULL))
           OR (@grantId IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "Grant" WHERE id = @grantId AND revokedAt IS NULL))`,
      )
      .pluck(),
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
      secrets: (q.secrets.all(id) as Row[]).map((s) => ({
        id: str(s.id),
        hash: str(s.secretHash),
        expiresAt: dateOrNull(s.expiresAt),
        revokedAt: dateOrNull(s.revokedAt),
      })),
    };
  }

  const insertRefresh = (tokenHash: string, t: NewRefreshToken, at: Date) =>
    q.insertRefresh.run(
      tokenHash, t.familyId, t.clientId, t.userId, t.grantId, t.scope.join(" "),
      t.authTime === null ? null : iso(t.authTime), t.nonce, iso(t.expiresAt), iso(at),
    );

  const writes = new WriteBatcher(db);

  const consume = (codeHash: string, familyId: string, at: Date): AuthorizationCodeUse | null => {
    const row = q.codeUseByHash.get(codeHash) as Row | undefined;
    if (row === undefined) return null;
    const before = toCode(row);
    if (before.consumedAt === null) q.consumeCode.run(iso(at), familyId, before.id);
    return { ...before, ...grantAndUser(row) };
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

  const clients = new TtlCache<ClientRecord | null>(clientCacheMs);

  return {
    getClient: (id) => clients.get(id, async () => loadClient(id)),

    async getUserClaims(userId): Promise<UserClaims | null> {
      const row = q.user.get(userId) as Row | undefined;
      return row === undefined ? null : userClaims(row);
    },

    async isGrantActive(grantId) {
      const row = q.grantRevokedAt.get(grantId) as Row | undefined;
      return row !== undefined && row.revokedAt === null;
    },

    async saveAuthorizationCode(codeHash, c: NewAuthorizationCode) {
      await writes.submit(() =>
        q.insertCode.run(
          newRowId(), codeHash, c.clientId, c.userId, c.grantId, c.redirectUri, c.scope.join(" "), c.codeChallenge,
          c.codeChallengeMethod, c.nonce, iso(c.authTime), iso(c.expiresAt), iso(new Date()),
        ),
      );
    },

    consumeAuthorizationCode: (codeHash, familyId, at) => writes.submit(() => consume(codeHash, familyId, at)),

    async createTokenFamily(f: TokenFamily, at) {
      await writes.submit(() => q.insertFamily.run(f.id, f.clientId, f.userId, f.grantId, iso(at)));
    },

    async revokeTokenFamily(familyId, at) {
      await writes.submit(() => revokeFamily(familyId, at));
    },

    async isTokenFamilyRevoked(familyId) {
      const row = q.familyRevokedAt.get(familyId) as Row | undefined;
      return row === undefined || row.revokedAt !== null;
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
      return { ...toRefresh(row), familyRevoked: row.f_id === null || row.f_revokedAt !== null, ...grantAndUser(row) };
    },

    rotateRefreshToken: (oldId, newHash, next, at) => writes.submit(() => rotate(oldId, newHash, next, at)),

    async revokeAccessToken(jti, expiresAt, at) {
      await writes.submit(() => q.revokeJti.run(jti, iso(expiresAt), iso(at)));
    },

    async isAccessTokenRevokedAnywhere(jti, familyId, grantId) {
      return q.accessTokenRevoked.get({ jti, familyId, grantId }) === 1;
    },

    async isAccessTokenRevoked(jti) {
      return q.jtiRevoked.get(jti) !== undefined;
    },

    close: () => {
      checkpointer?.postMessage("close");
      db.close();
    },
  };
}
