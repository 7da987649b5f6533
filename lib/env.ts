// Configuration, read and validated once. Defaults run out of the box.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const schema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  LATCHKEY_ISSUER: z.url().optional(),
  LATCHKEY_DATA_DIR: z.string().optional(),
  DATABASE_URL: z.string().optional(),
  AUTH_SECRET: z.string().min(32).optional(),
  NEXTAUTH_SECRET: z.string().min(32).optional(),
  LATCHKEY_ACCESS_TOKEN_TTL: positiveInt(3600),
  LATCHKEY_ID_TOKEN_TTL: positiveInt(3600),
  LATCHKEY_REFRESH_TOKEN_TTL: positiveInt(30 * 24 * 3600),
  LATCHKEY_CODE_TTL: positiveInt(60),
  LATCHKEY_SEED: z.enum(["true", "false"]).default("true"),
  LATCHKEY_DB_POOL_SIZE: positiveInt(4),
  LATCHKEY_TRUST_PROXY: z.enum(["true", "false"]).default("false"),
  LATCHKEY_METRICS_TOKEN: z.string().min(16).optional(),
  LATCHKEY_COUNT_STATEMENTS: z.enum(["0", "1"]).default("0"),
  LATCHKEY_SHUTDOWN_TIMEOUT: positiveInt(10),
  LATCHKEY_ACCESS_LOG: z.enum(["true", "false"]).default("true"),
  LATCHKEY_PAGES: z.enum(["lazy", "eager"]).default("lazy"),
  LATCHKEY_MAX_BODY: positiveInt(64 * 1024),
  LATCHKEY_MAX_PAGE_BODY: positiveInt(1024 * 1024),
  // Rate limits (lib/server/rate-limits.ts). Windows and lockouts in seconds.
  LATCHKEY_RATE_LIMITS: z.enum(["on", "off"]).default("on"),
  LATCHKEY_RATE_SIGN_IN_ACCOUNT_FAILURES: positiveInt(5),
  LATCHKEY_RATE_SIGN_IN_IP_FAILURES: positiveInt(30),
  LATCHKEY_RATE_SIGN_IN_WINDOW: positiveInt(15 * 60),
  LATCHKEY_RATE_SIGN_IN_LOCKOUT: positiveInt(15 * 60),
  LATCHKEY_RATE_SIGN_IN_LOCKOUT_MAX: positiveInt(24 * 3600),
  LATCHKEY_RATE_SIGN_UP_PER_IP: positiveInt(10),
  LATCHKEY_RATE_SIGN_UP_WINDOW: positiveInt(3600),
  LATCHKEY_RATE_AUTHORIZE_PER_IP: positiveInt(120),
  LATCHKEY_RATE_AUTHORIZE_WINDOW: positiveInt(60),
  LATCHKEY_RATE_REGISTRATION_PER_IP: positiveInt(20),
  LATCHKEY_RATE_REGISTRATION_WINDOW: positiveInt(3600),
  LATCHKEY_RATE_CLIENT_AUTH_CLIENT_FAILURES: positiveInt(20),
  LATCHKEY_RATE_CLIENT_AUTH_IP_FAILURES: positiveInt(20),
  LATCHKEY_RATE_CLIENT_AUTH_WINDOW: positiveInt(15 * 60),
  // MCP and self-registering clients (issue 12).
  LATCHKEY_PROFILE: z.enum(["default", "oauth2.1"]).default("default"),
  LATCHKEY_REGISTRATION: z.enum(["off", "open", "public", "token"]).default("off"),
  LATCHKEY_REGISTRATION_EXPIRY_DAYS: positiveInt(30),
  LATCHKEY_CIMD: z.enum(["on", "off"]).default("on"),
  LATCHKEY_CIMD_ALLOW_LOOPBACK: z.enum(["true", "false"]).default("false"),
  // Back-channel logout deliveries (lib/server/backchannel-logout.ts).
  LATCHKEY_LOGOUT_ALLOW_LOOPBACK: z.enum(["true", "false"]).default("false"),
  LATCHKEY_LOGOUT_RETRY_DELAY: positiveInt(30),
  LATCHKEY_DEFAULT_SCOPES: z.string().default("openid"),
  LATCHKEY_DEFAULT_AUDIENCE: z.url().optional(),
  // Signing keys (lib/data/signing-keys.ts).
  LATCHKEY_ACCESS_TOKEN_ALG: z.enum(["ES256", "RS256"]).default("ES256"),
  LATCHKEY_KEY_ACTIVATION_DELAY: z.coerce.number().int().min(0).default(600),
  LATCHKEY_KEY_ROTATION_DAYS: z.coerce.number().int().positive().optional(),
  // Outgoing email (lib/mail/send.ts); without a URL, messages are written to the log.
  LATCHKEY_SMTP_URL: z.string().regex(/^(smtps?:\/\/.+)?$/, "must start with smtp:// or smtps://").optional(),
  LATCHKEY_MAIL_FROM: z.string().min(3).optional(),
});

export interface Env {
  port: number;
  issuer: string;
  dataDir: string;
  databaseUrl: string;
  databaseKind: "sqlite" | "postgresql";
  authSecret: string;
  accessTokenTtl: number;
  idTokenTtl: number;
  refreshTokenTtl: number;
  authorizationCodeTtl: number;
  seedDemoData: boolean;
  /** Connections per instance (PostgreSQL). */
  databasePoolSize: number;
  /** Read the client address and scheme from X-Forwarded-* (only behind a proxy you run). */
  trustProxy: boolean;
  /** Bearer token for /metrics; metrics are off without it. */
  metricsToken: string | null;
  /** Count database statements and round trips for /metrics (the benchmark); off on the hot path by default. */
  countStatements: boolean;
  /** Seconds graceful shutdown waits for in-flight requests. */
  shutdownTimeout: number;
  /** One JSON line per request on stdout. */
  accessLog: boolean;
  /** When the page worker (Next) starts: on the first page request, or with the server. */
  pagesStart: "lazy" | "eager";
  /** Largest request body on protocol endpoints (bytes). */
  maxBody: number;
  /** Largest request body for pages and server actions (bytes). */
  maxPageBody: number;
  /** Rate limits; null when LATCHKEY_RATE_LIMITS=off. */
  rateLimits: RateLimitSettings | null;
  /** "oauth2.1": no implicit or password grant for any app, PKCE for every client. */
  profile: "default" | "oauth2.1";
  /** Dynamic client registration policy at start (RFC 7591); the admin console can change it. */
  registration: RegistrationPolicy;
  /** Registered clients nobody claimed are deleted after this many days without a token. */
  registrationExpiryDays: number;
  /** Client ID metadata documents at start; the admin console can change it. */
  clientMetadataDocuments: boolean;
  /** Development only: fetch metadata documents from loopback addresses. */
  clientMetadataAllowLoopback: boolean;
  /** Scopes granted when a request names none and the app has no default set (RFC 6749 §3.3). */
  defaultScopes: string[];
  /** `aud` of access tokens requested without a resource indicator. */
  defaultAudience: string;
  /** What access tokens are signed with; ID tokens default to RS256 (per app: its own choice). */
  accessTokenAlg: "ES256" | "RS256";
  /**
   * Seconds a rotated key is published in JWKS before any instance signs with it; keep it well
   * above the JWKS max-age (60 s) plus clients' refetch cooldowns (30–60 s).
   */
  keyActivationDelay: number;
  /** Rotate the signing keys when the newest is this many days old; null: only `keys rotate`. */
  keyRotationDays: number | null;
  /** Development only: back-channel logout tokens may go to loopback addresses (http too). */
  logoutAllowLoopback: boolean;
  /** Seconds before the first retry of a failed back-channel logout delivery (then ×4 each time). */
  logoutRetryDelay: number;
  /** smtp:// or smtps:// URL with credentials; null: email is written to the server log. */
  smtpUrl: string | null;
  /** From address of outgoing email. */
  mailFrom: string;
}

export type RegistrationPolicy = "off" | "open" | "public" | "token";

/** Each limit counts `points` events per `window` seconds. */
export interface RateLimitSettings {
  /** Failed sign-ins per account (normalised email) before it is locked. */
  signInAccount: { points: number; window: number };
  /** The first lockout; each further one within 24 hours doubles it, up to `lockoutMax`. */
  signInLockout: number;
  signInLockoutMax: number;
  signInIp: { points: number; window: number };
  signUpIp: { points: number; window: number };
  authorizeIp: { points: number; window: number };
  /** Dynamic client registrations (RFC 7591) per address. */
  registrationIp: { points: number; window: number };
  /** Failed client authentications on the token, introspection and revocation endpoints. */
  clientAuthClient: { points: number; window: number };
  clientAuthIp: { points: number; window: number };
}

function readOrCreateSecret(dataDir: string): string {
  const file = path.join(dataDir, "auth-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, secret + "\n", { mode: 0o600 });
  return secret;
}

function load(): Env {
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  const databaseKind = e.DATABASE_URL && /^postgres(ql)?:\/\//.test(e.DATABASE_URL) ? "postgresql" : "sqlite";
  if (databaseKind === "postgresql") {
    // Several instances share one database: each must encrypt signing keys and sign
    // sessions with the same secret, and name the same issuer (the load balancer's URL).
    const missing = [
      ...(e.AUTH_SECRET ?? e.NEXTAUTH_SECRET ? [] : ["AUTH_SECRET (at least 32 characters, the same on every instance)"]),
      ...(e.LATCHKEY_ISSUER ? [] : ["LATCHKEY_ISSUER (the public URL every instance answers for, e.g. the load balancer's)"]),
    ];
    if (missing.length > 0) {
      throw new Error(
        `Invalid configuration: on PostgreSQL several instances may share the database, so these must be set explicitly:\n${missing.map((m) => `  ${m}`).join("\n")}`,
      );
    }
  }
  const dataDir = path.resolve(/*turbopackIgnore: true*/ e.LATCHKEY_DATA_DIR ?? path.join(process.cwd(), "data"));
  const databaseUrl = e.DATABASE_URL ?? `file:${path.join(dataDir, "latchkey.db")}`;
  const issuer = (e.LATCHKEY_ISSUER ?? `http://localhost:${e.PORT}`).replace(/\/+$/, "");
  return {
    profile: e.LATCHKEY_PROFILE,
    registration: e.LATCHKEY_REGISTRATION,
    registrationExpiryDays: e.LATCHKEY_REGISTRATION_EXPIRY_DAYS,
    clientMetadataDocuments: e.LATCHKEY_CIMD === "on",
    clientMetadataAllowLoopback: e.LATCHKEY_CIMD_ALLOW_LOOPBACK === "true",
    defaultScopes: e.LATCHKEY_DEFAULT_SCOPES.split(" ").filter((s) => s !== ""),
    defaultAudience: (e.LATCHKEY_DEFAULT_AUDIENCE ?? issuer).replace(/\/+$/, ""),
    accessTokenAlg: e.LATCHKEY_ACCESS_TOKEN_ALG,
    keyActivationDelay: e.LATCHKEY_KEY_ACTIVATION_DELAY,
    keyRotationDays: e.LATCHKEY_KEY_ROTATION_DAYS ?? null,
    logoutAllowLoopback: e.LATCHKEY_LOGOUT_ALLOW_LOOPBACK === "true",
    logoutRetryDelay: e.LATCHKEY_LOGOUT_RETRY_DELAY,
    smtpUrl: e.LATCHKEY_SMTP_URL || null,
    mailFrom: e.LATCHKEY_MAIL_FROM ?? `Latchkey <no-reply@${new URL(issuer).hostname}>`,
    port: e.PORT,
    issuer,
    dataDir,
    databaseUrl,
    databaseKind,
    authSecret: e.AUTH_SECRET ?? e.NEXTAUTH_SECRET ?? readOrCreateSecret(dataDir),
    accessTokenTtl: e.LATCHKEY_ACCESS_TOKEN_TTL,
    idTokenTtl: e.LATCHKEY_ID_TOKEN_TTL,
    refreshTokenTtl: e.LATCHKEY_REFRESH_TOKEN_TTL,
    authorizationCodeTtl: e.LATCHKEY_CODE_TTL,
    seedDemoData: e.LATCHKEY_SEED === "true",
    databasePoolSize: e.LATCHKEY_DB_POOL_SIZE,
    trustProxy: e.LATCHKEY_TRUST_PROXY === "true",
    metricsToken: e.LATCHKEY_METRICS_TOKEN ?? null,
    countStatements: e.LATCHKEY_COUNT_STATEMENTS === "1",
    shutdownTimeout: e.LATCHKEY_SHUTDOWN_TIMEOUT,
    accessLog: e.LATCHKEY_ACCESS_LOG === "true",
    pagesStart: e.LATCHKEY_PAGES,
    maxBody: e.LATCHKEY_MAX_BODY,
    maxPageBody: e.LATCHKEY_MAX_PAGE_BODY,
    rateLimits:
      e.LATCHKEY_RATE_LIMITS === "off"
        ? null
        : {
            signInAccount: { points: e.LATCHKEY_RATE_SIGN_IN_ACCOUNT_FAILURES, window: e.LATCHKEY_RATE_SIGN_IN_WINDOW },
            signInLockout: e.LATCHKEY_RATE_SIGN_IN_LOCKOUT,
            signInLockoutMax: Math.max(e.LATCHKEY_RATE_SIGN_IN_LOCKOUT_MAX, e.LATCHKEY_RATE_SIGN_IN_LOCKOUT),
            signInIp: { points: e.LATCHKEY_RATE_SIGN_IN_IP_FAILURES, window: e.LATCHKEY_RATE_SIGN_IN_WINDOW },
            signUpIp: { points: e.LATCHKEY_RATE_SIGN_UP_PER_IP, window: e.LATCHKEY_RATE_SIGN_UP_WINDOW },
            authorizeIp: { points: e.LATCHKEY_RATE_AUTHORIZE_PER_IP, window: e.LATCHKEY_RATE_AUTHORIZE_WINDOW },
            registrationIp: { points: e.LATCHKEY_RATE_REGISTRATION_PER_IP, window: e.LATCHKEY_RATE_REGISTRATION_WINDOW },
            clientAuthClient: { points: e.LATCHKEY_RATE_CLIENT_AUTH_CLIENT_FAILURES, window: e.LATCHKEY_RATE_CLIENT_AUTH_WINDOW },
            clientAuthIp: { points: e.LATCHKEY_RATE_CLIENT_AUTH_IP_FAILURES, window: e.LATCHKEY_RATE_CLIENT_AUTH_WINDOW },
          },
  };
}

let cached: Env | undefined;

export function env(): Env {
  cached ??= load();
  return cached;
}

/** Makes the derived values visible to libraries that read process.env (next-auth). */
export function exportEnv(): Env {
  const e = env();
  process.env.AUTH_SECRET ??= e.authSecret;
  process.env.NEXTAUTH_SECRET ??= e.authSecret;
  process.env.NEXTAUTH_URL ??= e.issuer;
  process.env.DATABASE_URL ??= e.databaseUrl;
  return e;
}
