// `schema-engine --datasource '{"url":...}' cli <command>`: the one-shot commands the
// Prisma CLI runs before migrate/db commands (can-connect-to-database, create-database,
// drop-database). Errors are reported as JSON log lines on stderr, which the CLI parses
// (it skips the first stderr line, then expects every line to be JSON).
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { removeSqliteFiles } from "./adapters.mjs";
import { UserFacingError, pgConfig, pgUserFacingError, providerOf, quoteIdent, sqlitePath } from "./datasource.mjs";

async function withPgClient(config, fn) {
  const { default: pg } = await import("pg");
  const client = new pg.Client(config);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => {});
    throw pgUserFacingError(error, config);
  }
  try {
    return await fn(client);
  } catch (error) {
    throw pgUserFacingError(error, config);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Connects to a maintenance database on the same server (for CREATE/DROP DATABASE). */
async function withPgAdminClient(config, fn) {
  let lastError;
  for (const database of ["postgres", "template1"]) {
    try {
      return await withPgClient({ ...config, database }, fn);
    } catch (error) {
      lastError = error;
      if (error.code !== "P1003") throw error;
    }
  }
  throw lastError;
}

export async function canConnectToDatabase(url) {
  if (providerOf(url) === "sqlite") {
    const file = sqlitePath(url);
    if (file !== ":memory:" && !existsSync(file)) {
      throw new UserFacingError("P1003", `Database \`${path.basename(file)}\` does not exist at \`${file}\``);
    }
    return;
  }
  const { config } = pgConfig(url);
  await withPgClient(config, (client) => client.query("SELECT 1"));
}

export async function createDatabase(url) {
  if (providerOf(url) === "sqlite") {
    const file = sqlitePath(url);
    if (file === ":memory:") return { databaseName: ":memory:" };
    mkdirSync(path.dirname(file), { recursive: true });
    const { default: Database } = await import("better-sqlite3");
    const db = new Database(file);
    try {
      db.pragma("journal_mode = WAL");
    } finally {
      db.close();
    }
    return { databaseName: path.basename(file) };
  }
  const { config } = pgConfig(url);
  await withPgAdminClient(config, (client) => client.query(`CREATE DATABASE ${quoteIdent(config.database)}`));
  return { databaseName: config.database };
}

export async function dropDatabase(url) {
  if (providerOf(url) === "sqlite") {
    const file = sqlitePath(url);
    if (file !== ":memory:") removeSqliteFiles(file);
    return;
  }
  const { config } = pgConfig(url);
  await withPgAdminClient(config, (client) => client.query(`DROP DATABASE IF EXISTS ${quoteIdent(config.database)}`));
}

export const cliCommands = {
  "can-connect-to-database": canConnectToDatabase,
  "create-database": createDatabase,
  "drop-database": dropDatabase,
};
