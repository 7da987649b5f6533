// The benchmark's statement counters (LATCHKEY_COUNT_STATEMENTS=1) on a real SQLite connection:
// a statement outside a transaction is one round trip, a whole transaction is one more, with
// BEGIN and COMMIT counted as statements.
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { countSqliteStatements, statementCounts } from "../../lib/data/statement-counter";

const delta = (before: { statements: number; roundTrips: number }) => ({
  statements: statementCounts.statements - before.statements,
  roundTrips: statementCounts.roundTrips - before.roundTrips,
});

describe("SQLite statement counter", () => {
  it("counts autocommit statements as round trips and a transaction as one round trip", () => {
    const db = new Database(":memory:");
    countSqliteStatements(db);
    const before = { ...statementCounts };
    db.prepare("CREATE TABLE t (a INTEGER)").run();
    const insert = db.prepare("INSERT INTO t VALUES (?)");
    db.transaction(() => {
      insert.run(1);
      insert.run(2);
    }).immediate();
    const values = db.prepare("SELECT a FROM t ORDER BY a").pluck().all();
    expect(values).toEqual([1, 2]);
    expect(delta(before)).toEqual({ statements: 6, roundTrips: 3 });
    db.close();
  });

  it("counts nothing on a connection it was not asked to count", () => {
    const db = new Database(":memory:");
    const before = { ...statementCounts };
    db.prepare("SELECT 1").get();
    db.transaction(() => db.prepare("SELECT 2").get())();
    expect(delta(before)).toEqual({ statements: 0, roundTrips: 0 });
    db.close();
  });
});
