// The pg connection pool and how it reads timestamps. Prisma stores DateTime as
// `timestamp(3)` (without time zone) holding UTC; pg would read those as local time.
// Hand-written queries write timestamps as ISO 8601 UTC strings (a zone in a
// `timestamp` literal is ignored), so neither side depends on the session time zone.
import pg from "pg";
import { countPoolQueries } from "./statement-counter";

const TIMESTAMP_WITHOUT_TIME_ZONE = 1114;

/** A `timestamp` value as PostgreSQL prints it ("2026-11-30 13:08:33.123"), read as UTC. */
export function utcTimestamp(text: string): Date {
  return new Date(`${text.replace(" ", "T")}Z`);
}

export const PG_TYPES = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === TIMESTAMP_WITHOUT_TIME_ZONE ? utcTimestamp : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

export function createPostgresPool(connectionString: string, max: number, countStatements = false): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    max,
    types: PG_TYPES,
    application_name: "latchkey",
  });
  // An idle connection that dies (database restart) must not take the process with it.
  pool.on("error", (err) => console.error("[latchkey] idle database connection failed", err.message));
  if (countStatements) countPoolQueries(pool);
  return pool;
}
