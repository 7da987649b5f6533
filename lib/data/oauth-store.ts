// The OAuth store of the running server: one complete implementation per database,
// chosen once from DATABASE_URL.
import { pgPool } from "../db";
import { env } from "../env";
import type { OAuthStore, StoreLifecycle } from "../oauth/store";
import { createPostgresOAuthStore } from "./postgres-oauth-store";
import { createSqliteOAuthStore } from "./sqlite-oauth-store";

/** How long a client stays cached; a change also drops it at once on every instance. */
export const CLIENT_CACHE_MS = 500;

export function createOAuthStore(): OAuthStore & StoreLifecycle {
  const { databaseKind, databaseUrl } = env();
  if (databaseKind === "postgresql") {
    return createPostgresOAuthStore({ pool: pgPool(), clientCacheMs: CLIENT_CACHE_MS });
  }
  return createSqliteOAuthStore({ file: databaseUrl.replace(/^file:/, ""), clientCacheMs: CLIENT_CACHE_MS, countStatements: env().countStatements });
}
