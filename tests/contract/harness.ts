// One harness per store implementation: a fresh, migrated database (a real SQLite
// file, a real PostgreSQL started here), the store on it, and the few writes the
// portal would make (users, clients, a revoked grant) done in plain SQL.
import Database from "better-sqlite3";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type pg from "pg";
import { createPostgresPool } from "@/lib/data/postgres-pool";
import { createPostgresOAuthStore } from "@/lib/data/postgres-oauth-store";
import { createSqliteOAuthStore } from "@/lib/data/sqlite-oauth-store";
import type { ApiRecord, ClientRecord, OAuthStore, StoreLifecycle } from "@/lib/oauth/store";
import { hashPassword } from "@/lib/data/passwords";
import { rowReaders } from "@/lib/data/store-rows";
import { findPostgresBin, POSTGRES_INSTALL_HINT, startPostgres, type PostgresCluster } from "@/scripts/postgres-cluster";
import { MemoryStore } from "../unit/helpers/memory-store";

export interface TestUser {
  id: string;
  email: string;
  password: string;
  name: string;
}

/** OIDC standard-claim columns of a User row, as the account page writes them. */
export type UserProfileColumns = Partial<Record<
  | "givenName" | "familyName" | "middleName" | "nickname" | "preferredUsername" | "profileUrl" | "image" | "website"
  | "gender" | "birthdate" | "zoneinfo" | "locale" | "phoneNumber" | "address",
  string
>> & { phoneNumberVerified?: boolean; emailVerified?: Date };

export interface StoreHarness {
  store: OAuthStore & StoreLifecycle;
  /** A second store on the same database: another instance. */
  openAnother(): OAuthStore & StoreLifecycle;
  addUser(user: TestUser): Promise<void>;
  addClient(client: ClientRecord): Promise<void>;
  addApi(api: ApiRecord): Promise<void>;
  /** What the portal does when a user removes an app's access, or an admin suspends it. */
  revokeGrant(grantId: string): Promise<void>;
  setClientStatus(clientId: string, status: ClientRecord["status"]): Promise<void>;
  blockUser(userId: string): Promise<void>;
  setUserProfile(userId: string, profile: UserProfileColumns): Promise<void>;
  tokensCounted(clientId: string): Promise<number>;
  close(): Promise<void>;
}

export interface HarnessFactory {
  name: string;
  /** Why the implementation cannot run here, or null. */
  unavailable: string | null;
  create(): Promise<StoreHarness>;
}

const root = path.resolve(import.meta.dirname, "../..");
const iso = (d: Date) => d.toISOString();

/** The SQL of each migration of a provider, in order: a fresh database without the CLI. */
export function migrationScripts(provider: "sqlite" | "postgresql"): string[] {
  const dir = path.join(root, "prisma", provider, "migrations");
  return readdirSync(dir)
    .filter((d) => /^\d{14}_/.test(d))
    .sort()
    .map((d) => readFileSync(path.join(dir, d, "migration.sql"), "utf8"));
}

/** The portal's writes, in SQL both databases understand (`?` placeholders). */
interface Exec {
  run(sql: string, values: unknown[]): Promise<void>;
  value(sql: string, values: unknown[]): Promise<unknown>;
}

// argon2 is slow on purpose; each test user's hash is computed once.
const hashes = new Map<string, Promise<string>>();
const passwordHash = (password: string) => {
  if (!hashes.has(password)) hashes.set(password, hashPassword(password));
  return hashes.get(password)!;
};

function fixtures(exec: Exec) {
  return {
    async addUser(u: TestUser) {
      const now = iso(new Date());
      await exec.run(
        `INSERT INTO "User" ("id", "email", "name", "passwordHash", "role", "createdAt", "updatedAt") VALUES (?, ?, ?, ?, 'user', ?, ?)`,
        [u.id, u.email, u.name, await passwordHash(u.password), now, now],
      );
    },
    async addClient(c: ClientRecord) {
      const owner = `owner-${c.id}`;
      const now = Date.now();
      await exec.run(
        `INSERT INTO "User" ("id", "email", "role", "createdAt", "updatedAt") VALUES (?, ?, 'user', ?, ?)`,
        [owner, `${owner}@example.test`, iso(new Date(now)), iso(new Date(now))],
      );
      await exec.run(
        `INSERT INTO "Client" ("id", "ownerId", "name", "type", "grantTypes", "scopes", "webOrigins", "status", "source",
           "defaultScopes", "metadataExpiresAt", "tokensEndedAt", "createdAt", "updatedAt")
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          c.id, owner, c.name, c.type, c.grantTypes.join(" "), c.scopes.join(" "), c.webOrigins.join(" "), c.status, c.source,
          c.defaultScopes.join(" "), c.metadataExpiresAt && iso(c.metadataExpiresAt), c.tokensEndedAt ? iso(c.tokensEndedAt) : null,
          iso(new Date(now)), iso(new Date(now)),
        ],
      );
      for (const [i, uri] of c.redirectUris.entries()) {
        await exec.run(`INSERT INTO "RedirectUri" ("id", "clientId", "uri", "createdAt") VALUES (?, ?, ?, ?)`, [
          `${c.id}-uri-${i}`, c.id, uri, iso(new Date(now + i)),
        ]);
      }
      for (const s of c.secrets) {
        await exec.run(
          `INSERT INTO "ClientSecret" ("id", "clientId", "secretHash", "hint", "createdAt", "expiresAt", "revokedAt") VALUES (?, ?, ?, 'abcd', ?, ?, ?)`,
          [s.id, c.id, s.hash, iso(new Date(now)), s.expiresAt && iso(s.expiresAt), s.revokedAt && iso(s.revokedAt)],
        );
      }
    },
    async addApi(api: ApiRecord) {
      const now = iso(new Date());
      await exec.run(
        `INSERT INTO "Api" ("id", "identifier", "name", "scopes", "accessTokenTtl", "createdAt", "updatedAt") VALUES (?, ?, ?, ?, ?, ?, ?)`,
        [`api-${api.identifier}`, api.identifier, api.name, api.scopes.join(" "), api.accessTokenTtl, now, now],
      );
    },
    async revokeGrant(grantId: string) {
      await exec.run(`UPDATE "Grant" SET "revokedAt" = ? WHERE "id" = ?`, [iso(new Date()), grantId]);
    },
    async blockUser(userId: string) {
      await exec.run(`UPDATE "User" SET "role" = 'blocked' WHERE "id" = ?`, [userId]);
    },
    async setUserProfile(userId: string, profile: UserProfileColumns) {
      for (const [column, value] of Object.entries(profile)) {
        await exec.run(`UPDATE "User" SET "${column}" = ? WHERE "id" = ?`, [value instanceof Date ? iso(value) : value, userId]);
      }
    },
    async setClientStatus(clientId: string, status: string) {
      await exec.run(`UPDATE "Client" SET "status" = ? WHERE "id" = ?`, [status, clientId]);
    },
    async tokensCounted(clientId: string) {
      return Number((await exec.value(`SELECT COALESCE(SUM("tokens"), 0) FROM "ClientUsageDay" WHERE "clientId" = ?`, [clientId])) ?? 0);
    },
  };
}

export const memoryHarness: HarnessFactory = {
  name: "memory",
  unavailable: null,
  async create() {
    const store = new MemoryStore();
    return {
      store,
      openAnother: () => store,
      async addUser(u) {
        store.addUser({ id: u.id, username: u.email, password: u.password, claims: { sub: u.id, email: u.email, email_verified: false, name: u.name, updated_at: 0 } });
      },
      async addClient(c) {
        store.addClient({ ...c, secrets: c.secrets.filter((s) => s.revokedAt === null) });
      },
      async addApi(api) {
        store.addApi(api);
      },
      async revokeGrant(grantId) {
        store.revokeGrant(grantId);
      },
      async blockUser(userId) {
        const user = store.users.get(userId);
        if (user) user.blocked = true;
      },
      async setUserProfile(userId, profile) {
        const user = store.users.get(userId);
        if (!user) return;
        // The SQL stores' row reader, on the row the memory user would have.
        const row = {
          id: userId, email: user.claims.email, name: user.claims.name ?? null, updatedAt: new Date(0), emailVerified: null,
          phoneNumberVerified: false, address: "", ...profile,
        };
        user.claims = rowReaders((v) => v as Date).userClaims(row);
      },
      async setClientStatus(clientId, status) {
        const c = store.clients.get(clientId);
        if (c) c.status = status;
      },
      async tokensCounted(clientId) {
        return store.tokensIssued.filter((t) => t.clientId === clientId).length;
      },
      close: () => store.close(),
    };
  },
};

export const sqliteHarness: HarnessFactory = {
  name: "sqlite",
  unavailable: null,
  async create() {
    const dir = mkdtempSync(path.join(tmpdir(), "latchkey-contract-"));
    const file = path.join(dir, "contract.db");
    const db = new Database(file);
    db.pragma("journal_mode = WAL");
    for (const script of migrationScripts("sqlite")) db.exec(script);
    const exec: Exec = {
      async run(sql, values) {
        db.prepare(sql).run(...values.map((v) => (typeof v === "boolean" ? Number(v) : v)));
      },
      async value(sql, values) {
        return db.prepare(sql).pluck().get(...values);
      },
    };
    const open = () => createSqliteOAuthStore({ file, clientCacheMs: 500, usageFlushMs: 60_000 });
    const stores = [open()];
    return {
      store: stores[0]!,
      openAnother: () => {
        const s = open();
        stores.push(s);
        return s;
      },
      ...fixtures(exec),
      async close() {
        for (const s of stores) await s.close();
        db.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

let cluster: Promise<PostgresCluster> | null = null;

export const postgresHarness: HarnessFactory = {
  name: "postgresql",
  unavailable: findPostgresBin() === null ? POSTGRES_INSTALL_HINT : null,
  async create() {
    cluster ??= startPostgres();
    const url = await (await cluster).createDatabase();
    const admin = createPostgresPool(url, 2);
    for (const script of migrationScripts("postgresql")) await admin.query(script);
    const toPg = (sql: string) => {
      let n = 0;
      return sql.replace(/\?/g, () => `$${++n}`);
    };
    const exec: Exec = {
      async run(sql, values) {
        await admin.query(toPg(sql), values);
      },
      async value(sql, values) {
        const r = await admin.query({ text: toPg(sql), values, rowMode: "array" });
        return (r.rows[0] as unknown[] | undefined)?.[0];
      },
    };
    const pools: pg.Pool[] = [];
    const stores: (OAuthStore & StoreLifecycle)[] = [];
    const open = () => {
      // Counting queries (as the benchmark does) lets a test see its round trips.
      const pool = createPostgresPool(url, 10, true);
      pools.push(pool);
      const s = createPostgresOAuthStore({ pool, clientCacheMs: 500, usageFlushMs: 60_000 });
      stores.push(s);
      return s;
    };
    return {
      store: open(),
      openAnother: open,
      ...fixtures(exec),
      async close() {
        for (const s of stores) await s.close();
        for (const p of pools) await p.end();
        await admin.end();
      },
    };
  },
};

/** Stops the shared PostgreSQL cluster, if one was started. */
export async function stopPostgres(): Promise<void> {
  if (cluster) (await cluster).stop();
  cluster = null;
}

export const HARNESSES = [memoryHarness, sqliteHarness, postgresHarness];
