// One set of models (prisma/models.prisma), two providers: prisma/sqlite and prisma/postgresql
// each hold a datasource, a symlink to the models and a migration history that must build
// exactly that schema. PostgreSQL runs on a throwaway cluster (scripts/postgres-cluster.ts).
import { spawnSync } from "node:child_process";
import { lstatSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POSTGRES_INSTALL_HINT, findPostgresBin, startPostgres, type PostgresCluster } from "../../scripts/postgres-cluster";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const prismaCli = path.join(root, "node_modules", "prisma", "build", "index.js");
const standIn = path.join(root, "prisma", "schema-engine.mjs");
const fixtureConfig = path.join(root, "tests", "integration", "fixtures", "prisma-offline", "prisma.config.ts");
const PROVIDERS = ["sqlite", "postgresql"] as const;

const TIMEOUT = 120_000;
const tmp = mkdtempSync(path.join(os.tmpdir(), "prisma-schemas-"));

afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

interface RunResult {
  status: number | null;
  output: string;
}

// The environment as it is before the app tests below set DATABASE_URL & co. for lib/db.ts.
const { DATABASE_URL: _url, SHADOW_DATABASE_URL: _shadow, ...inheritedEnv } = process.env;

/** The stock Prisma CLI with the offline schema engine, from the project root. */
function prisma(args: string[], env: Record<string, string>): RunResult {
  const result = spawnSync(process.execPath, [prismaCli, ...args], {
    cwd: root,
    encoding: "utf8",
    timeout: TIMEOUT - 10_000,
    env: {
      ...inheritedEnv,
      PRISMA_SCHEMA_ENGINE_BINARY: standIn,
      PRISMA_HIDE_UPDATE_MESSAGE: "1",
      CHECKPOINT_DISABLE: "1",
      NO_COLOR: "1",
      ...env,
    },
  });
  return { status: result.status, output: `${result.stdout ?? ""}${result.stderr ?? ""}${result.error ?? ""}` };
}

function migrationNames(provider: (typeof PROVIDERS)[number]): string[] {
  return readdirSync(path.join(root, "prisma", provider, "migrations"), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

function modelNames(): string[] {
  const models = readFileSync(path.join(root, "prisma", "models.prisma"), "utf8");
  return [...models.matchAll(/^model\s+(\w+)\s*\{/gm)].map((m) => m[1]!).sort();
}

describe("schema layout", () => {
  it.each(PROVIDERS)("prisma/%s holds its generator, datasource and history, and links the shared models", (provider) => {
    const dir = path.join(root, "prisma", provider);
    const link = path.join(dir, "models.prisma");
    expect(lstatSync(link).isSymbolicLink(), `${link} must be a symlink`).toBe(true);
    expect(readlinkSync(link)).toBe("../models.prisma");
    const schema = readFileSync(path.join(dir, "schema.prisma"), "utf8");
    expect(schema).toMatch(new RegExp(`^\\s*provider\\s*=\\s*"${provider}"`, "m"));
    expect(schema).toMatch(new RegExp(`^\\s*output\\s*=\\s*"\\.\\./\\.\\./lib/generated/${provider}"`, "m"));
    expect(schema, "models belong in prisma/models.prisma").not.toMatch(/^\s*model\s/m);
    const lock = readFileSync(path.join(dir, "migrations", "migration_lock.toml"), "utf8");
    expect(lock).toMatch(new RegExp(`^provider = "${provider}"$`, "m"));
    expect(migrationNames(provider).length).toBeGreaterThan(0);
  });
});

describe("SQLite", () => {
  it(
    "the migration history builds exactly prisma/sqlite",
    () => {
      const result = prisma(
        ["migrate", "diff", "--from-migrations", "prisma/sqlite/migrations", "--to-schema", "prisma/sqlite", "--exit-code"],
        { DATABASE_URL: `file:${path.join(tmp, "diff.db")}` },
      );
      // Exit code 2: models.prisma changed without a migration (`npx prisma migrate dev`, on both providers).
      expect(result.status, result.output).toBe(0);
      expect(result.output).toContain("No difference detected");
    },
    TIMEOUT,
  );

  it(
    "the schema engine stand-in refuses the PostgreSQL history with a plain explanation",
    () => {
      const file = path.join(tmp, "mismatch.db");
      const result = prisma(["migrate", "deploy", "--config", fixtureConfig], {
        DATABASE_URL: `file:${file}`,
        PRISMA_OFFLINE_PROJECT: root,
        PRISMA_OFFLINE_HISTORY: "postgresql",
      });
      expect(result.status, result.output).toBe(1);
      expect(result.output).toContain(
        "prisma/postgresql/migrations is a PostgreSQL migration history (its migration_lock.toml says so), but the database URL (DATABASE_URL) points at SQLite",
      );
      expect(result.output).not.toContain("P3019");
      const db = new Database(file, { fileMustExist: true });
      try {
        expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all()).toEqual([]);
      } finally {
        db.close();
      }
    },
    TIMEOUT,
  );
});

// Without PostgreSQL installed these tests are skipped, except in CI, where they fail.
const skipPostgres = findPostgresBin() === null && !process.env.CI;
if (skipPostgres) console.warn(`prisma-schemas.test.ts: skipping the PostgreSQL tests. ${POSTGRES_INSTALL_HINT}`);

describe.skipIf(skipPostgres)(skipPostgres ? `PostgreSQL (skipped: ${POSTGRES_INSTALL_HINT})` : "PostgreSQL", () => {
  let cluster: PostgresCluster;

  beforeAll(async () => {
    cluster = await startPostgres();
  });

  afterAll(() => {
    cluster?.stop();
  });

  async function query<T>(url: string, sql: string): Promise<T[]> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query(sql)).rows as T[];
    } finally {
      await client.end();
    }
  }

  const tablesIn = async (url: string) =>
    (await query<{ tablename: string }>(url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")).map(
      (row) => row.tablename,
    );

  it(
    "the migration history builds exactly prisma/postgresql",
    async () => {
      const result = prisma(
        ["migrate", "diff", "--from-migrations", "prisma/postgresql/migrations", "--to-schema", "prisma/postgresql", "--exit-code"],
        { DATABASE_URL: await cluster.createDatabase(), SHADOW_DATABASE_URL: await cluster.createDatabase() },
      );
      expect(result.status, result.output).toBe(0);
      expect(result.output).toContain("No difference detected");
    },
    TIMEOUT,
  );

  it(
    "migrate deploy creates a missing database and applies the baseline; status is then clean",
    async () => {
      const url = cluster.url(`latchkey_deploy_${process.pid}`);
      const deploy = prisma(["migrate", "deploy"], { DATABASE_URL: url });
      expect(deploy.status, deploy.output).toBe(0);
      expect(deploy.output).toContain("All migrations have been successfully applied");

      expect(await tablesIn(url)).toEqual([...modelNames(), "_prisma_migrations"].sort());
      const applied = await query<{ migration_name: string }>(
        url,
        "SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name",
      );
      expect(applied.map((row) => row.migration_name)).toEqual(migrationNames("postgresql"));

      const status = prisma(["migrate", "status"], { DATABASE_URL: url });
      expect(status.status, status.output).toBe(0);
      expect(status.output).toContain("Database schema is up to date");
    },
    TIMEOUT,
  );

  it(
    "the schema engine stand-in refuses the SQLite history with a plain explanation",
    async () => {
      const url = await cluster.createDatabase();
      const result = prisma(["migrate", "deploy", "--config", fixtureConfig], {
        DATABASE_URL: url,
        PRISMA_OFFLINE_PROJECT: root,
        PRISMA_OFFLINE_HISTORY: "sqlite",
      });
      expect(result.status, result.output).toBe(1);
      expect(result.output).toContain(
        "prisma/sqlite/migrations is a SQLite migration history (its migration_lock.toml says so), but the database URL (DATABASE_URL) points at PostgreSQL",
      );
      expect(result.output).not.toContain("P3019");
      expect(await tablesIn(url)).toEqual([]);
    },
    TIMEOUT,
  );

  describe("the app on an empty database (prepareDatabase, then lib/db.ts)", () => {
    let url: string;

    beforeAll(async () => {
      url = await cluster.createDatabase();
      // The server's own time zone must not matter: DateTime columns hold UTC.
      await query(url, `ALTER DATABASE "${new URL(url).pathname.slice(1)}" SET timezone TO 'Asia/Kolkata'`);
      // lib/env.ts reads these once, when lib/db.ts first connects (in this test file's process).
      Object.assign(process.env, {
        DATABASE_URL: url,
        AUTH_SECRET: "prisma-schemas-test-secret-0123456789abcdef",
        LATCHKEY_ISSUER: "http://localhost:3999",
        LATCHKEY_DATA_DIR: path.join(tmp, "data"),
        LATCHKEY_SEED: "true",
        // And neither must the process's: pg reads and writes timestamps in local time by default.
        TZ: "America/New_York",
      });
    });

    afterAll(async () => {
      const { pgPool } = await import("../../lib/db");
      await pgPool().end();
    });

    it(
      "prepareDatabase migrates and seeds it",
      async () => {
        const { prepareDatabase } = await import("../../scripts/prepare");
        const seeded = await prepareDatabase();
        expect(seeded?.users.length).toBeGreaterThan(0);
        const { prisma } = await import("../../lib/db");
        expect(await prisma.user.count()).toBe(seeded!.users.length);
        // One active key per algorithm: RS256 (ID tokens) and ES256 (access tokens).
        const active = await prisma.signingKey.findMany({ where: { status: "active" }, select: { alg: true } });
        expect(active.map((k) => k.alg).sort()).toEqual(["ES256", "RS256"]);
        const { pendingMigrations } = await import("../../lib/data/migrations-status");
        expect(await pendingMigrations()).toEqual([]);
      },
      TIMEOUT,
    );

    it("Prisma and hand-written queries on pgPool() see the same instants", async () => {
      const { prisma, pgPool } = await import("../../lib/db");
      const before = Date.now();
      const verified = new Date("2026-01-02T03:04:05.678Z");
      const user = await prisma.user.create({ data: { email: "instants@example.test", emailVerified: verified } });
      expect(user.createdAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
      expect(user.createdAt.getTime()).toBeLessThanOrEqual(Date.now() + 1000);

      const again = await prisma.user.findUniqueOrThrow({ where: { id: user.id } });
      expect(again.emailVerified?.toISOString()).toBe(verified.toISOString());
      expect(again.createdAt.toISOString()).toBe(user.createdAt.toISOString());

      const raw = await pgPool().query<{ emailVerified: Date; createdAt: Date }>(
        'SELECT "emailVerified", "createdAt" FROM "User" WHERE id = $1',
        [user.id],
      );
      expect(raw.rows[0]!.emailVerified.toISOString()).toBe(verified.toISOString());
      expect(raw.rows[0]!.createdAt.toISOString()).toBe(user.createdAt.toISOString());

      const later = new Date("2026-07-08T09:10:11.123Z");
      await pgPool().query('UPDATE "User" SET "emailVerified" = $1 WHERE id = $2', [later, user.id]);
      const updated = await prisma.user.findUniqueOrThrow({ where: { id: user.id } });
      expect(updated.emailVerified?.toISOString()).toBe(later.toISOString());

      const stored = await prisma.$queryRawUnsafe<{ text: string }[]>(
        `SELECT "emailVerified"::text AS text FROM "User" WHERE id = '${user.id}'`,
      );
      expect(stored[0]?.text).toBe("2026-07-08 09:10:11.123");
    });

    it("pendingMigrations() lists what the database lacks", async () => {
      const { pendingMigrations } = await import("../../lib/data/migrations-status");
      const { pgPool } = await import("../../lib/db");
      await pgPool().query("ALTER TABLE _prisma_migrations RENAME TO _prisma_migrations_away");
      try {
        expect(await pendingMigrations()).toEqual(migrationNames("postgresql"));
      } finally {
        await pgPool().query("ALTER TABLE _prisma_migrations_away RENAME TO _prisma_migrations");
      }
      const last = migrationNames("postgresql").at(-1)!;
      await pgPool().query("UPDATE _prisma_migrations SET rolled_back_at = now() WHERE migration_name = $1", [last]);
      expect(await pendingMigrations()).toEqual([last]);
      await pgPool().query("UPDATE _prisma_migrations SET rolled_back_at = NULL WHERE migration_name = $1", [last]);
      expect(await pendingMigrations()).toEqual([]);
    });
  });
});
