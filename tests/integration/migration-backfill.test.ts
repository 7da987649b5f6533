// Upgrading a database that holds data: the migration after "grants record their APIs" and
// "suspension records when tokens ended" fills both in for rows written before them, on SQLite
// and on a real PostgreSQL, by running each history up to it, writing rows, then the rest.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POSTGRES_INSTALL_HINT, findPostgresBin, startPostgres, type PostgresCluster } from "../../scripts/postgres-cluster";

const root = path.resolve(import.meta.dirname, "../..");
const BACKFILL = "20261202055500_backfill_grant_resources_tokens_ended";
const NOTES = "https://notes.example.test/mcp";
const CALENDAR = "https://calendar.example.test/";
const FILES = "https://files.example.test/";
const AT = "2026-11-01T10:00:00.000Z";
const LATER = "2027-11-01T10:00:00.000Z";

/** The migrations of a provider before the backfill, and from it on. */
function history(provider: "sqlite" | "postgresql"): { before: string[]; rest: string[] } {
  const dir = path.join(root, "prisma", provider, "migrations");
  const names = readdirSync(dir).filter((d) => /^\d{14}_/.test(d)).sort();
  expect(names).toContain(BACKFILL);
  const sql = (name: string) => readFileSync(path.join(dir, name, "migration.sql"), "utf8");
  return { before: names.filter((n) => n < BACKFILL).map(sql), rest: names.filter((n) => n >= BACKFILL).map(sql) };
}

/** Rows as the app wrote them before the two columns existed (`?` placeholders). */
const ROWS: [string, unknown[]][] = [
  [`INSERT INTO "User" ("id", "email", "role", "createdAt", "updatedAt") VALUES (?, ?, 'user', ?, ?)`, ["u1", "u1@example.test", AT, AT]],
  ...["active", "suspended", "revoked"].map((status): [string, unknown[]] => [
    `INSERT INTO "Client" ("id", "ownerId", "name", "type", "grantTypes", "scopes", "webOrigins", "status", "source", "defaultScopes", "createdAt", "updatedAt")
     VALUES (?, 'u1', ?, 'confidential', 'authorization_code refresh_token', 'notes:read', '', ?, 'portal', '', ?, ?)`,
    [`app-${status}`, `App ${status}`, status, AT, AT],
  ]),
  ...[
    ["g-apis", "app-active"],
    ["g-none", "app-suspended"],
  ].map(([id, clientId]): [string, unknown[]] => [
    `INSERT INTO "Grant" ("id", "userId", "clientId", "scopes", "createdAt", "updatedAt") VALUES (?, 'u1', ?, 'notes:read', ?, ?)`,
    [id, clientId, AT, AT],
  ]),
  [`INSERT INTO "TokenFamily" ("id", "clientId", "userId", "grantId", "createdAt") VALUES ('f1', 'app-active', 'u1', 'g-apis', ?)`, [AT]],
  ...[
    ["r1", `${NOTES} ${CALENDAR}`],
    ["r2", NOTES],
    ["r3", ""],
  ].map(([id, resource]): [string, unknown[]] => [
    `INSERT INTO "RefreshToken" ("id", "familyId", "clientId", "userId", "grantId", "scope", "resource", "expiresAt", "createdAt")
     VALUES (?, 'f1', 'app-active', 'u1', 'g-apis', 'notes:read', ?, ?, ?)`,
    [id, resource, LATER, AT],
  ]),
  [
    `INSERT INTO "AuthorizationCode" ("id", "codeHash", "clientId", "userId", "grantId", "redirectUri", "scope", "resource", "authTime", "expiresAt", "createdAt")
     VALUES ('c1', 'code-hash', 'app-active', 'u1', 'g-apis', 'https://app.example.test/cb', 'notes:read', ?, ?, ?, ?)`,
    [FILES, AT, LATER, AT],
  ],
];

const resourcesOf = (value: unknown) => new Set(String(value).split(" ").filter(Boolean));

describe("the backfill migration on SQLite", () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), "backfill-"));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it("gives old grants the APIs of their codes and refresh tokens, and old suspended or revoked apps a time their tokens ended", () => {
    const db = new Database(path.join(tmp, "upgrade.db"));
    try {
      const { before, rest } = history("sqlite");
      for (const sql of before) db.exec(sql);
      for (const [sql, values] of ROWS) db.prepare(sql).run(...values);
      const started = Date.now();
      for (const sql of rest) db.exec(sql);

      const grants = db.prepare(`SELECT "id", "resources" FROM "Grant" ORDER BY "id"`).all() as { id: string; resources: string }[];
      expect(resourcesOf(grants.find((g) => g.id === "g-apis")!.resources)).toEqual(new Set([NOTES, CALENDAR, FILES]));
      expect(grants.find((g) => g.id === "g-none")!.resources).toBe("");

      const ended = db.prepare(`SELECT "id", "tokensEndedAt" FROM "Client" ORDER BY "id"`).all() as { id: string; tokensEndedAt: string | null }[];
      expect(ended.find((c) => c.id === "app-active")!.tokensEndedAt).toBeNull();
      for (const id of ["app-suspended", "app-revoked"]) {
        const at = ended.find((c) => c.id === id)!.tokensEndedAt!;
        // Prisma's SQLite text form, which the store reads back with `new Date`.
        expect(at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/);
        expect(new Date(at).getTime()).toBeGreaterThanOrEqual(Math.floor(started / 1000) * 1000);
      }
    } finally {
      db.close();
    }
  });
});

const skipPostgres = findPostgresBin() === null && !process.env.CI;
describe.skipIf(skipPostgres)(skipPostgres ? `the backfill migration on PostgreSQL (skipped: ${POSTGRES_INSTALL_HINT})` : "the backfill migration on PostgreSQL", () => {
  let cluster: PostgresCluster;
  beforeAll(async () => {
    cluster = await startPostgres();
  });
  afterAll(() => cluster?.stop());

  it("gives old grants the APIs of their codes and refresh tokens, and old suspended or revoked apps a time their tokens ended", async () => {
    const client = new pg.Client({ connectionString: await cluster.createDatabase() });
    await client.connect();
    try {
      const { before, rest } = history("postgresql");
      for (const sql of before) await client.query(sql);
      for (const [sql, values] of ROWS) {
        let n = 0;
        await client.query(sql.replace(/\?/g, () => `$${++n}`), values);
      }
      const started = Date.now();
      for (const sql of rest) await client.query(sql);

      const grants = (await client.query(`SELECT "id", "resources" FROM "Grant"`)).rows as { id: string; resources: string }[];
      const withApis = grants.find((g) => g.id === "g-apis")!.resources;
      expect(resourcesOf(withApis)).toEqual(new Set([NOTES, CALENDAR, FILES]));
      expect(withApis.split(" ")).toHaveLength(3);
      expect(grants.find((g) => g.id === "g-none")!.resources).toBe("");

      // timestamp(3) holds UTC, as Prisma writes it: read as text and taken as UTC.
      const ended = (await client.query(`SELECT "id", "tokensEndedAt"::text AS at FROM "Client"`)).rows as { id: string; at: string | null }[];
      expect(ended.find((c) => c.id === "app-active")!.at).toBeNull();
      for (const id of ["app-suspended", "app-revoked"]) {
        const at = new Date(`${ended.find((c) => c.id === id)!.at!.replace(" ", "T")}Z`).getTime();
        expect(at).toBeGreaterThanOrEqual(Math.floor(started / 1000) * 1000);
        expect(at).toBeLessThanOrEqual(Date.now() + 1000);
      }
    } finally {
      await client.end();
    }
  });
});
