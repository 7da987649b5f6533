import { prisma } from "../db";
import { env } from "../env";

/** SQLite: write-ahead logging (persistent in the file) so readers never wait for the writer. */
export async function setPragmas(): Promise<void> {
  if (env().databaseKind !== "sqlite") return;
  await prisma.$queryRawUnsafe("PRAGMA journal_mode = WAL");
  await prisma.$queryRawUnsafe("PRAGMA synchronous = NORMAL");
}
