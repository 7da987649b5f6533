// Whether the database has every migration of the current provider's history applied
// (for /readyz): prisma/<provider>/migrations on disk against `_prisma_migrations`.
import { readdirSync } from "node:fs";
import path from "node:path";
import { prisma } from "../db";
import { env } from "../env";

/** The migration folder names of prisma/<provider>/migrations, oldest first. */
export function migrationNames(kind = env().databaseKind): string[] {
  const dir = path.join(/*turbopackIgnore: true*/ process.cwd(), "prisma", kind, "migrations");
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

/** Migrations on disk that the database has not applied (finished, not rolled back); [] when up to date. */
export async function pendingMigrations(): Promise<string[]> {
  let applied: Set<string>;
  try {
    const rows = await prisma.$queryRawUnsafe<{ migration_name: string }[]>(
      "SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL",
    );
    applied = new Set(rows.map((row) => row.migration_name));
  } catch (error) {
    // A database never migrated has no _prisma_migrations table: everything is pending.
    if (!/_prisma_migrations/.test(String(error)) || !/no such table|does not exist/i.test(String(error))) throw error;
    applied = new Set();
  }
  return migrationNames().filter((name) => !applied.has(name));
}
