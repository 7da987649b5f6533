// The one Prisma client of the process, on SQLite (a file: URL, the default) or
// PostgreSQL (a postgres:// URL): each provider has its own generated client
// (prisma/sqlite, prisma/postgresql), with the same models and model API.
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient as PostgresPrismaClient } from "./generated/postgresql/client";
import { PrismaClient } from "./generated/sqlite/client";
import { invalidateCachesOnWrite } from "./data/invalidating-writes";
import { createPostgresPool } from "./data/postgres-pool";
import { publishThroughPostgres } from "./data/postgres-notify";
import { env } from "./env";

// Hand-written queries on pgPool() pass Date parameters to timestamp(3) columns, which
// hold UTC (as Prisma writes them): pg must not format those in the local time zone.
pg.defaults.parseInputDatesAsUTC = true;

interface Db {
  prisma: PrismaClient;
  pool: pg.Pool | null;
}

// The extended client keeps the model API; its type differs only in Prisma's generics.
const withInvalidation = (client: PrismaClient) =>
  client.$extends({ query: invalidateCachesOnWrite }) as unknown as PrismaClient;

function connect(): Db {
  const { databaseUrl, databaseKind, databasePoolSize, countStatements } = env();
  if (databaseKind === "sqlite") {
    const file = databaseUrl.replace(/^file:/, "");
    const prisma = new PrismaClient({ adapter: new PrismaBetterSqlite3({ url: file }) });
    return { prisma: withInvalidation(prisma), pool: null };
  }
  if ((new URL(databaseUrl).searchParams.get("schema") ?? "public") !== "public") {
    throw new Error("DATABASE_URL: ?schema= is not supported; give Latchkey a database of its own (it uses the public schema).");
  }
  // Timestamps read as UTC, session time zone UTC, an 'error' listener: see postgres-pool.ts.
  const pool = createPostgresPool(databaseUrl, databasePoolSize, countStatements);
  // @prisma/adapter-pg is typed with its own, newer copy of @types/pg: the same pg.Pool.
  const adapter = new PrismaPg(pool as unknown as ConstructorParameters<typeof PrismaPg>[0]);
  // The PostgreSQL client has the same model API as the SQLite one, which the app is typed against.
  const prisma = new PostgresPrismaClient({ adapter }) as unknown as PrismaClient;
  publishThroughPostgres(pool);
  return { prisma: withInvalidation(prisma), pool };
}

const globalForPrisma = globalThis as unknown as { latchkeyDb?: Db };
const db: Db = (globalForPrisma.latchkeyDb ??= connect());

export const prisma: PrismaClient = db.prisma;

/**
 * Closes the database connections, for a process that ends (the CLI): Prisma's adapter leaves the
 * pool it was given open, and its idle connections would keep the process alive.
 */
export async function disconnectDatabase(): Promise<void> {
  await db.prisma.$disconnect();
  await db.pool?.end();
}

/** The PostgreSQL connection pool Prisma uses, for hand-written queries. Throws on SQLite. */
export function pgPool(): pg.Pool {
  if (!db.pool) throw new Error("pgPool(): DATABASE_URL is not a PostgreSQL URL");
  return db.pool;
}
