// Rate limits on sign-in, sign-up, the authorization endpoint and client authentication,
// counted by rate-limiter-flexible in the "RateLimit" table (prisma/models.prisma): on
// PostgreSQL every instance shares the counts; on SQLite they live in the same file, so
// lockouts survive a restart. If the table cannot be written (database down, a write
// lock held too long), a limiter counts in memory until it can again.
import { createHash } from "node:crypto";
import type BetterSqlite3 from "better-sqlite3";
import type pg from "pg";
import {
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterRes,
  RateLimiterSQLite,
  type RateLimiterAbstract,
} from "rate-limiter-flexible";
import { env, type RateLimitSettings } from "../env";
import type { OAuthResponse } from "../oauth/http";
import { countRateLimited } from "./metrics";

/** The limits, as `countRateLimited` labels. */
export type LimitName =
  | "sign_in_account"
  | "sign_in_ip"
  | "sign_up_ip"
  | "authorize_ip"
  | "registration_ip"
  | "client_auth_client"
  | "client_auth_ip"
  | "device_code"
  | "password_reset_email"
  | "password_reset_ip";

export type RateLimitStore =
  | { kind: "sqlite"; db: BetterSqlite3.Database }
  | { kind: "postgresql"; pool: pg.Pool }
  /** Per process, not persistent: only when the database store cannot be opened. */
  | { kind: "memory" };

export interface Refusal {
  limit: LimitName;
  /** Seconds until the request may be made again (at least 1). */
  retryAfter: number;
}

export interface SignInFailure {
  /** Set when the account or the address may not try again for a while (this failure reached a limit). */
  refusal: Refusal | null;
  /** Set when this failure locked the account: the lock in seconds, and how many locks in 24 hours. */
  lockout: { seconds: number; count: number } | null;
  /** Set when this failure reached the address's limit. */
  ipLockout: { seconds: number } | null;
}

export interface RateLimits {
  /** Whether sign-in for this account or from this address is refused right now. Read before the password check. */
  signInBlocked(email: string, ip: string): Promise<Refusal | null>;
  recordSignInFailure(email: string, ip: string): Promise<SignInFailure>;
  /** A successful sign-in clears the account's failures (not its lockouts in the last 24 hours). */
  recordSignInSuccess(email: string): Promise<void>;
  /** Counts a sign-up from `ip`; the seconds to wait when over the limit, else null. */
  consumeSignUp(ip: string): Promise<number | null>;
  /** Counts an authorization request from `ip`; the seconds to wait when over the limit, else null. */
  consumeAuthorization(ip: string): Promise<number | null>;
  /** Counts a dynamic client registration from `ip` (RFC 7591); the seconds to wait when over, else null. */
  consumeRegistration(ip: string): Promise<number | null>;
  clientAuthBlocked(ip: string, clientId: string | null): number | null;
  recordClientAuthFailure(ip: string, clientId: string | null): Promise<number | null>;
  /** RFC 8628 §5.1: seconds to wait when this user or address entered too many wrong user codes, else null. */
  deviceCodeBlocked(userId: string, ip: string): Promise<number | null>;
  /** Counts a wrong user code for the user and the address; the seconds to wait when now over, else null. */
  recordDeviceCodeFailure(userId: string, ip: string): Promise<number | null>;
  /** Counts a password-reset request for the address and the IP; the seconds to wait when over, else null. */
  consumePasswordReset(email: string, ip: string): Promise<number | null>;
  /** Deletes rows that expired over an hour ago (every 5 minutes on its own). */
  clearExpired(): Promise<void>;
  close(): void;
}

const TABLE = "RateLimit";
const DAY = 24 * 3600;
const BUSY_RETRY_MS = 2_000;
const CLEAR_EXPIRED_MS = 5 * 60_000;
/** Wrong device user codes per user and per address in the window: 20^8 codes stay out of reach. */
export const DEVICE_CODE_FAILURES = 10;
export const DEVICE_CODE_WINDOW = 900;
const BLOCK_CACHE_MAX = 10_000;
/** Password-reset emails per address and per IP address in an hour. */
export const PASSWORD_RESET_PER_EMAIL = 5;
export const PASSWORD_RESET_PER_IP = 20;

interface Limiter {
  store: RateLimiterAbstract;
  /** Counts while the store fails. */
  memory: RateLimiterMemory;
  points: number;
}

function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" && (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED"));
}

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/** Keys stay readable (an operator can unlock an account with one DELETE) but bounded. */
function subject(value: string): string {
  return value.length <= 128 ? value : `sha256:${createHash("sha256").update(value).digest("base64url")}`;
}

let lastStoreError = 0;
function reportStoreError(err: unknown) {
  if (Date.now() - lastStoreError < 60_000) return;
  lastStoreError = Date.now();
  console.error("[latchkey] rate limits: the database store failed, counting in memory", (err as Error)?.message ?? err);
}

export function createRateLimits(
  settings: RateLimitSettings,
  openStore: RateLimitStore | (() => Promise<RateLimitStore>),
  /** Called once per refused request. */
  onRefused: (limit: LimitName) => void = () => {},
): RateLimits {
  let limiters: Promise<Record<LimitName | "sign_in_lockouts", Limiter>> | null = null;
  let sqlite: BetterSqlite3.Database | null = null;
  let timer: NodeJS.Timeout | null = null;

  async function build() {
    let store: RateLimitStore;
    try {
      store = typeof openStore === "function" ? await openStore() : openStore;
    } catch (err) {
      reportStoreError(err);
      store = { kind: "memory" };
    }
    if (store.kind === "sqlite") sqlite = store.db;
    const make = (keyPrefix: string, points: number, duration: number): Limiter => {
      const opts = { keyPrefix, points, duration, tableName: TABLE, tableCreated: true, clearExpiredByTimeout: false };
      const memory = new RateLimiterMemory({ keyPrefix, points, duration });
      switch (store.kind) {
        case "sqlite":
          return { store: new RateLimiterSQLite({ ...opts, storeClient: store.db, storeType: "better-sqlite3" }), memory, points };
        case "postgresql":
          return { store: new RateLimiterPostgres({ ...opts, storeClient: store.pool, storeType: "pool" }), memory, points };
        case "memory":
          return { store: memory, memory, points };
      }
    };
    const s = settings;
    const built = {
      sign_in_account: make("sign_in_account", s.signInAccount.points, s.signInAccount.window),
      // Lockouts in the last 24 hours: each one doubles the next.
      sign_in_lockouts: make("sign_in_lockouts", 1_000_000, DAY),
      sign_in_ip: make("sign_in_ip", s.signInIp.points, s.signInIp.window),
      sign_up_ip: make("sign_up_ip", s.signUpIp.points, s.signUpIp.window),
      authorize_ip: make("authorize_ip", s.authorizeIp.points, s.authorizeIp.window),
      registration_ip: make("registration_ip", s.registrationIp.points, s.registrationIp.window),
      client_auth_client: make("client_auth_client", s.clientAuthClient.points, s.clientAuthClient.window),
      client_auth_ip: make("client_auth_ip", s.clientAuthIp.points, s.clientAuthIp.window),
      device_code: make("device_code", DEVICE_CODE_FAILURES, DEVICE_CODE_WINDOW),
      password_reset_email: make("password_reset_email", PASSWORD_RESET_PER_EMAIL, 3600),
      password_reset_ip: make("password_reset_ip", PASSWORD_RESET_PER_IP, 3600),
    };
    if (store.kind !== "memory") {
      timer = setInterval(() => void clearExpired(), CLEAR_EXPIRED_MS);
      timer.unref();
    }
    return built;
  }

  const get = () => (limiters ??= build());

  /**
   * Runs `op` on the database limiter; on SQLite a busy database is retried (the
   * connection never blocks the event loop waiting for a lock), and any other failure
   * falls back to the in-memory limiter.
   */
  async function withStore<T>(limiter: Limiter, op: (rl: RateLimiterAbstract | RateLimiterMemory) => Promise<T>): Promise<T> {
    const deadline = Date.now() + BUSY_RETRY_MS;
    for (;;) {
      try {
        return await op(limiter.store);
      } catch (err) {
        if (err instanceof RateLimiterRes) throw err;
        if (isBusy(err) && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 5));
          continue;
        }
        reportStoreError(err);
        return op(limiter.memory);
      }
    }
  }

  /** Adds a point; the counter's state whether or not it went over. */
  async function hit(limiter: Limiter, key: string): Promise<RateLimiterRes> {
    try {
      return await withStore(limiter, (rl) => rl.consume(subject(key)));
    } catch (res) {
      if (res instanceof RateLimiterRes) return res;
      throw res;
    }
  }

  /** Seconds left when `key` has used all its points, else null. */
  async function exhausted(limiter: Limiter, key: string): Promise<number | null> {
    const res = await withStore(limiter, (rl) => rl.get(subject(key)));
    return res !== null && res.consumedPoints >= limiter.points ? seconds(res.msBeforeNext) : null;
  }

  async function consumeOrRefuse(
    name: "sign_up_ip" | "authorize_ip" | "registration_ip" | "password_reset_email" | "password_reset_ip",
    key: string,
  ): Promise<number | null> {
    const limiter = (await get())[name];
    const res = await hit(limiter, key);
    if (res.consumedPoints <= limiter.points) return null;
    onRefused(name);
    return seconds(res.msBeforeNext);
  }

  // Client authentication is refused from memory, with no database read on the token path:
  // a key enters this cache when a failure recorded here reaches its limit, so another
  // instance refuses it after at most one more failure of its own.
  const blockedUntil = new Map<string, number>();

  function cacheBlock(key: string, until: number) {
    if (blockedUntil.size >= BLOCK_CACHE_MAX) {
      const now = Date.now();
      for (const [k, t] of blockedUntil) if (t <= now) blockedUntil.delete(k);
    }
    blockedUntil.set(key, Math.max(until, blockedUntil.get(key) ?? 0));
  }

  function cachedWait(key: string, now: number): number {
    const until = blockedUntil.get(key);
    if (until === undefined) return 0;
    if (until <= now) {
      blockedUntil.delete(key);
      return 0;
    }
    return until - now;
  }

  async function clearExpired() {
    if (limiters === null) return;
    const { sign_in_account } = await limiters;
    // Not in the library's types; it deletes every expired row of the table, whatever the prefix.
    const store = sign_in_account.store as unknown as { clearExpired?: (before: number) => Promise<void> };
    try {
      await store.clearExpired?.(Date.now() - 3600_000);
    } catch (err) {
      if (!isBusy(err)) reportStoreError(err);
    }
  }

  return {
    async signInBlocked(email, ip) {
      const l = await get();
      const [account, address] = await Promise.all([exhausted(l.sign_in_account, email), exhausted(l.sign_in_ip, ip)]);
      const refusal: Refusal | null =
        account !== null && (address === null || account >= address)
          ? { limit: "sign_in_account", retryAfter: account }
          : address !== null
            ? { limit: "sign_in_ip", retryAfter: address }
            : null;
      if (refusal) onRefused(refusal.limit);
      return refusal;
    },

    async recordSignInFailure(email, ip) {
      const l = await get();
      const [account, address] = await Promise.all([hit(l.sign_in_account, email), hit(l.sign_in_ip, ip)]);
      let lockout: SignInFailure["lockout"] = null;
      let accountWait: number | null = null;
      // Exactly one failure reaches the limit (the store counts atomically): it sets the lock.
      if (account.consumedPoints === l.sign_in_account.points) {
        const count = (await hit(l.sign_in_lockouts, email)).consumedPoints;
        const lock = Math.min(settings.signInLockout * 2 ** Math.min(count - 1, 30), settings.signInLockoutMax);
        await withStore(l.sign_in_account, (rl) => rl.block(subject(email), lock));
        lockout = { seconds: lock, count };
        accountWait = lock;
      } else if (account.consumedPoints > l.sign_in_account.points) {
        accountWait = seconds(account.msBeforeNext);
      }
      const ipWait = address.consumedPoints >= l.sign_in_ip.points ? seconds(address.msBeforeNext) : null;
      const ipLockout = address.consumedPoints === l.sign_in_ip.points ? { seconds: ipWait! } : null;
      const refusal: Refusal | null =
        accountWait !== null && (ipWait === null || accountWait >= ipWait)
          ? { limit: "sign_in_account", retryAfter: accountWait }
          : ipWait !== null
            ? { limit: "sign_in_ip", retryAfter: ipWait }
            : null;
      return { refusal, lockout, ipLockout };
    },

    async recordSignInSuccess(email) {
      const l = await get();
      await withStore(l.sign_in_account, (rl) => rl.delete(subject(email)));
    },

    consumeSignUp: (ip) => consumeOrRefuse("sign_up_ip", ip),
    consumeAuthorization: (ip) => consumeOrRefuse("authorize_ip", ip),
    consumeRegistration: (ip) => consumeOrRefuse("registration_ip", ip),
    async consumePasswordReset(email, ip) {
      const [byEmail, byIp] = await Promise.all([consumeOrRefuse("password_reset_email", email), consumeOrRefuse("password_reset_ip", ip)]);
      return byEmail === null && byIp === null ? null : Math.max(byEmail ?? 0, byIp ?? 0);
    },

    clientAuthBlocked(ip, clientId) {
      if (blockedUntil.size === 0) return null;
      const now = Date.now();
      const byClient = clientId === null ? 0 : cachedWait(`client:${clientId}`, now);
      const byIp = cachedWait(`ip:${ip}`, now);
      if (byClient === 0 && byIp === 0) return null;
      onRefused(byClient >= byIp ? "client_auth_client" : "client_auth_ip");
      return seconds(Math.max(byClient, byIp));
    },

    async recordClientAuthFailure(ip, clientId) {
      const l = await get();
      const [byClient, byIp] = await Promise.all([
        clientId === null ? null : hit(l.client_auth_client, clientId),
        hit(l.client_auth_ip, ip),
      ]);
      const clientOver = byClient !== null && byClient.consumedPoints >= l.client_auth_client.points;
      const ipOver = byIp.consumedPoints >= l.client_auth_ip.points;
      if (!clientOver && !ipOver) return null;
      const now = Date.now();
      const clientMs = clientOver ? byClient.msBeforeNext : 0;
      const ipMs = ipOver ? byIp.msBeforeNext : 0;
      if (clientOver) cacheBlock(`client:${clientId}`, now + clientMs);
      if (ipOver) cacheBlock(`ip:${ip}`, now + ipMs);
      onRefused(clientMs >= ipMs ? "client_auth_client" : "client_auth_ip");
      return seconds(Math.max(clientMs, ipMs));
    },

    async deviceCodeBlocked(userId, ip) {
      const l = await get();
      const waits = await Promise.all([exhausted(l.device_code, `user:${userId}`), exhausted(l.device_code, `ip:${ip}`)]);
      const wait = Math.max(waits[0] ?? 0, waits[1] ?? 0);
      if (wait === 0) return null;
      onRefused("device_code");
      return wait;
    },

    async recordDeviceCodeFailure(userId, ip) {
      const l = await get();
      const hits = await Promise.all([hit(l.device_code, `user:${userId}`), hit(l.device_code, `ip:${ip}`)]);
      const over = hits.filter((h) => h.consumedPoints >= DEVICE_CODE_FAILURES);
      return over.length === 0 ? null : Math.max(...over.map((h) => seconds(h.msBeforeNext)));
    },

    clearExpired,

    close() {
      if (timer) clearInterval(timer);
      timer = null;
      sqlite?.close();
      sqlite = null;
    },
  };
}

async function openDatabaseStore(): Promise<RateLimitStore> {
  const e = env();
  if (e.databaseKind === "postgresql") {
    const { pgPool } = await import("../db");
    return { kind: "postgresql", pool: pgPool() };
  }
  const { default: Database } = await import("better-sqlite3");
  // No busy timeout: waiting would block the event loop (see WriteBatcher); busy is retried.
  const db = new Database(e.databaseUrl.replace(/^file:/, ""), { timeout: 0 });
  db.pragma("synchronous = NORMAL");
  return { kind: "sqlite", db };
}

// One per process, on globalThis: server.ts and Next's bundle each load this module.
const globalForLimits = globalThis as unknown as {
  latchkeyRateLimits?: RateLimits | null;
};

function limits(): RateLimits | null {
  if (globalForLimits.latchkeyRateLimits === undefined) {
    const settings = env().rateLimits;
    globalForLimits.latchkeyRateLimits = settings === null ? null : createRateLimits(settings, openDatabaseStore, countRateLimited);
  }
  return globalForLimits.latchkeyRateLimits;
}

export function signInBlocked(email: string, ip: string): Promise<Refusal | null> {
  return limits()?.signInBlocked(email, ip) ?? Promise.resolve(null);
}

const NO_FAILURE: SignInFailure = { refusal: null, lockout: null, ipLockout: null };

export function recordSignInFailure(email: string, ip: string): Promise<SignInFailure> {
  return limits()?.recordSignInFailure(email, ip) ?? Promise.resolve(NO_FAILURE);
}

export function recordSignInSuccess(email: string): Promise<void> {
  return limits()?.recordSignInSuccess(email) ?? Promise.resolve();
}

export function consumeSignUp(ip: string): Promise<number | null> {
  return limits()?.consumeSignUp(ip) ?? Promise.resolve(null);
}

export function consumeAuthorization(ip: string): Promise<number | null> {
  return limits()?.consumeAuthorization(ip) ?? Promise.resolve(null);
}

export function consumeRegistration(ip: string): Promise<number | null> {
  return limits()?.consumeRegistration(ip) ?? Promise.resolve(null);
}

/**
 * Token, introspection and revocation endpoints, before authenticating the client:
 * seconds to wait when this address or client_id is blocked, else null. Synchronous,
 * from memory (no database read on the hot path).
 */
export function clientAuthBlocked(ip: string, clientId: string | null): number | null {
  return limits()?.clientAuthBlocked(ip, clientId) ?? null;
}

/**
 * After a failed client authentication: counts it for the address and the client_id in
 * the shared store; the seconds to wait when either is now blocked, else null.
 */
export function recordClientAuthFailure(ip: string, clientId: string | null): Promise<number | null> {
  return limits()?.recordClientAuthFailure(ip, clientId) ?? Promise.resolve(null);
}

export function consumePasswordReset(email: string, ip: string): Promise<number | null> {
  return limits()?.consumePasswordReset(email, ip) ?? Promise.resolve(null);
}

export function deviceCodeBlocked(userId: string, ip: string): Promise<number | null> {
  return limits()?.deviceCodeBlocked(userId, ip) ?? Promise.resolve(null);
}

export function recordDeviceCodeFailure(userId: string, ip: string): Promise<number | null> {
  return limits()?.recordDeviceCodeFailure(userId, ip) ?? Promise.resolve(null);
}

/**
 * 429 for protocol endpoints, in the RFC 6749 §5.2 error shape. "too_many_requests" is
 * not a registered OAuth error code; clients that do not know it still see the status.
 */
export function tooManyRequests(retryAfter: number, reason = "Too many failed attempts."): OAuthResponse {
  return {
    status: 429,
    headers: { "Retry-After": String(retryAfter), "Content-Type": "application/json", "Cache-Control": "no-store" },
    body: JSON.stringify({
      error: "too_many_requests",
      error_description: `${reason} Try again in ${retryAfter} seconds.`,
    }),
  };
}

/** 429 for the authorization endpoint, which a browser shows: a page, never a redirect to the client. */
export function tooManyRequestsPage(retryAfter: number): OAuthResponse {
  const minutes = Math.max(1, Math.ceil(retryAfter / 60));
  const wait = `${minutes} minute${minutes === 1 ? "" : "s"}`;
  return {
    status: 429,
    headers: { "Retry-After": String(retryAfter), "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" },
    body: `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Too many requests</title></head>
<body>
<h1>Too many requests</h1>
<p>Too many sign-in requests came from your network. Wait ${wait}, then go back to the application and try again.</p>
</body>
</html>
`,
  };
}
