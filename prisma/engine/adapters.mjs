// Driver adapter factories handed to the WASM schema engine, with the fixes the
// stock adapters need on the migration path (see RECIPES.md, "Prisma without its
// binary download").
import { existsSync, mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { pgConfig, providerOf, quoteIdent, sqlitePath } from "./datasource.mjs";

const MULTI_STATEMENT = /contains more than one statement/i;

const debugEnabled = /prisma|schema|engine|\*/i.test(process.env.DEBUG ?? "");
function debug(message) {
  if (!debugEnabled) return;
  process.stderr.write(
    JSON.stringify({ timestamp: new Date().toISOString(), level: "DEBUG", fields: { message }, target: "schema_engine::adapters" }) + "\n",
  );
}

/** Every SQLite handle we opened, so they can be closed synchronously on SIGTERM. */
export const openSqliteClients = new Set();

export function removeSqliteFiles(file) {
  for (const suffix of ["", "-wal", "-shm", "-journal"]) {
    rmSync(file + suffix, { force: true });
  }
}

// ---------------------------------------------------------------- SQLite

function patchSqliteQueryable(q) {
  // Gap 2: shadow-database replay (and some engine paths) send whole migration
  // scripts through executeRaw; better-sqlite3's prepare() accepts one statement.
  const executeRaw = q.executeRaw.bind(q);
  q.executeRaw = async (query) => {
    try {
      return await executeRaw(query);
    } catch (error) {
      if (error instanceof RangeError && MULTI_STATEMENT.test(error.message) && (query.args?.length ?? 0) === 0) {
        debug("executeRaw: multi-statement script, running it with exec()");
        q.client.exec(query.sql);
        return 0;
      }
      throw error;
    }
  };
  const queryRaw = q.queryRaw.bind(q);
  q.queryRaw = async (query) => {
    try {
      return await queryRaw(query);
    } catch (error) {
      if (error instanceof RangeError && MULTI_STATEMENT.test(error.message) && (query.args?.length ?? 0) === 0) {
        debug("queryRaw: multi-statement script, running it with exec()");
        q.client.exec(query.sql);
        return { columnNames: [], columnTypes: [], rows: [] };
      }
      throw error;
    }
  };
  return q;
}

function patchSqliteAdapter(adapter, { wal }) {
  const client = adapter.client;
  openSqliteClients.add(client);
  if (wal && client.name !== ":memory:" && !client.memory) {
    try {
      client.pragma("journal_mode = WAL");
    } catch {
      // Another process may hold the file; the journal mode is persistent, so the
      // app (or the next run) sets it. Never fail a migration over it.
    }
  }
  patchSqliteQueryable(adapter);
  const startTransaction = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = async (...args) => patchSqliteQueryable(await startTransaction(...args));
  const dispose = adapter.dispose.bind(adapter);
  adapter.dispose = async () => {
    openSqliteClients.delete(client);
    if (client.open) await dispose();
  };
  return adapter;
}

async function sqliteFactory(url, { shadowDatabaseUrl, cwd }) {
  const { PrismaBetterSqlite3 } = await import("@prisma/adapter-better-sqlite3");
  const file = sqlitePath(url, cwd);
  const live = new Set();
  const track = (adapter) => {
    live.add(adapter);
    const dispose = adapter.dispose;
    adapter.dispose = async () => {
      live.delete(adapter);
      await dispose();
    };
    return adapter;
  };
  const main = new PrismaBetterSqlite3({ url: file });
  return {
    provider: "sqlite",
    adapterName: "@prisma/adapter-better-sqlite3",
    file,
    async connect() {
      if (file !== ":memory:") mkdirSync(path.dirname(file), { recursive: true });
      return track(patchSqliteAdapter(await main.connect(), { wal: true }));
    },
    async connectToShadowDb() {
      let shadowFile = ":memory:";
      if (shadowDatabaseUrl && providerOf(shadowDatabaseUrl) === "sqlite") {
        shadowFile = sqlitePath(shadowDatabaseUrl, cwd);
        if (shadowFile !== ":memory:") removeSqliteFiles(shadowFile); // the engine expects it empty
      }
      const shadow = new PrismaBetterSqlite3({ url: shadowFile });
      return track(patchSqliteAdapter(await shadow.connect(), { wal: false }));
    },
    async disposeAll() {
      for (const adapter of [...live]) await adapter.dispose().catch(() => {});
    },
  };
}

// ------------------------------------------------------------ PostgreSQL

// Column type oids the pg adapter can decode (see fieldToColumnType in @prisma/adapter-pg).
const PG_SUPPORTED_OIDS = new Set([
  16, 17, 19, 20, 21, 23, 25, 26, 114, 142, 650, 700, 701, 790, 869, 1042, 1043, 1082, 1083, 1114, 1184, 1266,
  1560, 1562, 1700, 2950, 3802,
  // arrays
  143, 199, 651, 791, 1000, 1001, 1002, 1005, 1007, 1009, 1014, 1015, 1016, 1028, 1041, 1115, 1182, 1183, 1185,
  1231, 1561, 1563, 2951, 3807,
]);
const PG_TEXT_OID = 25;
const PG_FIRST_NORMAL_OID = 16384;

function patchPgQueryable(q) {
  // Gap 4: catalog queries return internal types such as "char" (oid 18); pg hands
  // their values over as strings, so report them as text instead of failing.
  const performIO = q.performIO.bind(q);
  q.performIO = async (query) => {
    const result = await performIO(query);
    for (const field of result?.fields ?? []) {
      if (field.dataTypeID < PG_FIRST_NORMAL_OID && !PG_SUPPORTED_OIDS.has(field.dataTypeID)) {
        debug(`pg: column ${field.name} has type oid ${field.dataTypeID}; reading it as text`);
        field.dataTypeID = PG_TEXT_OID;
      }
    }
    return result;
  };
  return q;
}

function patchPgAdapter(adapter) {
  patchPgQueryable(adapter);
  const startTransaction = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = async (...args) => patchPgQueryable(await startTransaction(...args));
  // The stock executeScript splits on ";" (breaking $$-quoted bodies and string
  // literals). The simple query protocol runs a whole multi-statement script.
  adapter.executeScript = async (script) => {
    try {
      await adapter.client.query(script);
    } catch (error) {
      adapter.onError(error);
    }
  };
  return adapter;
}

async function pgFactory(url, { shadowDatabaseUrl }) {
  const { PrismaPg } = await import("@prisma/adapter-pg");
  const { config, schema } = pgConfig(url);
  const live = new Set();
  const track = (adapter, extraDispose) => {
    live.add(adapter);
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      if (!live.has(adapter)) return;
      live.delete(adapter);
      await dispose();
      await extraDispose?.();
    };
    return adapter;
  };
  const main = new PrismaPg({ ...config }, { schema });
  return {
    provider: "postgres",
    adapterName: "@prisma/adapter-pg",
    config,
    schema,
    async connect() {
      return track(patchPgAdapter(await main.connect()));
    },
    async connectToShadowDb() {
      if (shadowDatabaseUrl) {
        // An explicit shadow database: empty it, as the native engine does.
        const shadow = pgConfig(shadowDatabaseUrl);
        const adapter = patchPgAdapter(await new PrismaPg({ ...shadow.config }, { schema: shadow.schema }).connect());
        await adapter.executeScript(
          `DROP SCHEMA IF EXISTS ${quoteIdent(shadow.schema)} CASCADE; CREATE SCHEMA ${quoteIdent(shadow.schema)}`,
        );
        return track(adapter);
      }
      // Gap 5 + 6: a temporary database reached through explicit connection fields,
      // whose pool is closed before the database is dropped.
      const admin = patchPgAdapter(await main.connect());
      const database = `prisma_migrate_shadow_db_${globalThis.crypto.randomUUID()}`;
      await admin.executeScript(`CREATE DATABASE ${quoteIdent(database)}`);
      const adapter = patchPgAdapter(await new PrismaPg({ ...config, database }, { schema }).connect());
      if (schema !== "public") await adapter.executeScript(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
      return track(adapter, async () => {
        try {
          await admin.executeScript(`DROP DATABASE IF EXISTS ${quoteIdent(database)}`);
        } finally {
          await admin.dispose();
        }
      });
    },
    async disposeAll() {
      for (const adapter of [...live]) await adapter.dispose().catch(() => {});
    },
  };
}

/**
 * A migration-aware adapter factory for `url`, plus bookkeeping (`disposeAll`).
 * Pass the result through bindMigrationAwareSqlAdapterFactory before giving it to
 * the WASM engine.
 */
export async function createAdapterFactory(url, { shadowDatabaseUrl, cwd = process.cwd() } = {}) {
  return providerOf(url) === "sqlite"
    ? sqliteFactory(url, { shadowDatabaseUrl, cwd })
    : pgFactory(url, { shadowDatabaseUrl });
}

export function sqliteFileExists(file) {
  return file === ":memory:" || existsSync(file);
}
