// The stock Prisma CLI, run offline with prisma/schema-engine.mjs standing in for the
// native schema engine (PRISMA_SCHEMA_ENGINE_BINARY), against throwaway SQLite files
// (PostgreSQL: prisma-schemas.test.ts).
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const prismaCli = path.join(root, "node_modules", "prisma", "build", "index.js");
const standIn = path.join(root, "prisma", "schema-engine.mjs");
const mainConfig = path.join(root, "prisma.config.ts");
const projectConfig = path.join(root, "tests", "integration", "fixtures", "prisma-offline", "prisma.config.ts");
const modelsFile = path.join(root, "prisma", "models.prisma");
const schemaDir = path.join(root, "prisma", "sqlite");
const migrationsDir = path.join(schemaDir, "migrations");

const TIMEOUT = 120_000;
const tmp = mkdtempSync(path.join(os.tmpdir(), "prisma-offline-"));

afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

interface RunResult {
  status: number | null;
  output: string;
}

function prisma(args: string[], env: Record<string, string>): RunResult {
  const result = spawnSync(process.execPath, [prismaCli, ...args], {
    cwd: root,
    encoding: "utf8",
    timeout: TIMEOUT - 10_000,
    env: {
      ...process.env,
      PRISMA_SCHEMA_ENGINE_BINARY: standIn,
      PRISMA_HIDE_UPDATE_MESSAGE: "1",
      CHECKPOINT_DISABLE: "1",
      NO_COLOR: "1",
      ...env,
    },
  });
  return { status: result.status, output: `${result.stdout ?? ""}${result.stderr ?? ""}${result.error ?? ""}` };
}

function expectOk(result: RunResult) {
  expect(result.status, result.output).toBe(0);
}

/** Table names the models of a Prisma schema map to. */
function tablesOf(schema: string): string[] {
  const tables: string[] = [];
  for (const match of schema.matchAll(/^model\s+(\w+)\s*\{([\s\S]*?)^\}/gm)) {
    const mapped = /@@map\(\s*"([^"]+)"\s*\)/.exec(match[2] ?? "");
    tables.push(mapped?.[1] ?? match[1]!);
  }
  return tables.sort();
}

function migrationNames(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(dir, entry.name, "migration.sql")))
    .map((entry) => entry.name)
    .sort();
}

function withDb<T>(file: string, fn: (db: Database.Database) => T): T {
  const db = new Database(file, { fileMustExist: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

function tablesIn(db: Database.Database): string[] {
  return db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .all()
    .map((row) => (row as { name: string }).name);
}

function appliedMigrations(db: Database.Database) {
  return db
    .prepare("SELECT migration_name, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY migration_name")
    .all() as { migration_name: string; finished_at: unknown; rolled_back_at: unknown }[];
}

describe("Prisma CLI offline (WASM schema engine stand-in)", () => {
  const schema = readFileSync(modelsFile, "utf8");
  const expectedTables = tablesOf(schema);
  const expectedMigrations = migrationNames(migrationsDir);

  it("has a migration history to test", () => {
    expect(expectedMigrations.length).toBeGreaterThan(0);
    expect(expectedTables.length).toBeGreaterThan(0);
  });

  it(
    "migrate deploy creates every table in a fresh database",
    () => {
      const file = path.join(tmp, "deploy", "dev.db");
      const result = prisma(["migrate", "deploy", "--config", mainConfig], { DATABASE_URL: `file:${file}` });
      expectOk(result);
      expect(result.output).toContain("All migrations have been successfully applied");

      withDb(file, (db) => {
        const tables = tablesIn(db);
        // Every model has its table (a missing one means models.prisma changed without
        // a migration: run `npx prisma migrate dev --name <change>`, on SQLite and on PostgreSQL).
        expect(tables).toEqual(expect.arrayContaining([...expectedTables, "_prisma_migrations"]));
        const applied = appliedMigrations(db);
        expect(applied.map((m) => m.migration_name)).toEqual(expectedMigrations);
        for (const m of applied) {
          expect(m.finished_at, m.migration_name).not.toBeNull();
          expect(m.rolled_back_at, m.migration_name).toBeNull();
        }
      });
    },
    TIMEOUT,
  );

  it(
    "migrate dev adds a second migration on top, and migrate status is clean",
    () => {
      // A copy of the project's SQLite schema folder (its models.prisma symlink included) and
      // migrations, with one more model and column in the shared models.prisma.
      const project = path.join(tmp, "project");
      cpSync(schemaDir, path.join(project, "prisma", "sqlite"), { recursive: true, verbatimSymlinks: true });
      const firstModel = /^model\s+(\w+)\s*\{/m.exec(schema);
      expect(firstModel).not.toBeNull();
      const [modelLine, modelName] = firstModel!;
      const changed =
        schema.replace(modelLine, `${modelLine}\n  offlineProbeNote String?`) +
        `\nmodel OfflineProbe {\n  id    String @id\n  label String\n}\n`;
      writeFileSync(path.join(project, "prisma", "models.prisma"), changed);

      const file = path.join(project, "dev.db");
      const env = { DATABASE_URL: `file:${file}`, PRISMA_OFFLINE_PROJECT: project };
      expectOk(prisma(["migrate", "deploy", "--config", projectConfig], env));

      const dev = prisma(["migrate", "dev", "--name", "second", "--config", projectConfig], env);
      expectOk(dev);

      const projectMigrations = path.join(project, "prisma", "sqlite", "migrations");
      const names = migrationNames(projectMigrations);
      const second = names.filter((name) => name.endsWith("_second"));
      expect(second).toHaveLength(1);
      expect(names).toEqual([...expectedMigrations, second[0]]);
      const sql = readFileSync(path.join(projectMigrations, second[0]!, "migration.sql"), "utf8");
      expect(sql).toContain('CREATE TABLE "OfflineProbe"');
      expect(sql).toContain("offlineProbeNote");

      withDb(file, (db) => {
        expect(tablesIn(db)).toContain("OfflineProbe");
        const columns = db.prepare(`PRAGMA table_info("${modelName}")`).all() as { name: string }[];
        expect(columns.map((c) => c.name)).toContain("offlineProbeNote");
        expect(appliedMigrations(db).map((m) => m.migration_name)).toEqual(names);
      });

      const status = prisma(["migrate", "status", "--config", projectConfig], env);
      expectOk(status);
      expect(status.output).toContain("Database schema is up to date");
    },
    TIMEOUT,
  );

  it(
    "migrate reset --force leaves an empty, re-migrated database",
    () => {
      const file = path.join(tmp, "reset", "dev.db");
      const env = { DATABASE_URL: `file:${file}` };
      expectOk(prisma(["migrate", "deploy", "--config", mainConfig], env));

      // Data, and an object no migration knows about: both must be gone afterwards.
      withDb(file, (db) => {
        db.exec('CREATE TABLE "stray" (x INTEGER); INSERT INTO "stray" VALUES (1);');
        db.prepare(
          "INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, applied_steps_count) VALUES ('bogus', 'x', '00000000000000_bogus', CURRENT_TIMESTAMP, 0)",
        ).run();
      });

      const reset = prisma(["migrate", "reset", "--force", "--config", mainConfig], env);
      expectOk(reset);
      expect(reset.output).toContain("Database reset successful");

      withDb(file, (db) => {
        const tables = tablesIn(db);
        expect(tables).not.toContain("stray");
        expect(tables).toEqual(expect.arrayContaining([...expectedTables, "_prisma_migrations"]));
        for (const table of expectedTables) {
          const { n } = db.prepare(`SELECT COUNT(*) AS n FROM "${table}"`).get() as { n: number };
          expect(n, table).toBe(0);
        }
        expect(appliedMigrations(db).map((m) => m.migration_name)).toEqual(expectedMigrations);
      });

      const status = prisma(["migrate", "status", "--config", mainConfig], env);
      expectOk(status);
      expect(status.output).toContain("Database schema is up to date");
    },
    TIMEOUT,
  );
});
