// The one Prisma client of the process.
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client";
import { env } from "./env";

function createClient(): PrismaClient {
  const { databaseUrl, databaseKind } = env();
  if (databaseKind === "postgresql") {
    return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl }) });
  }
  const file = databaseUrl.replace(/^file:/, "");
  return new PrismaClient({ adapter: new PrismaBetterSqlite3({ url: file }) });
}

const globalForPrisma = globalThis as unknown as { latchkeyPrisma?: PrismaClient };

export const prisma: PrismaClient = (globalForPrisma.latchkeyPrisma ??= createClient());
