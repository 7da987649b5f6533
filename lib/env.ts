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
  LATCHKEY_DB_POOL_SIZE: positiveInt(10),
  LATCHKEY_TRUST_PROXY: z.enum(["true", "false"]).default("false"),
  LATCHKEY_METRICS_TOKEN: z.string().min(16).optional(),
  LATCHKEY_SHUTDOWN_TIMEOUT: positiveInt(10),
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
  /** Seconds graceful shutdown waits for in-flight requests. */
  shutdownTimeout: number;
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
    shutdownTimeout: e.LATCHKEY_SHUTDOWN_TIMEOUT,
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
