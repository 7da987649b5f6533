// The SQLite store's group commit (lib/data/sqlite-writes.ts) on a real database file, with a
// second connection standing in for Prisma or another process.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { countSqliteStatements, statementCounts } from "@/lib/data/statement-counter";
import { WriteBatcher } from "@/lib/data/sqlite-writes";

let dir: string;
let file: string;
let db: Database.Database;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "latchkey-batcher-"));
  file = path.join(dir, "store.db");
  db = new Database(file, { timeout: 0 });
  db.pragma("journal_mode = WAL");
  db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, label TEXT NOT NULL)");
});

afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const labels = () => db.prepare("SELECT label FROM t ORDER BY id").pluck().all();

describe("group commit", () => {
  it("commits the writes of one turn in one transaction, in order, each settling with its own result", async () => {
    countSqliteStatements(db);
    const batcher = new WriteBatcher(db);
    const insert = db.prepare("INSERT INTO t (id, label) VALUES (?, ?)");
    const count = db.prepare("SELECT count(*) FROM t").pluck();
    const before = { ...statementCounts };
    const results = await Promise.all([
      batcher.submit(() => insert.run(1, "a").changes),
      batcher.submit(() => insert.run(2, "b").changes),
      // Runs after the two inserts of its batch, so it sees them.
      batcher.submit(() => count.get()),
    ]);
    expect(results).toEqual([1, 1, 2]);
    // Three statements plus BEGIN and COMMIT, and the whole batch is one round trip.
    expect(statementCounts.statements - before.statements).toBe(5);
    expect(statementCounts.roundTrips - before.roundTrips).toBe(1);
    expect(labels()).toEqual(["a", "b"]);
  });

  it("rejects only the write that failed: the others of its batch still commit", async () => {
    const batcher = new WriteBatcher(db);
    const insert = db.prepare("INSERT INTO t (id, label) VALUES (?, ?)");
    const outcomes = await Promise.allSettled([
      batcher.submit(() => insert.run(1, "first")),
      batcher.submit(() => insert.run(1, "duplicate id")),
      batcher.submit(() => insert.run(2, "third")),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(String((outcomes[1] as PromiseRejectedResult).reason)).toMatch(/UNIQUE constraint failed/);
    expect(labels()).toEqual(["first", "third"]);
  });

  it("waits without blocking while another connection holds the write lock, then commits", async () => {
    const batcher = new WriteBatcher(db);
    const other = new Database(file, { timeout: 0 });
    try {
      other.prepare("BEGIN IMMEDIATE").run();
      other.prepare("INSERT INTO t (id, label) VALUES (1, 'other')").run();
      let settled = false;
      const write = batcher.submit(() => db.prepare("INSERT INTO t (id, label) VALUES (2, 'batched')").run()).finally(() => {
        settled = true;
      });
      // The event loop keeps turning while the batch waits for the lock.
      for (let turns = 0; turns < 20; turns++) await new Promise((resolve) => setImmediate(resolve));
      expect(settled).toBe(false);
      other.prepare("COMMIT").run();
      await write;
      expect(labels()).toEqual(["other", "batched"]);
    } finally {
      other.close();
    }
  });
});
