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
  const dataDir = path.resolve(/*turbopackIgnore: true*/ e.LATCHKEY_DATA_DIR ?? path.join(process.cwd(), "data"));
  const databaseUrl = e.DATABASE_URL ?? `file:${path.join(dataDir, "latchkey.db")}`;
  const issuer = (e.LATCHKEY_ISSUER ?? `http://localhost:${e.PORT}`).replace(/\/+$/, "");
  return {
    port: e.PORT,
    issuer,
    dataDir,
    databaseUrl,
    databaseKind: /^postgres(ql)?:\/\//.test(databaseUrl) ? "postgresql" : "sqlite",
    authSecret: e.AUTH_SECRET ?? e.NEXTAUTH_SECRET ?? readOrCreateSecret(dataDir),
    accessTokenTtl: e.LATCHKEY_ACCESS_TOKEN_TTL,
    idTokenTtl: e.LATCHKEY_ID_TOKEN_TTL,
    refreshTokenTtl: e.LATCHKEY_REFRESH_TOKEN_TTL,
    authorizationCodeTtl: e.LATCHKEY_CODE_TTL,
    seedDemoData: e.LATCHKEY_SEED === "true",
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
