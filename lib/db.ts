// The one Prisma client of the process.
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "./generated/prisma/client";
import { env } from "./env";

function createClient(): PrismaClient {
  const { databaseUrl, databaseKind } = env();
  if (databaseKind === "postgresql") {
    // The data layer is portable (no SQLite-only queries outside the SQLite hot-path
    // store), but the generated client and migrations are SQLite's for now.
    throw new Error(
      "DATABASE_URL points at PostgreSQL, which this version does not support yet: use a SQLite file: URL (the default).",
    );
  }
  const file = databaseUrl.replace(/^file:/, "");
  return new PrismaClient({ adapter: new PrismaBetterSqlite3({ url: file }) });
}

const globalForPrisma = globalThis as unknown as { latchkeyPrisma?: PrismaClient };

export const prisma: PrismaClient = (globalForPrisma.latchkeyPrisma ??= createClient());
