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

export function generateClient(): void {
  const schemaHash = hashTree(["prisma/schema.prisma"]);
  const marker = path.join(root, "lib/generated/prisma/.schema-hash");
  if (existsSync(marker) && readFileSync(marker, "utf8") === schemaHash) return;
  run(bin("prisma"), ["generate"], "prisma generate");
  writeFileSync(marker, schemaHash);
}

/** True when an SQLite database already has every migration in prisma/migrations applied. */
async function sqliteUpToDate(databaseUrl: string): Promise<boolean> {
  const file = databaseUrl.replace(/^file:/, "");
  if (!existsSync(file)) return false;
  const { default: Database } = await import("better-sqlite3");
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const applied = new Set(
      (db.prepare("SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL").all() as { migration_name: string }[]).map((r) => r.migration_name),
    );
    const wanted = readdirSync(path.join(root, "prisma", "migrations")).filter((d) => /^\d{14}_/.test(d));
    return wanted.every((name) => applied.has(name));
  } catch {
    return false;
  } finally {
    db.close();
  }
}

/** Applies pending migrations (`prisma migrate deploy`), skipping the CLI when there are none. */
export async function migrate(): Promise<void> {
  const e = exportEnv();
  if (e.databaseKind === "sqlite" && (await sqliteUpToDate(e.databaseUrl))) return;
  run(bin("prisma"), ["migrate", "deploy"], "prisma migrate deploy");
}

const BUILD_INPUTS = ["app", "components", "lib", "public", "next.config.js", "postcss.config.mjs", "package-lock.json", "tsconfig.json", "proxy.ts"];

export function buildIfStale(): boolean {
  const sourceHash = hashTree(BUILD_INPUTS);
  const marker = path.join(root, ".next", "latchkey-build-hash");
  if (existsSync(path.join(root, ".next", "BUILD_ID")) && existsSync(marker) && readFileSync(marker, "utf8") === sourceHash) {
    return false;
  }
  console.log("Building the app (next build)…");
  const result = spawnSync(bin("next"), ["build"], { stdio: "inherit", env: { ...process.env, NODE_ENV: "production" } });
  if (result.status !== 0) throw new Error("next build failed");
  writeFileSync(marker, sourceHash);
  return true;
}

export async function prepareDatabase() {
  const e = exportEnv();
  mkdirSync(e.dataDir, { recursive: true });
  generateClient();
  await migrate();
  const { setPragmas } = await import("../lib/data/pragmas");
  await setPragmas();
  const { seedIfEmpty } = await import("../lib/data/seed");
  const { ensureSigningKey } = await import("../lib/data/signing-keys");
  const { ensureScopeCatalog } = await import("../lib/data/seed");
  await ensureScopeCatalog();
  const seeded = e.seedDemoData ? await seedIfEmpty() : null;
  await ensureSigningKey();
  return seeded;
}
