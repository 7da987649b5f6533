// Starts the real production server (`scripts/start.ts`) on a free port with its own
// throwaway database, like `npm start` does: a SQLite file by default, or a database in
// a PostgreSQL cluster started for it when LATCHKEY_TEST_DATABASE=postgresql (how
// `npm test` runs the integration suite a second time).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { startPostgres, type PostgresCluster } from "../../../scripts/postgres-cluster";

export interface RunningServer {
  issuer: string;
  port: number;
  /** The launcher process (signals sent to it reach the app). */
  pid: number;
  /** The server's own process (what `kill -9` must hit). */
  serverPid: number;
  /** The process's exit code once it exited, else null. */
  exitCode: () => number | null;
  dataDir: string;
  databaseKind: "sqlite" | "postgresql";
  demo: { clientId: string; clientSecret: string };
  output: () => string;
  cli: (args: string[]) => { status: number; stdout: string; stderr: string };
  /** Reads the server's database directly (identifiers double-quoted, `?` placeholders). */
  query: <T = Record<string, unknown>>(sql: string, values?: unknown[]) => Promise<T[]>;
  /** Writes to the server's database directly, as the portal would (same quoting and placeholders). */
  execute: (sql: string, values?: unknown[]) => Promise<void>;
  stop: () => Promise<void>;
}

export interface StartOptions {
  port?: number;
  /** `npm run dev`: the same server with Next in development mode. */
  dev?: boolean;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

const root = path.resolve(import.meta.dirname, "../../..");
const tsx = path.join(root, "node_modules", ".bin", "tsx");

/** The database the suite runs on: SQLite unless LATCHKEY_TEST_DATABASE=postgresql. */
export const TEST_DATABASE: "sqlite" | "postgresql" =
  process.env.LATCHKEY_TEST_DATABASE === "postgresql" ? "postgresql" : "sqlite";

async function sqlQuery(databaseUrl: string, sql: string, values: unknown[]): Promise<Record<string, unknown>[]> {
  if (databaseUrl.startsWith("file:")) {
    const { default: Database } = await import("better-sqlite3");
    const db = new Database(databaseUrl.slice("file:".length), { readonly: true });
    try {
      return db.prepare(sql).all(...values) as Record<string, unknown>[];
    } finally {
      db.close();
    }
  }
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    let n = 0;
    return (await client.query(sql.replace(/\?/g, () => `$${++n}`), values)).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}

async function sqlExecute(databaseUrl: string, sql: string, values: unknown[]): Promise<void> {
  if (databaseUrl.startsWith("file:")) {
    const { default: Database } = await import("better-sqlite3");
    const db = new Database(databaseUrl.slice("file:".length), { timeout: 5000 });
    try {
      db.prepare(sql).run(...values.map((v) => (typeof v === "boolean" ? Number(v) : v)));
    } finally {
      db.close();
    }
    return;
  }
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    let n = 0;
    await client.query(sql.replace(/\?/g, () => `$${++n}`), values);
  } finally {
    await client.end();
  }
}

/**
 * `extraEnv` wins over everything: pass DATABASE_URL, AUTH_SECRET and LATCHKEY_ISSUER to
 * run several instances on one database.
 */
export async function startServer(extraEnv: Record<string, string> = {}, options: StartOptions = {}): Promise<RunningServer> {
  const port = options.port ?? (await freePort());
  const dataDir = mkdtempSync(path.join(tmpdir(), "latchkey-it-"));
  const env = { ...process.env, PORT: String(port), LATCHKEY_DATA_DIR: dataDir, NEXT_TELEMETRY_DISABLED: "1" } as NodeJS.ProcessEnv;
  for (const name of ["LATCHKEY_ISSUER", "AUTH_SECRET", "NEXTAUTH_SECRET", "NEXTAUTH_URL", "DATABASE_URL"]) delete env[name];
  let cluster: PostgresCluster | null = null;
  if (extraEnv.DATABASE_URL === undefined) {
    if (TEST_DATABASE === "postgresql") {
      cluster = await startPostgres();
      env.DATABASE_URL = await cluster.createDatabase();
      env.AUTH_SECRET = randomBytes(32).toString("base64url");
      env.LATCHKEY_ISSUER = `http://localhost:${port}`;
    } else {
      env.DATABASE_URL = `file:${path.join(dataDir, "latchkey.db")}`;
    }
  }
  Object.assign(env, extraEnv);
  const databaseUrl = env.DATABASE_URL!;
  const child: ChildProcess = spawn(tsx, ["scripts/start.ts", ...(options.dev ? ["--dev"] : [])], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const cleanUp = () => {
    rmSync(dataDir, { recursive: true, force: true });
    cluster?.stop();
  };
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 240_000);
    const check = () => {
      if (out.includes("Latchkey is running at")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on("data", check);
    child.on("exit", (code) => {
      clearTimeout(timer);
      cleanUp();
      reject(new Error(`server exited with ${code}:\n${out}`));
    });
  });
  const secret = /client_secret: (lk_secret_\S+)/.exec(out)?.[1] ?? "";
  return {
    issuer: env.LATCHKEY_ISSUER ?? `http://localhost:${port}`,
    port,
    pid: child.pid!,
    serverPid: Number(/\(port \d+, pid (\d+)\)/.exec(out)?.[1]),
    exitCode: () => child.exitCode,
    dataDir,
    databaseKind: databaseUrl.startsWith("file:") ? "sqlite" : "postgresql",
    demo: { clientId: "latchkey-demo", clientSecret: secret },
    output: () => out,
    cli: (args) => {
      const r = spawnSync(tsx, ["cli/latchkey.ts", ...args], { cwd: root, env, encoding: "utf8" });
      return { status: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
    },
    query: async <T,>(sql: string, values: unknown[] = []) => (await sqlQuery(databaseUrl, sql, values)) as T[],
    execute: (sql: string, values: unknown[] = []) => sqlExecute(databaseUrl, sql, values),
    stop: async () => {
      child.removeAllListeners("exit");
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        await new Promise((r) => child.once("exit", r));
      }
      cleanUp();
    },
  };
}
