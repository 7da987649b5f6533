// What a server process keeps open beside its pool on PostgreSQL: the LISTEN
// connection that drops caches when another instance writes, and the pool gauges.
import { pgPool } from "../db";
import { listenThroughPostgres } from "../data/postgres-notify";
import { env } from "../env";
import { setPoolStatsSource } from "./metrics";

/** Starts watching; the returned function stops. Nothing to watch on SQLite. */
export function watchDatabase(): () => Promise<void> {
  const { databaseKind, databaseUrl } = env();
  if (databaseKind !== "postgresql") return async () => undefined;
  const pool = pgPool();
  setPoolStatsSource(() => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }));
  const listener = listenThroughPostgres(databaseUrl);
  return async () => {
    setPoolStatsSource(null);
    await listener.close();
  };
}
