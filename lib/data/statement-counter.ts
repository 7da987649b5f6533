// Database statements and round trips, counted only with LATCHKEY_COUNT_STATEMENTS=1 (the
// benchmark reads them from /metrics); when off, nothing is wrapped. A round trip is one
// wait on the database: on PostgreSQL every query sent; on SQLite (in process) every
// statement outside a transaction and every transaction, whose BEGIN and COMMIT count
// as statements.
import type Database from "better-sqlite3";
import type pg from "pg";

export interface StatementCounts {
  statements: number;
  roundTrips: number;
}

// On globalThis: server.ts and Next's bundle each load this module.
export const statementCounts: StatementCounts = ((globalThis as { latchkeyStatementCounts?: StatementCounts }).latchkeyStatementCounts ??= {
  statements: 0,
  roundTrips: 0,
});

type Method = "run" | "get" | "all" | "iterate";

/** Counts every statement the connection prepares from now on, and every transaction. */
export function countSqliteStatements(db: Database.Database): void {
  let inTransaction = false; // cheaper than asking the connection on every call
  const prepare = db.prepare.bind(db);
  db.prepare = ((source: string) => {
    const statement = prepare(source);
    for (const method of ["run", "get", "all", "iterate"] as Method[]) {
      const original = statement[method] as (...args: unknown[]) => unknown;
      (statement as unknown as Record<Method, unknown>)[method] = (...args: unknown[]) => {
        statementCounts.statements++;
        if (!inTransaction) statementCounts.roundTrips++;
        return original.apply(statement, args);
      };
    }
    return statement;
  }) as typeof db.prepare;
  const transaction = db.transaction.bind(db);
  db.transaction = ((fn: (...args: unknown[]) => unknown) =>
    transaction((...args: unknown[]) => {
      statementCounts.statements += 2;
      statementCounts.roundTrips++;
      inTransaction = true;
      try {
        return fn(...args);
      } finally {
        inTransaction = false;
      }
    })) as typeof db.transaction;
}

/** Counts every query sent on the pool's connections (BEGIN and COMMIT included). */
export function countPoolQueries(pool: pg.Pool): void {
  pool.on("connect", (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: unknown }).query = (...args: unknown[]) => {
      statementCounts.statements++;
      statementCounts.roundTrips++;
      return query(...args);
    };
  });
}
