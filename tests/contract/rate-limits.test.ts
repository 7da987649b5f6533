// The rate limits (lib/server/rate-limits.ts) on each store they run on: a real SQLite file
// and a real PostgreSQL, both migrated with the project's own histories, and two limiter
// instances on one PostgreSQL (two server instances) sharing their counts. "Time passes"
// by moving a row's expiry in the table, never by waiting.
import Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type pg from "pg";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import type { RateLimitSettings } from "@/lib/env";
import { createPostgresPool } from "@/lib/data/postgres-pool";
import type { RateLimits, RateLimitStore } from "@/lib/server/rate-limits";
import { migrationScripts } from "./harness";
import { findPostgresBin, POSTGRES_INSTALL_HINT, startPostgres, type PostgresCluster } from "@/scripts/postgres-cluster";

// lib/server/metrics.ts reads the configuration when it loads: keep it off the repo's data folder.
const scratch = mkdtempSync(path.join(tmpdir(), "latchkey-rate-limits-"));
process.env.LATCHKEY_DATA_DIR ??= scratch;
process.env.AUTH_SECRET ??= "rate-limits-contract-secret-0123456789abcdef";
const { createRateLimits } = await import("@/lib/server/rate-limits");

const SETTINGS: RateLimitSettings = {
  signInAccount: { points: 3, window: 600 },
  signInLockout: 60,
  signInLockoutMax: 150,
  signInIp: { points: 8, window: 600 },
  signUpIp: { points: 2, window: 3600 },
  authorizeIp: { points: 4, window: 60 },
  registrationIp: { points: 2, window: 3600 },
  clientAuthClient: { points: 3, window: 600 },
  clientAuthIp: { points: 5, window: 600 },
};

interface Harness {
  /** A store as a new server process would open it. */
  open(): RateLimitStore;
  /** Moves a key's expiry into the past: its window or lock has run out. */
  expire(key: string): Promise<void>;
  /** The points stored under a key, or null when the table has no row for it. */
  points(key: string): Promise<number | null>;
  /** SQLite: takes the write lock from another connection; returns its release. */
  holdWriteLock?(): () => void;
  close(): Promise<void>;
}

interface HarnessFactory {
  name: "sqlite" | "postgresql";
  unavailable: string | null;
  create(): Promise<Harness>;
}

const sqliteHarness: HarnessFactory = {
  name: "sqlite",
  unavailable: null,
  async create() {
    const dir = mkdtempSync(path.join(tmpdir(), "latchkey-rate-limits-sqlite-"));
    const file = path.join(dir, "limits.db");
    const admin = new Database(file);
    admin.pragma("journal_mode = WAL");
    for (const script of migrationScripts("sqlite")) admin.exec(script);
    const opened: Database.Database[] = [];
    return {
      open() {
        // As the app opens it: no busy timeout.
        const db = new Database(file, { timeout: 0 });
        opened.push(db);
        return { kind: "sqlite", db };
      },
      async expire(key) {
        admin.prepare(`UPDATE "RateLimit" SET expire = ? WHERE key = ?`).run(Date.now() - 1, key);
      },
      async points(key) {
        return (admin.prepare(`SELECT points FROM "RateLimit" WHERE key = ?`).pluck().get(key) as number | undefined) ?? null;
      },
      holdWriteLock() {
        admin.exec("BEGIN IMMEDIATE");
        return () => admin.exec("COMMIT");
      },
      async close() {
        for (const db of opened) if (db.open) db.close();
        admin.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

let cluster: Promise<PostgresCluster> | null = null;

const postgresHarness: HarnessFactory = {
  name: "postgresql",
  unavailable: findPostgresBin() === null ? POSTGRES_INSTALL_HINT : null,
  async create() {
    cluster ??= startPostgres();
    const url = await (await cluster).createDatabase();
    const admin = createPostgresPool(url, 2);
    for (const script of migrationScripts("postgresql")) await admin.query(script);
    const pools: pg.Pool[] = [];
    return {
      open() {
        const pool = createPostgresPool(url, 10);
        pools.push(pool);
        return { kind: "postgresql", pool };
      },
      async expire(key) {
        await admin.query(`UPDATE "RateLimit" SET expire = $1 WHERE key = $2`, [Date.now() - 1, key]);
      },
      async points(key) {
        const r = await admin.query<{ points: number }>(`SELECT points FROM "RateLimit" WHERE key = $1`, [key]);
        return r.rows[0]?.points ?? null;
      },
      async close() {
        for (const p of pools) await p.end();
        await admin.end();
      },
    };
  },
};

afterAll(async () => {
  if (cluster) (await cluster).stop();
  rmSync(scratch, { recursive: true, force: true });
});

describe.each([sqliteHarness, postgresHarness])("rate limits on $name", (factory) => {
  if (factory.unavailable !== null) {
    if (process.env.CI) throw new Error(`rate limits on ${factory.name} cannot run in CI: ${factory.unavailable}`);
    it.skip(`skipped: ${factory.unavailable}`, () => {});
    return;
  }

  let harness: Harness;
  const instances: RateLimits[] = [];
  /** The limits that refused a request, in order (what the metrics count). */
  let refused: string[] = [];
  const instance = (settings = SETTINGS) => {
    const limits = createRateLimits(settings, harness.open(), (limit) => refused.push(limit));
    instances.push(limits);
    return limits;
  };

  beforeEach(async () => {
    refused = [];
    harness = await factory.create();
  });

  afterEach(async () => {
    for (const limits of instances.splice(0)) limits.close();
    await harness.close();
  });

  async function failTimes(limits: RateLimits, n: number, email: string, ip: string) {
    const results = [];
    for (let i = 0; i < n; i++) results.push(await limits.recordSignInFailure(email, ip));
    return results;
  }

  it("the Nth failed sign-in locks the account for the first lockout, whatever the address", async () => {
    const limits = instance();
    const before = await failTimes(limits, 2, "alice@example.test", "192.0.2.1");
    expect(before.map((f) => f.refusal)).toEqual([null, null]);
    expect(await limits.signInBlocked("alice@example.test", "192.0.2.1")).toBeNull();

    const third = await limits.recordSignInFailure("alice@example.test", "192.0.2.2");
    expect(third.lockout).toEqual({ seconds: 60, count: 1 });
    expect(third.refusal).toEqual({ limit: "sign_in_account", retryAfter: 60 });

    const refusal = await limits.signInBlocked("alice@example.test", "198.51.100.7");
    expect(refusal?.limit).toBe("sign_in_account");
    expect(refusal!.retryAfter).toBeGreaterThan(55);
    expect(refusal!.retryAfter).toBeLessThanOrEqual(60);
    expect(await limits.signInBlocked("bob@example.test", "198.51.100.7")).toBeNull();
    expect(refused).toEqual(["sign_in_account"]);
  });

  it("each further lockout within a day doubles the lock, up to the maximum", async () => {
    const limits = instance();
    const locks: (number | undefined)[] = [];
    for (let round = 0; round < 3; round++) {
      const failures = await failTimes(limits, 3, "carol@example.test", `192.0.2.${round + 10}`);
      locks.push(failures.at(-1)!.lockout?.seconds);
      expect(failures.at(-1)!.lockout?.count).toBe(round + 1);
      await harness.expire("sign_in_account:carol@example.test");
      expect(await limits.signInBlocked("carol@example.test", "192.0.2.99")).toBeNull();
    }
    expect(locks).toEqual([60, 120, 150]);
  });

  it("a successful sign-in clears the account's failures", async () => {
    const limits = instance();
    await failTimes(limits, 2, "dave@example.test", "192.0.2.1");
    await limits.recordSignInSuccess("dave@example.test");
    const after = await failTimes(limits, 2, "dave@example.test", "192.0.2.1");
    expect(after.map((f) => f.lockout)).toEqual([null, null]);
    expect(await limits.signInBlocked("dave@example.test", "192.0.2.1")).toBeNull();
  });

  it("an address that fails on many accounts is refused on every account; other addresses are not", async () => {
    const limits = instance();
    let last;
    for (let i = 0; i < 8; i++) last = await limits.recordSignInFailure(`user${i}@example.test`, "203.0.113.5");
    expect(last!.ipLockout?.seconds).toBeGreaterThan(590);
    expect(last!.refusal?.limit).toBe("sign_in_ip");
    expect((await limits.signInBlocked("someone-else@example.test", "203.0.113.5"))?.limit).toBe("sign_in_ip");
    expect(await limits.signInBlocked("someone-else@example.test", "203.0.113.6")).toBeNull();
  });

  it("sign-ups, authorization requests and registrations over the limit are refused with the seconds left", async () => {
    const limits = instance();
    expect(await limits.consumeSignUp("192.0.2.1")).toBeNull();
    expect(await limits.consumeSignUp("192.0.2.1")).toBeNull();
    const signUpWait = await limits.consumeSignUp("192.0.2.1");
    expect(signUpWait).toBeGreaterThan(3500);
    expect(signUpWait).toBeLessThanOrEqual(3600);
    expect(await limits.consumeSignUp("192.0.2.2")).toBeNull();

    for (let i = 0; i < 4; i++) expect(await limits.consumeAuthorization("192.0.2.1")).toBeNull();
    const authorizeWait = await limits.consumeAuthorization("192.0.2.1");
    expect(authorizeWait).toBeGreaterThan(0);
    expect(authorizeWait).toBeLessThanOrEqual(60);
    await harness.expire("authorize_ip:192.0.2.1");
    expect(await limits.consumeAuthorization("192.0.2.1")).toBeNull();

    expect(await limits.consumeRegistration("192.0.2.1")).toBeNull();
    expect(await limits.consumeRegistration("192.0.2.1")).toBeNull();
    expect(await limits.consumeRegistration("192.0.2.1")).toBeGreaterThan(3500);
    expect(await limits.consumeRegistration("192.0.2.3")).toBeNull();
    expect(refused).toEqual(["sign_up_ip", "authorize_ip", "registration_ip"]);
  });

  it("failed client authentication blocks the client_id (from any address) and the address (for any client)", async () => {
    const limits = instance();
    expect(limits.clientAuthBlocked("192.0.2.1", "app-1")).toBeNull();
    expect(await limits.recordClientAuthFailure("192.0.2.1", "app-1")).toBeNull();
    expect(await limits.recordClientAuthFailure("192.0.2.2", "app-1")).toBeNull();
    const wait = await limits.recordClientAuthFailure("192.0.2.3", "app-1");
    expect(wait).toBeGreaterThan(590);
    expect(limits.clientAuthBlocked("198.51.100.1", "app-1")).toBeGreaterThan(590);
    expect(limits.clientAuthBlocked("198.51.100.1", "app-2")).toBeNull();

    // The address limit (5) counts failures without a client_id and for every client.
    await limits.recordClientAuthFailure("203.0.113.9", null);
    await limits.recordClientAuthFailure("203.0.113.9", "app-3");
    await limits.recordClientAuthFailure("203.0.113.9", "app-4");
    await limits.recordClientAuthFailure("203.0.113.9", "app-5");
    expect(limits.clientAuthBlocked("203.0.113.9", "app-6")).toBeNull();
    expect(await limits.recordClientAuthFailure("203.0.113.9", null)).toBeGreaterThan(590);
    expect(limits.clientAuthBlocked("203.0.113.9", "app-6")).toBeGreaterThan(590);
    expect(limits.clientAuthBlocked("203.0.113.9", null)).toBeGreaterThan(590);
    expect(limits.clientAuthBlocked("203.0.113.10", "app-6")).toBeNull();
    expect(refused).toEqual(["client_auth_client", "client_auth_client", "client_auth_ip", "client_auth_ip", "client_auth_ip"]);
  });

  it("a lockout outlives the process: a new instance on the same database still refuses", async () => {
    const first = instance();
    await failTimes(first, 3, "erin@example.test", "192.0.2.1");
    first.close();
    const restarted = instance();
    expect((await restarted.signInBlocked("erin@example.test", "192.0.2.1"))?.limit).toBe("sign_in_account");
  });

  it("without its table the limits count in memory and still refuse", async () => {
    const noTable = createRateLimits(SETTINGS, async () => {
      const store = harness.open();
      if (store.kind === "sqlite") store.db.exec(`ALTER TABLE "RateLimit" RENAME TO "RateLimitAway"`);
      else if (store.kind === "postgresql") await store.pool.query(`ALTER TABLE "RateLimit" RENAME TO "RateLimitAway"`);
      return store;
    });
    instances.push(noTable);
    for (let i = 0; i < 2; i++) expect(await noTable.consumeSignUp("192.0.2.1")).toBeNull();
    expect(await noTable.consumeSignUp("192.0.2.1")).toBeGreaterThan(0);
  });

  it("counts land in the table, one row per key", async () => {
    const limits = instance();
    await limits.consumeAuthorization("192.0.2.1");
    await limits.consumeAuthorization("192.0.2.1");
    await limits.recordSignInFailure("Mixed@Example.test", "192.0.2.1");
    expect(await harness.points("authorize_ip:192.0.2.1")).toBe(2);
    expect(await harness.points("sign_in_account:Mixed@Example.test")).toBe(1);
    expect(await harness.points("sign_in_ip:192.0.2.1")).toBe(1);
  });

  if (factory.name === "sqlite") {
    it("a write lock held by another connection is waited for without blocking, and the count still lands in the table", async () => {
      const limits = instance();
      const release = harness.holdWriteLock!();
      const pending = limits.consumeSignUp("192.0.2.1");
      // Every microtask has run: the first attempt met the lock and is waiting to retry.
      await new Promise((resolve) => setImmediate(resolve));
      expect(await harness.points("sign_up_ip:192.0.2.1")).toBeNull();
      release();
      expect(await pending).toBeNull();
      expect(await harness.points("sign_up_ip:192.0.2.1")).toBe(1);
    });
  }

  if (factory.name === "postgresql") {
    it("two instances on one PostgreSQL share their counts and lockouts", async () => {
      const a = instance();
      const b = instance();
      await a.recordSignInFailure("frank@example.test", "192.0.2.1");
      await b.recordSignInFailure("frank@example.test", "192.0.2.2");
      const third = await a.recordSignInFailure("frank@example.test", "192.0.2.3");
      expect(third.lockout?.count).toBe(1);
      expect((await b.signInBlocked("frank@example.test", "192.0.2.4"))?.limit).toBe("sign_in_account");

      expect(await a.consumeSignUp("192.0.2.1")).toBeNull();
      expect(await b.consumeSignUp("192.0.2.1")).toBeNull();
      expect(await a.consumeSignUp("192.0.2.1")).toBeGreaterThan(0);
    });

    it("concurrent failures on two instances lock the account exactly once", async () => {
      const a = instance();
      const b = instance();
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? a : b).recordSignInFailure("grace@example.test", `192.0.2.${i}`)),
      );
      expect(results.filter((r) => r.lockout !== null)).toHaveLength(1);
      expect(results.filter((r) => r.refusal?.limit === "sign_in_account").length).toBeGreaterThanOrEqual(10);
    });

    it("another instance learns of a client block at its own next failure (no database read on the token path)", async () => {
      const a = instance();
      const b = instance();
      await a.recordClientAuthFailure("192.0.2.1", "shared-app");
      await a.recordClientAuthFailure("192.0.2.1", "shared-app");
      expect(await b.recordClientAuthFailure("192.0.2.2", "shared-app")).toBeGreaterThan(590);
      expect(b.clientAuthBlocked("192.0.2.9", "shared-app")).toBeGreaterThan(590);
      expect(a.clientAuthBlocked("192.0.2.9", "shared-app")).toBeNull();
      expect(await a.recordClientAuthFailure("192.0.2.1", "shared-app")).toBeGreaterThan(590);
      expect(a.clientAuthBlocked("192.0.2.9", "shared-app")).toBeGreaterThan(590);
    });
  }
});
