// Everything `npm start` does before serving: generate the Prisma client, apply
// migrations, seed an empty database, make sure a signing key exists, build if stale.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { exportEnv } from "../lib/env";

const root = process.cwd();
const bin = (name: string) => path.join(root, "node_modules", ".bin", name);

function run(cmd: string, args: string[], label: string) {
  const result = spawnSync(cmd, args, { stdio: ["ignore", "pipe", "pipe"], env: process.env, encoding: "utf8" });
  if (result.status !== 0) {
    process.stderr.write(result.stdout ?? "");
    process.stderr.write(result.stderr ?? "");
    throw new Error(`${label} failed (exit ${result.status})`);
  }
}

function hashTree(paths: string[]): string {
  const hash = createHash("sha256");
  const walk = (p: string) => {
    if (!existsSync(p)) return;
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const entry of readdirSync(p).sort()) {
        if (entry === "node_modules" || entry === "generated" || entry.startsWith(".")) continue;
        walk(path.join(p, entry));
      }
    } else {
      hash.update(path.relative(root, p));
      hash.update(readFileSync(p));
    }
  };
  paths.forEach((p) => walk(path.join(root, p)));
  return hash.digest("hex");
}

const PROVIDERS = ["sqlite", "postgresql"] as const;

/** Generates the Prisma client of each provider (lib/generated/<provider>) whose schema changed. */
export function generateClient(): void {
  for (const provider of PROVIDERS) {
    // The schema folder's models.prisma is a symlink to prisma/models.prisma: hash both.
    const schemaHash = hashTree([`prisma/${provider}/schema.prisma`, "prisma/models.prisma"]);
    const marker = path.join(root, "lib", "generated", provider, ".schema-hash");
    if (existsSync(marker) && readFileSync(marker, "utf8") === schemaHash) continue;
    run(bin("prisma"), ["generate", "--schema", path.join("prisma", provider)], `prisma generate (${provider})`);
    writeFileSync(marker, schemaHash);
  }
}

/** True when an SQLite database already has every migration in prisma/sqlite/migrations applied. */
async function sqliteUpToDate(databaseUrl: string): Promise<boolean> {
  const file = databaseUrl.replace(/^file:/, "");
  if (!existsSync(file)) return false;
  const { default: Database } = await import("better-sqlite3");
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const applied = new Set(
      (db.prepare("SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL").all() as { migration_name: string }[]).map((r) => r.migration_name),
    );
    const wanted = readdirSync(path.join(root, "prisma", "sqlite", "migrations"), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
    return wanted.every((name) => applied.has(name));
  } catch {
    return false;
  } finally {
    db.close();
  }
}

/**
 * Applies pending migrations (`prisma migrate deploy`; prisma.config.ts picks the history
 * of DATABASE_URL's provider), skipping the CLI on SQLite when there are none.
 */
export async function migrate(): Promise<void> {
  const e = exportEnv();
  if (e.databaseKind === "sqlite" && (await sqliteUpToDate(e.databaseUrl))) return;
  run(bin("prisma"), ["migrate", "deploy"], "prisma migrate deploy");
}

const BUILD_INPUTS = ["app", "components", "lib", "public", "next.config.js", "postcss.config.mjs", "package-lock.json", "tsconfig.json", "proxy.ts"];

export function buildIfStale(): boolean {
  const sourceHash = hashTree(BUILD_INPUTS);
  const distDir = process.env.LATCHKEY_NEXT_DIR || ".next";
  const marker = path.join(root, distDir, "latchkey-build-hash");
  if (existsSync(path.join(root, distDir, "BUILD_ID")) && existsSync(marker) && readFileSync(marker, "utf8") === sourceHash) {
    return false;
  }
  console.log("Building the app (next build)…");
  const result = spawnSync(bin("next"), ["build"], { stdio: "inherit", env: { ...process.env, NODE_ENV: "production" } });
  if (result.status !== 0) throw new Error("next build failed");
  writeFileSync(marker, sourceHash);
  return true;
}

/**
 * Runs `work` while holding a PostgreSQL advisory lock, so instances started together
 * on an empty database seed it once: the first seeds, the others wait and find it done.
 */
async function underStartupLock<T>(work: () => Promise<T>): Promise<T> {
  const e = exportEnv();
  if (e.databaseKind !== "postgresql") return work();
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: e.databaseUrl, application_name: "latchkey-startup" });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock(hashtextextended('latchkey startup', 0))");
    return await work();
  } finally {
    await client.end(); // ends the session, which releases the lock
  }
}

export async function prepareDatabase() {
  const e = exportEnv();
  mkdirSync(e.dataDir, { recursive: true });
  generateClient();
  await migrate();
  const { setPragmas } = await import("../lib/data/pragmas");
  await setPragmas();
  const { seedIfEmpty, ensureScopeCatalog } = await import("../lib/data/seed");
  const { seedExampleApi } = await import("../lib/data/apis");
  const { ensureSigningKey } = await import("../lib/data/signing-keys");
  return underStartupLock(async () => {
    await ensureScopeCatalog();
    await seedExampleApi(e.issuer);
    const seeded = e.seedDemoData ? await seedIfEmpty() : null;
    await ensureSigningKey();
    return seeded;
  });
}
