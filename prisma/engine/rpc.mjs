// Line-delimited JSON-RPC 2.0 over stdin/stdout, as spoken by the native schema engine,
// forwarded to @prisma/schema-engine-wasm with a driver adapter.
import path from "node:path";
import readline from "node:readline";
import { fileURLToPath } from "node:url";
import { createAdapterFactory, openSqliteClients, removeSqliteFiles } from "./adapters.mjs";
import { createDatabase } from "./cli-commands.mjs";
import { UserFacingError, providerOf, quoteIdent, sqlitePath } from "./datasource.mjs";
import { loadSchemaEngineWasm } from "./wasm.mjs";

const SQLITE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

const pgMigrationsTable = (schema) => `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)};
CREATE TABLE IF NOT EXISTS ${quoteIdent(schema)}."_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

// Methods after which a missing `_prisma_migrations` (P1014) means "empty history".
const CREATE_TABLE_ON_P1014 = new Set([
  "applyMigrations",
  "createMigration",
  "markMigrationApplied",
  "markMigrationRolledBack",
  "devDiagnostic",
  "evaluateDataLoss",
]);

const debugEnabled = /prisma|schema|engine|\*/i.test(process.env.DEBUG ?? "");

export function logLine(level, message, extra = {}) {
  process.stderr.write(
    JSON.stringify({
      timestamp: new Date().toISOString(),
      level,
      fields: { message, ...extra },
      target: "schema_engine::logger",
    }) + "\n",
  );
}

function errorCodeOf(error) {
  const code = error?.code ?? error?.error_code;
  return typeof code === "string" && /^P\d{4}$/.test(code) ? code : undefined;
}

function isWasmPanic(error) {
  return error instanceof WebAssembly.RuntimeError || (error?.name === "RuntimeError" && /unreachable/.test(error?.message ?? ""));
}

function toRpcError(error) {
  if (isWasmPanic(error)) {
    return {
      code: 4466,
      message: "An error happened. Check the data field for details.",
      data: { is_panic: true, message: error.message, backtrace: error.stack ?? null },
    };
  }
  const code = errorCodeOf(error);
  let message = error?.message ?? String(error);
  const cause = error?.cause;
  if (cause && typeof cause === "object" && cause.originalMessage && !message.includes(cause.originalMessage)) {
    message += `\n${cause.originalMessage}`;
  }
  return {
    code: 4466,
    message: "An error happened. Check the data field for details.",
    data: { is_panic: false, message, meta: error?.meta ?? null, error_code: code ?? null },
  };
}

// This file is <project>/prisma/engine/rpc.mjs; the engine's cwd is the config file's folder.
const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const PROVIDER_NAMES = { sqlite: "SQLite", postgres: "PostgreSQL" };

/** "sqlite" | "postgres" named by a migration_lock.toml, or undefined (another provider, or none). */
function lockfileProvider(lockfile) {
  const name = /^\s*provider\s*=\s*"([^"]+)"/m.exec(lockfile?.content ?? "")?.[1];
  if (name === "sqlite") return "sqlite";
  if (name === "postgresql" || name === "postgres") return "postgres";
  return undefined;
}

/** The migration histories a request carries (migrate deploy/dev/status, diff --from-migrations). */
function migrationHistories(params) {
  return [params?.migrationsList, params?.from, params?.to].filter((m) => m?.lockfile && Array.isArray(m.migrationDirectories));
}

export class SchemaEngineServer {
  #engine = null;
  #factory = null;
  #bindFactory;
  #nextOutgoingId = 1;
  #pendingOutgoing = new Map();

  constructor({ datasource, datamodels }) {
    this.datasource = datasource ?? {};
    this.datamodels = datamodels?.length ? datamodels : undefined;
  }

  get url() {
    return this.datasource.url;
  }

  get provider() {
    if (this.url) return providerOf(this.url);
    const schema = this.datamodels?.map(([, content]) => content).join("\n") ?? "";
    return /provider\s*=\s*"postgres(ql)?"/.test(schema) ? "postgres" : "sqlite";
  }

  /**
   * The native engine answers a history of the wrong provider with P3019 ("remove your
   * current migration directory"), which is the wrong advice when a project keeps one
   * history per provider: say which history and which URL disagree instead.
   */
  #checkHistoryProvider(params) {
    if (!this.url) return;
    const urlProvider = providerOf(this.url);
    for (const history of migrationHistories(params)) {
      const historyProvider = lockfileProvider(history.lockfile);
      if (!historyProvider || historyProvider === urlProvider) continue;
      const dir = path.isAbsolute(history.baseDir) ? path.relative(PROJECT_ROOT, history.baseDir) : history.baseDir;
      throw new UserFacingError(
        undefined,
        `${dir} is a ${PROVIDER_NAMES[historyProvider]} migration history (its migration_lock.toml says so), ` +
          `but the database URL (DATABASE_URL) points at ${PROVIDER_NAMES[urlProvider]}. ` +
          `Each provider has its own schema folder and history (prisma/sqlite, prisma/postgresql): ` +
          `use the one that matches the URL (prisma.config.ts picks it from DATABASE_URL).`,
      );
    }
  }

  async #getEngine() {
    if (this.#engine) return this.#engine;
    const glue = await loadSchemaEngineWasm();
    this.#bindFactory ??= (await import("@prisma/driver-adapter-utils")).bindMigrationAwareSqlAdapterFactory;
    const url = this.url ?? (this.provider === "sqlite" ? "file::memory:" : undefined);
    if (!url) throw new UserFacingError("P1012", "No datasource URL is configured (set it in prisma.config.ts).");
    this.#factory = await createAdapterFactory(url, { shadowDatabaseUrl: this.datasource.shadowDatabaseUrl });
    const log = (line) => {
      if (debugEnabled) logLine("DEBUG", String(line));
    };
    this.#engine = await glue.SchemaEngine.new({ datamodels: this.datamodels }, log, this.#bindFactory(this.#factory));
    return this.#engine;
  }

  async close() {
    const engine = this.#engine;
    this.#engine = null;
    try {
      engine?.free();
    } catch {
      // already freed
    }
    await this.#factory?.disposeAll();
    this.#factory = null;
  }

  /**
   * Gap 1: the WASM engine reports P1014 when `_prisma_migrations` is missing, where the
   * native engine treats the history as empty (and creates the table when it writes).
   * The engine holds an exclusive lock on SQLite, and a failed call leaves it in a bad
   * state, so: drop the engine, create the table on a fresh connection, start over.
   */
  async #withMigrationsTable() {
    await this.close();
    const factory = await createAdapterFactory(this.url, {});
    try {
      const adapter = await factory.connect();
      const sql = factory.provider === "sqlite" ? SQLITE_MIGRATIONS_TABLE : pgMigrationsTable(factory.schema);
      await adapter.executeScript(sql);
    } finally {
      await factory.disposeAll();
    }
  }

  async #dropMigrationsTable() {
    await this.close();
    const factory = await createAdapterFactory(this.url, {});
    try {
      const adapter = await factory.connect();
      const table =
        factory.provider === "sqlite" ? `"_prisma_migrations"` : `${quoteIdent(factory.schema)}."_prisma_migrations"`;
      await adapter.executeScript(`DROP TABLE IF EXISTS ${table}`);
    } finally {
      await factory.disposeAll();
    }
  }

  /** Gap 3: as the native engine does, `reset` on SQLite deletes the database file. */
  async #resetSqlite() {
    const file = sqlitePath(this.url);
    await this.close();
    logLine("INFO", `reset: deleting SQLite database file ${file}`);
    removeSqliteFiles(file);
  }

  /** Gap 7: `db execute` panics inside the WASM engine; run the script through the adapter. */
  async #dbExecute({ script, datasourceType }) {
    let url = this.url;
    if (datasourceType?.tag === "url") url = datasourceType.url;
    else if (datasourceType?.tag === "schema") {
      // Prisma 7 schemas carry no URL; the CLI always sends the config's datasource.
      url = this.url;
    }
    const factory = await createAdapterFactory(url, {});
    const adapter = await factory.connect();
    try {
      await adapter.executeScript(script);
    } catch (error) {
      const msg = error?.cause?.originalMessage ?? error?.cause?.message ?? error?.message ?? String(error);
      throw new UserFacingError(undefined, msg);
    } finally {
      await factory.disposeAll();
    }
    return null;
  }

  async #print(content) {
    const id = `print-${this.#nextOutgoingId++}`;
    const done = new Promise((resolve) => this.#pendingOutgoing.set(id, resolve));
    process.stdout.write(JSON.stringify({ jsonrpc: "2.0", id, method: "print", params: { content } }) + "\n");
    await done;
  }

  async #call(method, params) {
    switch (method) {
      case "getDatabaseVersion":
        return (await this.#getEngine()).version(params ?? null);
      case "createDatabase": {
        return createDatabase(params?.datasource?.url ?? this.url);
      }
      case "dbExecute":
        return this.#dbExecute(params ?? {});
      case "reset":
        if (this.url && this.provider === "sqlite" && sqlitePath(this.url) !== ":memory:") {
          return this.#resetSqlite();
        }
        return (await this.#getEngine()).reset(params ?? { filter: { externalTables: [], externalEnums: [] } });
      case "diff": {
        const { stdout, ...rest } = await (await this.#getEngine()).diff(params);
        if (stdout) await this.#print(stdout.replace(/\n$/, ""));
        return rest;
      }
      case "evaluateDataLoss": {
        const engine = await this.#getEngine();
        try {
          return await engine.evaluateDataLoss(params);
        } catch (error) {
          // The WASM engine only replays the migration history on SQLite's shadow
          // database from diagnoseMigrationHistory; evaluateDataLoss then reuses it and
          // fails ("must be provided through an external factory") when nothing was
          // replayed before in this process. Replay, then ask again.
          if (!/shadow DB must be provided/i.test(error?.message ?? "")) throw error;
          await engine.diagnoseMigrationHistory({
            migrationsList: params.migrationsList,
            filters: params.filters,
            optInToShadowDatabase: true,
          });
          return await engine.evaluateDataLoss(params);
        }
      }
      case "introspect":
        return (await this.#getEngine()).introspect({ ...params, namespaces: params?.namespaces ?? null });
      case "getDatabaseDescription":
        throw new UserFacingError(undefined, "getDatabaseDescription is not supported by the WASM schema engine stand-in.");
      case "debugPanic":
        return (await this.#getEngine()).debugPanic();
      default: {
        const engine = await this.#getEngine();
        if (typeof engine[method] !== "function" || method === "free" || method === "constructor") {
          const error = new Error(`Method not found: ${method}`);
          error.rpcCode = -32601;
          throw error;
        }
        return engine[method](params);
      }
    }
  }

  async handle(request) {
    const { id, method, params } = request;
    try {
      this.#checkHistoryProvider(params);
      let result;
      try {
        result = await this.#call(method, params);
      } catch (error) {
        if (errorCodeOf(error) === "P1014" && CREATE_TABLE_ON_P1014.has(method)) {
          logLine("INFO", `${method}: no _prisma_migrations table yet (P1014); creating it and retrying`);
          await this.#withMigrationsTable();
          result = await this.#call(method, params);
        } else if (errorCodeOf(error) === "P1014" && method === "diagnoseMigrationHistory") {
          // Read-only: answer with an empty history, then leave the database as it was.
          await this.#withMigrationsTable();
          try {
            result = { ...(await this.#call(method, params)), hasMigrationsTable: false };
          } finally {
            await this.#dropMigrationsTable();
          }
        } else {
          throw error;
        }
      }
      return { jsonrpc: "2.0", id, result: result ?? null };
    } catch (error) {
      if (error?.rpcCode) return { jsonrpc: "2.0", id, error: { code: error.rpcCode, message: error.message } };
      if (debugEnabled) logLine("DEBUG", `${method} failed: ${error?.stack ?? error}`);
      return { jsonrpc: "2.0", id, error: toRpcError(error) };
    }
  }

  /** Serve requests from stdin until it closes. */
  async serve() {
    const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
    let queue = Promise.resolve();
    const shutdown = async (code) => {
      await queue.catch(() => {});
      await this.close().catch(() => {});
      process.exit(code);
    };
    process.on("SIGTERM", () => {
      // The CLI sends SIGTERM right after closing stdin: close SQLite handles
      // synchronously so WAL content is checkpointed, then leave.
      for (const client of openSqliteClients) {
        try {
          client.close();
        } catch {
          // ignore
        }
      }
      process.exit(0);
    });
    rl.on("line", (line) => {
      if (!line.trim()) return;
      let message;
      try {
        message = JSON.parse(line);
      } catch {
        process.stdout.write(
          JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: -32700, message: "Parse error" } }) + "\n",
        );
        return;
      }
      // A response to one of our own requests (print).
      if (message.method === undefined && this.#pendingOutgoing.has(message.id)) {
        this.#pendingOutgoing.get(message.id)();
        this.#pendingOutgoing.delete(message.id);
        return;
      }
      // Requests run one at a time, in order, like the native engine.
      queue = queue.then(async () => {
        const response = await this.handle(message);
        if (message.id !== undefined) process.stdout.write(JSON.stringify(response) + "\n");
      });
    });
    rl.on("close", () => void shutdown(0));
  }
}
