// Connection-string handling shared by the RPC server and the `cli` sub-commands.
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);

export class UserFacingError extends Error {
  constructor(code, message, meta) {
    super(message);
    this.code = code;
    this.meta = meta;
  }
}

/** "sqlite" | "postgres" for a connection string, or throws a user-facing error. */
export function providerOf(url) {
  if (typeof url !== "string" || url === "") {
    throw new UserFacingError("P1012", "The datasource URL is empty. See https://pris.ly/d/config-url");
  }
  if (url.startsWith("file:")) return "sqlite";
  if (/^postgres(ql)?:\/\//.test(url)) return "postgres";
  throw new UserFacingError(
    "P1013",
    `The provided database string is invalid. This stand-in schema engine supports only \`file:\` (SQLite) and \`postgres://\`/\`postgresql://\` URLs.`,
  );
}

/** Absolute path of the SQLite file named by a `file:` URL (or ":memory:"). */
export function sqlitePath(url, cwd = process.cwd()) {
  let rest = url.slice("file:".length);
  if (rest.startsWith("//")) {
    // file:///abs/path or file://localhost/abs/path
    return fileURLToPath(url.split("?")[0]);
  }
  rest = rest.split("?")[0];
  rest = decodeURIComponent(rest);
  if (rest === ":memory:" || rest === "") return ":memory:";
  return path.resolve(cwd, rest);
}

function parsePgConnectionString(url) {
  // pg-connection-string is a dependency of pg; resolve it from there.
  const pgDir = path.dirname(require.resolve("pg/package.json"));
  const req = createRequire(path.join(pgDir, "package.json"));
  const mod = req("pg-connection-string");
  return (mod.parse ?? mod)(url);
}

/**
 * Explicit connection fields for a PostgreSQL URL. We never hand `connectionString`
 * to pg: when both are given, the connection string wins over `database`, which is
 * what made the stock adapter's shadow database point at the real one.
 */
export function pgConfig(url) {
  const parsed = parsePgConnectionString(url);
  const u = new URL(url);
  const schema = u.searchParams.get("schema") || "public";
  const config = {
    host: parsed.host || "localhost",
    port: parsed.port ? Number(parsed.port) : 5432,
    user: parsed.user || undefined,
    password: parsed.password || undefined,
    database: parsed.database || "postgres",
    ssl: parsed.ssl,
    application_name: "prisma-schema-engine-wasm",
  };
  // What the native engine does with ?schema=: every session works in that schema.
  if (schema !== "public") config.options = `-c search_path=${quoteIdent(schema)}`;
  const timeout = u.searchParams.get("connect_timeout");
  if (timeout) config.connectionTimeoutMillis = Number(timeout) * 1000;
  for (const key of Object.keys(config)) if (config[key] === undefined) delete config[key];
  return { config, schema };
}

export function pgLocation(config) {
  return `${config.host}:${config.port}`;
}

/** Map a pg / network error to the Prisma error the native engine would report. */
export function pgUserFacingError(error, config) {
  const where = pgLocation(config);
  switch (error?.code) {
    case "ECONNREFUSED":
    case "ENOTFOUND":
    case "EAI_AGAIN":
    case "EHOSTUNREACH":
    case "ETIMEDOUT":
    case "ECONNRESET":
      return new UserFacingError(
        "P1001",
        `Can't reach database server at \`${where}\`\n\nPlease make sure your database server is running at \`${where}\`.`,
      );
    case "28P01":
    case "28000":
      return new UserFacingError(
        "P1000",
        `Authentication failed against database server, the provided database credentials for \`${config.user ?? ""}\` are not valid.\n\nPlease make sure to provide valid database credentials for the database server at the configured address.`,
      );
    case "3D000":
      return new UserFacingError("P1003", `Database \`${config.database}\` does not exist on the database server at \`${where}\`.`);
    case "42P04":
      return new UserFacingError("P1009", `Database \`${config.database}\` already exists on the database server at \`${where}\``);
    default:
      return new UserFacingError(undefined, error?.message ?? String(error));
  }
}

export function quoteIdent(name) {
  return `"${String(name).replace(/"/g, '""')}"`;
}
