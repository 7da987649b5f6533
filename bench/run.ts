// `npm run bench`: the machine-to-machine endpoints of Latchkey against node-oidc-provider
// and a bare node:http + jose server (the ceiling), same scenarios, same load.
// Options: --duration <s> (6 per round), --rounds <n> (3; each scenario is measured on
// the servers in turn, round after round, and the median round counts), --connections
// <n> (50), --pool <n> (24000 one-shot tokens per pooled scenario, split over the
// rounds), --only <latchkey,oidc-provider,ceiling>, --profile
// (CPU profile of each server during its measured runs, in bench/results/profiles/),
// --skip-build, --scenario <name,...> (measure only these scenarios; a partial run
// writes bench/results/partial.*, like --only or any non-default duration, rounds,
// connections or pool), --database <sqlite|postgresql> (Latchkey's
// database; postgresql starts a throwaway cluster and writes latest-postgresql.* or
// partial.postgresql.*), --pg-setting <name=value> (repeatable: a PostgreSQL setting
// over the bench's), --cold-starts <n> (3: Latchkey server launches timed to the first
// 200 from the token endpoint; the last one is the server measured).
// Every run also writes bench/results/readme-table.md: the README's table, from the latest
// full SQLite and PostgreSQL results (latest.json, latest-postgresql.json); --readme-table
// only rewrites it.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import type pg from "pg";
import type { PostgresCluster } from "../scripts/postgres-cluster";

const root = path.resolve(import.meta.dirname, "..");
const resultsDir = path.join(root, "bench", "results");
const { values: opts } = parseArgs({
  options: {
    duration: { type: "string", default: "6" },
    rounds: { type: "string", default: "3" },
    connections: { type: "string", default: "50" },
    pool: { type: "string", default: "24000" },
    only: { type: "string" },
    scenario: { type: "string" },
    profile: { type: "boolean", default: false },
    "skip-build": { type: "boolean", default: false },
    database: { type: "string", default: "sqlite" },
    "pg-setting": { type: "string", multiple: true, default: [] },
    "cold-starts": { type: "string", default: "3" },
    "readme-table": { type: "boolean", default: false },
  },
});
if (opts.database === "postgres") opts.database = "postgresql";
if (opts.database !== "sqlite" && opts.database !== "postgresql") {
  throw new Error(`--database ${opts.database}: expected sqlite or postgresql`);
}
const DATABASE = opts.database as "sqlite" | "postgresql";
const COLD_STARTS = Math.max(1, Number(opts["cold-starts"]));
const DURATION = Number(opts.duration);
const CONNECTIONS = Number(opts.connections);
const POOL = Number(opts.pool);
const ROUNDS = Math.max(1, Number(opts.rounds));
const WARM = Math.min(2000, Math.ceil(POOL / 5));
/** As in package.json's `start` script. */
const SERVER_NODE_FLAGS = ["--max-semi-space-size=8", "--max-old-space-size=256", "--single-threaded-gc"];
const PORTS = { latchkey: 3311, "oidc-provider": 3312, ceiling: 3313 } as const;
type ServerName = keyof typeof PORTS;
const SERVERS: ServerName[] = ["latchkey", "oidc-provider", "ceiling"];
const SCENARIOS = ["client_credentials", "authorization_code", "refresh_token", "introspection", "jwks", "userinfo"] as const;
type ScenarioName = (typeof SCENARIOS)[number];

const hasTaskset = process.platform === "linux" && spawnSync("taskset", ["-V"]).status === 0 && os.availableParallelism() >= 2;
const pinned = (cpu: number, cmd: string, args: string[]): [string, string[]] =>
  hasTaskset ? ["taskset", ["-c", String(cpu), cmd, ...args]] : [cmd, args];

const METRICS_TOKEN = randomBytes(24).toString("base64url");
const work = mkdtempSync(path.join(os.tmpdir(), "latchkey-bench-"));
const profileDir = path.join(resultsDir, "profiles");
const REDIRECT_URI = "http://localhost/callback";
const CODE_SCOPE = "openid profile email offline_access notes:read";

interface LoadResult {
  requests: number;
  ok: number;
  seconds: number;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  errors: number;
  timeouts: number;
  non2xx: number;
}
interface ScenarioResult extends LoadResult {
  /** Peak resident set of the server's whole process tree during the run. */
  peakRssMb: number | null;
  /** Latchkey: database statements and round trips per answered request (LATCHKEY_COUNT_STATEMENTS). */
  statementsPerRequest?: number | null;
  roundTripsPerRequest?: number | null;
  /** Server CPU time (all threads, user + system) per answered request. */
  cpuUsPerRequest: number | null;
  /** PostgreSQL only: statements in Latchkey's database (pg_stat_statements calls) per answered request. */
  dbStatementsPerRequest?: number | null;
  /** PostgreSQL only: CPU time of the cluster's processes per answered request. */
  dbCpuUsPerRequest?: number | null;
  /** PostgreSQL only: the statements of the run, most called first (median round's). */
  dbStatements?: DbStatement[];
  /** req/s of each round, in the order they ran (the other fields are medians over rounds). */
  rounds?: number[];
}

interface Scenario {
  name: ScenarioName;
  method: "GET" | "POST";
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** One-shot request bodies: [warm-up, measured]. */
  bodies?: [string[], string[]];
  /** The one-shot "bodies" are bearer tokens, sent in the Authorization header. */
  bearer?: boolean;
}

interface Target {
  server: ServerName;
  port: number;
  basic: string;
  scenarios: Scenario[];
  child: ChildProcess;
  output: () => string;
}

const log = (msg: string) => console.log(`[bench] ${msg}`);
const form = { "content-type": "application/x-www-form-urlencoded" };
const basicAuth = (id: string, secret: string) =>
  "Basic " + Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString("base64");
const enc = encodeURIComponent;

function split<T>(items: T[]): [T[], T[]] {
  return [items.slice(0, WARM), items.slice(WARM)];
}

/** Every server process started, so a failed run leaves none behind. */
const children = new Set<ChildProcess>();

function startProcess(name: ServerName, args: string[], env: Record<string, string | undefined>): Promise<{ child: ChildProcess; output: () => string }> {
  const [cmd, argv] = pinned(0, process.execPath, args);
  const child = spawn(cmd, argv, {
    cwd: root,
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(child);
  let out = "";
  // The access log writes a line per request: keep the start of the output and its end.
  const keep = (d: Buffer) => {
    out += d;
    if (out.length > 1 << 20) out = out.slice(0, 1 << 19) + "\n…\n" + out.slice(-(1 << 18));
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start:\n${out}`)), 300_000);
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${code}:\n${out}`));
    };
    // Only this function's listeners go once ready: stopProcess waits for "exit" later, and
    // the server still writes to stdout (on shutdown, for one).
    const onData = () => {
      if (/^ready$/m.test(out)) {
        clearTimeout(timer);
        child.stdout!.off("data", onData);
        child.off("exit", onExit);
        resolve({ child, output: () => out });
      }
    };
    child.stdout!.on("data", onData);
    child.on("exit", onExit);
  });
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
}

const CLOCK_TICKS = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100;

/** CPU time the process used so far (all threads, user + system), in µs. */
function cpuMicros(pid: number | undefined): number | null {
  if (pid === undefined || process.platform !== "linux") return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

function statusKb(pid: number, field: "VmHWM" | "VmRSS"): number {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0; // exited meanwhile
  }
}

/** Every live descendant of a process (one pass over /proc). */
function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = procStat(Number(entry));
    if (fields === null) continue;
    const ppid = Number(fields[1]);
    children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
  }
  const found: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    for (const child of children.get(queue.pop()!) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

/**
 * The server's whole process tree, in MB: the peak of the server process (VmHWM) plus the
 * resident set of its descendants now, or the largest sampled sum, whichever is larger.
 */
class TreeRss {
  private peakKb = 0;
  private timer: NodeJS.Timeout | undefined;
  constructor(private readonly pid: number | undefined) {}

  private sample(): number {
    if (this.pid === undefined || process.platform !== "linux") return 0;
    const kb = [this.pid, ...descendants(this.pid)].reduce((n, pid) => n + statusKb(pid, "VmRSS"), 0);
    this.peakKb = Math.max(this.peakKb, kb);
    return kb;
  }

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), 250);
  }

  stopMb(): number | null {
    clearInterval(this.timer);
    if (this.pid === undefined || process.platform !== "linux") return null;
    this.sample();
    const hwm = statusKb(this.pid, "VmHWM") + descendants(this.pid).reduce((n, pid) => n + statusKb(pid, "VmRSS"), 0);
    return Math.round(Math.max(this.peakKb, hwm) / 1024);
  }
}

async function runLoad(t: Target, s: Scenario, bodies: string[] | null, duration: number): Promise<LoadResult & { peakRssMb: number | null }> {
  const config: Record<string, unknown> = {
    url: `http://localhost:${t.port}${s.path}`,
    method: s.method,
    headers: s.headers,
    connections: CONNECTIONS,
    duration,
  };
  if (s.body !== undefined) config.body = s.body;
  if (bodies !== null) {
    const file = path.join(work, `bodies-${t.server}-${s.name}-${bodies.length}.json`);
    writeFileSync(file, JSON.stringify(bodies));
    config.bodies = file;
    if (s.bearer) config.bearer = true;
  }
  const configFile = path.join(work, "load.json");
  writeFileSync(configFile, JSON.stringify(config));
  const [cmd, argv] = pinned(1, process.execPath, [path.join(root, "bench", "load.mjs"), configFile]);
  const rss = new TreeRss(t.child.pid);
  rss.start();
  const child = spawn(cmd, argv, { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  const status = await new Promise<number | null>((resolve) => child.on("close", resolve));
  const peakRssMb = rss.stopMb();
  if (status !== 0) throw new Error(`load generator failed: ${stderr}`);
  return { ...(JSON.parse(stdout.trim().split("\n").pop()!) as LoadResult), peakRssMb };
}

async function request(t: Target, s: Scenario, body?: string) {
  const res = await fetch(`http://localhost:${t.port}${s.path}`, { method: s.method, headers: s.headers, body: body ?? s.body });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    /* checked below */
  }
  return { status: res.status, json, text };
}

/** What each server answered to the sanity request, for the record. */
const responseFields: Partial<Record<ServerName, Partial<Record<ScenarioName, string>>>> = {};

/** One request per scenario before measuring: every server must answer it properly. */
async function sanityCheck(t: Target, reserved: Partial<Record<ScenarioName, string>>) {
  const expect: Record<ScenarioName, string[]> = {
    client_credentials: ["access_token"],
    authorization_code: ["access_token", "refresh_token", "id_token"],
    refresh_token: ["access_token", "refresh_token"],
    introspection: ["active"],
    jwks: ["keys"],
    userinfo: ["sub"],
  };
  for (const s of t.scenarios) {
    const r = await request(t, s, reserved[s.name]);
    const missing = expect[s.name].filter((k) => r.json[k] === undefined || r.json[k] === false);
    (responseFields[t.server] ??= {})[s.name] = Object.keys(r.json).join(" ");
    if (r.status !== 200 || missing.length > 0) {
      throw new Error(`${t.server} ${s.name}: HTTP ${r.status} ${r.text.slice(0, 300)}`);
    }
  }
}

/** Access tokens from the server's token endpoint, one per body (client_credentials without one), 16 requests at a time. */
async function issueTokens(t: Target, count: number, bodies?: string[]): Promise<string[]> {
  const cc = t.scenarios.find((s) => s.name === "client_credentials")!;
  const tokens = new Array<string>(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const r = await request(t, cc, bodies?.[i]);
      if (r.status !== 200 || typeof r.json.access_token !== "string") throw new Error(`${t.server}: issuing tokens: HTTP ${r.status} ${r.text.slice(0, 200)}`);
      tokens[i] = r.json.access_token;
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return tokens;
}

/** Distinct tokens for introspection and userinfo: each is presented twice (see seenTwice). */
const FIRST_SEEN = Math.ceil((WARM + POOL) / 2);

/**
 * Every token twice, the second time 100 requests after the first: half the requests carry a
 * token the server has not seen before, half one it checked moments ago (Latchkey remembers
 * verified signatures, lib/oauth/access-token.ts).
 */
function seenTwice(tokens: string[], gap = 100): string[] {
  const out: string[] = [];
  for (let i = 0; i < tokens.length + gap; i++) {
    if (i < tokens.length) out.push(tokens[i]!);
    if (i >= gap && i - gap < tokens.length) out.push(tokens[i - gap]!);
  }
  return out;
}

// ---------- PostgreSQL (--database postgresql) ----------

interface DbStatement {
  query: string;
  callsPerRequest: number;
  meanMs: number;
}

interface BenchPostgres {
  cluster: PostgresCluster;
  database: string;
  /** The bench's own connection, to the `postgres` database: its statements are not counted. */
  admin: pg.Client;
  postmasterPid: number;
  info: Record<string, string>;
}

let benchPg: BenchPostgres | null = null;
/** The cluster's description, kept for the report after it is stopped. */
let benchPgInfo: Record<string, string> = {};

const BENCH_DATABASE = "latchkey_bench";

/**
 * Settings over scripts/postgres-cluster.ts's test defaults (fsync, synchronous_commit and
 * full_page_writes off). Durability here matches Latchkey's SQLite (WAL, synchronous=NORMAL):
 * a commit does not wait for its WAL flush, the WAL writer and checkpoints do fsync, so a
 * crash can lose the last moments of commits but never corrupt the database.
 */
const PG_SETTINGS = ["fsync=on", "full_page_writes=on", "synchronous_commit=off", "shared_preload_libraries=pg_stat_statements", "pg_stat_statements.track=top", "pg_stat_statements.max=10000"];

function procStat(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return null;
  }
}

/** Live children of a process (from /proc/<pid>/stat's ppid). */
function childPids(parent: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = procStat(Number(entry));
    if (fields !== null && Number(fields[1]) === parent) pids.push(Number(entry));
  }
  return pids;
}

/**
 * CPU time of the whole cluster so far, in µs: the postmaster (its own time and that of the
 * children it has reaped, so backends and autovacuum workers that exited count) plus every
 * live child (backends, checkpointer, WAL writer, …).
 */
function clusterCpuMicros(postmasterPid: number): number | null {
  const pm = procStat(postmasterPid);
  if (pm === null) return null;
  let ticks = Number(pm[11]) + Number(pm[12]) + Number(pm[13]) + Number(pm[14]);
  for (const pid of childPids(postmasterPid)) {
    const f = procStat(pid);
    if (f !== null) ticks += Number(f[11]) + Number(f[12]);
  }
  return (ticks * 1e6) / CLOCK_TICKS;
}

/** Proportional set size of the cluster's processes (shared buffers counted once), in MB. */
function clusterPssMb(postmasterPid: number): number | null {
  let kb = 0;
  for (const pid of [postmasterPid, ...childPids(postmasterPid)]) {
    try {
      const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"));
      if (m) kb += Number(m[1]);
    } catch {
      // exited meanwhile
    }
  }
  return kb === 0 ? null : Math.round(kb / 1024);
}

/**
 * The cluster shares CPU 0 with Latchkey: the postmaster (and every process it forks later,
 * which inherits its affinity) and the processes it has already started.
 */
function pinCluster(postmasterPid: number): string {
  if (!hasTaskset) return "not pinned (no taskset)";
  const pids = [postmasterPid, ...childPids(postmasterPid)];
  for (const pid of pids) {
    const r = spawnSync("taskset", ["-a", "-p", "-c", "0", String(pid)], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`taskset -p ${pid} failed: ${r.stderr}`);
  }
  return "pinned to CPU 0 with Latchkey";
}

/** CPUs allowed for each of the cluster's processes now (to check that the pinning held). */
function clusterAffinity(postmasterPid: number): string[] {
  return [...new Set([postmasterPid, ...childPids(postmasterPid)].map((pid) => {
    const r = spawnSync("taskset", ["-c", "-p", String(pid)], { encoding: "utf8" });
    return r.stdout.trim().replace(/^.*: /, "");
  }))];
}

async function startBenchPostgres(): Promise<BenchPostgres> {
  const { startPostgres } = await import("../scripts/postgres-cluster");
  const settings = [...PG_SETTINGS, ...(opts["pg-setting"] as string[])];
  const cluster = await startPostgres({ extraOptions: settings.map((kv) => `-c ${kv}`) });
  try {
    const url = await cluster.createDatabase(BENCH_DATABASE);
    const { default: pgLib } = await import("pg");
    const admin = new pgLib.Client({ connectionString: cluster.url("postgres"), application_name: "latchkey-bench" });
    await admin.connect();
    await admin.query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
    const backend = (await admin.query("SELECT pg_backend_pid() AS pid")).rows[0].pid as number;
    const postmasterPid = Number(procStat(backend)![1]);
    const pinning = pinCluster(postmasterPid);
    const info: Record<string, string> = { pinning };
    info.version = (await admin.query("SHOW server_version")).rows[0].server_version;
    for (const name of ["fsync", "synchronous_commit", "full_page_writes", "shared_buffers", "max_connections", ...settings.map((kv) => kv.split("=")[0]!)]) {
      info[name] = (await admin.query("SELECT current_setting($1) AS v", [name])).rows[0].v;
    }
    log(`PostgreSQL ${info.version} on port ${cluster.port} (postmaster ${postmasterPid}, ${pinning}; fsync=${info.fsync}, synchronous_commit=${info.synchronous_commit}, full_page_writes=${info.full_page_writes})`);
    Object.assign(process.env, {
      DATABASE_URL: url,
      AUTH_SECRET: randomBytes(32).toString("base64url"),
      LATCHKEY_ISSUER: `http://localhost:${PORTS.latchkey}`,
    });
    benchPgInfo = info;
    return { cluster, database: BENCH_DATABASE, admin, postmasterPid, info };
  } catch (err) {
    cluster.stop();
    throw err;
  }
}

async function stopBenchPostgres(): Promise<void> {
  if (!benchPg) return;
  const { cluster, admin } = benchPg;
  benchPg = null;
  await admin.end().catch(() => undefined);
  cluster.stop();
  log("PostgreSQL cluster stopped");
}

/** Forgets what ran so far (every database's statements). */
async function resetStatements(): Promise<void> {
  await benchPg!.admin.query("SELECT pg_stat_statements_reset()");
}

/** Statements run in Latchkey's database since the last reset: the bench's own run in `postgres`. */
async function readStatements(): Promise<{ calls: number; statements: { query: string; calls: number; meanMs: number }[] }> {
  const { rows } = await benchPg!.admin.query(
    `SELECT s.query, s.calls::bigint::text AS calls, s.mean_exec_time AS mean FROM pg_stat_statements s
       JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = $1 ORDER BY s.calls DESC`,
    [benchPg!.database],
  );
  const statements = rows.map((r) => ({ query: String(r.query).replace(/\s+/g, " ").trim(), calls: Number(r.calls), meanMs: Number(r.mean) }));
  return { calls: statements.reduce((n, st) => n + st.calls, 0), statements };
}

// ---------- Latchkey ----------

interface Pools {
  codes: string[];
  refreshTokens: string[];
  verifier: string;
  /** Latchkey: refresh tokens to rotate once for userinfo's access tokens. */
  userinfoRefresh?: string[];
}

async function prepareLatchkey(): Promise<{ secret: string; pools: Pools; next: boolean }> {
  const dataDir = path.join(work, "latchkey");
  Object.assign(process.env, {
    PORT: String(PORTS.latchkey),
    LATCHKEY_DATA_DIR: dataDir,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
  });
  if (DATABASE === "sqlite") {
    process.env.DATABASE_URL = `file:${path.join(dataDir, "latchkey.db")}`;
    delete process.env.LATCHKEY_ISSUER;
  } else if (!benchPg) {
    throw new Error("prepareLatchkey: the PostgreSQL cluster is not started");
  } // else startBenchPostgres set DATABASE_URL, AUTH_SECRET and LATCHKEY_ISSUER
  const { prepareDatabase, buildIfStale } = await import("../scripts/prepare");
  const seeded = await prepareDatabase();
  if (!seeded?.demoClientSecret) throw new Error("seeding the bench database failed");

  let next = true;
  if (!opts["skip-build"]) {
    try {
      if (buildIfStale()) log("next build done");
    } catch (err) {
      log(`next build failed (${(err as Error).message})`);
    }
  }
  if (!existsSync(path.join(root, process.env.LATCHKEY_NEXT_DIR || ".next", "BUILD_ID"))) {
    next = false;
  }

  const { prisma, pgPool } = await import("../lib/db");
  const { hashToken } = await import("../lib/oauth/tokens");
  const user = await prisma.user.findUniqueOrThrow({ where: { email: "user@latchkey.local" } });
  const clientId = seeded.demoClientId;
  // ES256 ID tokens, as oidc-provider and the ceiling sign them (Latchkey's default is RS256).
  await prisma.client.update({ where: { id: clientId }, data: { idTokenSignedResponseAlg: "ES256" } });
  const now = new Date();
  const grant = await prisma.grant.create({ data: { userId: user.id, clientId, scopes: CODE_SCOPE, lastUsedAt: now } });
  const verifier = randomBytes(32).toString("base64url");
  const challenge = createHash("sha256").update(verifier).digest("base64url");
  const total = WARM + POOL + 2;
  // Refresh tokens beyond the refresh pool: rotated once before the run for userinfo's access tokens.
  const userinfoRefresh = FIRST_SEEN + 1;
  const expiresAt = new Date(now.getTime() + 3600_000);
  const codes: string[] = [];
  const refreshTokens: string[] = [];
  for (let start = 0; start < total + userinfoRefresh; start += 5000) {
    const n = Math.min(5000, total + userinfoRefresh - start);
    const codeRows = [];
    const familyRows = [];
    const tokenRows = [];
    for (let i = 0; i < n; i++) {
      if (start + i < total) {
        const code = "lk_code_" + randomBytes(32).toString("base64url");
        codes.push(code);
        codeRows.push({
          codeHash: hashToken(code), clientId, userId: user.id, grantId: grant.id, redirectUri: REDIRECT_URI,
          scope: CODE_SCOPE, codeChallenge: challenge, codeChallengeMethod: "S256", nonce: null, authTime: now, expiresAt,
        });
      }
      const familyId = randomBytes(16).toString("base64url");
      familyRows.push({ id: familyId, clientId, userId: user.id, grantId: grant.id, createdAt: now });
      const token = "lk_rt_" + randomBytes(32).toString("base64url");
      refreshTokens.push(token);
      tokenRows.push({
        id: hashToken(token), familyId, clientId, userId: user.id, grantId: grant.id, scope: CODE_SCOPE,
        authTime: now, nonce: null, expiresAt: new Date(now.getTime() + 30 * 24 * 3600_000),
      });
    }
    if (codeRows.length > 0) await prisma.authorizationCode.createMany({ data: codeRows });
    await prisma.tokenFamily.createMany({ data: familyRows });
    await prisma.refreshToken.createMany({ data: tokenRows });
  }
  if (DATABASE === "postgresql") {
    // The pools were bulk-loaded just now; a database that grew to this size in service would
    // have been vacuumed and analysed long ago. Without this, autovacuum's first pass over the
    // fresh rows lands in a measured round (notes, item 30); the run's own churn still brings
    // autovacuum during the rounds, as in service.
    await pgPool().query("VACUUM (ANALYZE)");
  }
  await prisma.$disconnect();
  if (DATABASE === "postgresql") await pgPool().end(); // the bench process must not keep connections
  const userinfoTokens = refreshTokens.splice(total);
  return { secret: seeded.demoClientSecret, pools: { codes, refreshTokens, verifier, userinfoRefresh: userinfoTokens }, next };
}

function tokenScenarios(prefix: { token: string; introspect: string; jwks: string; userinfo: string }, basic: string, clientScope: string, pools: Pools): Scenario[] {
  const tokenHeaders = { ...form, authorization: basic };
  const codeBodies = pools.codes.map(
    (c) => `grant_type=authorization_code&code=${enc(c)}&redirect_uri=${enc(REDIRECT_URI)}&code_verifier=${pools.verifier}`,
  );
  const refreshBodies = pools.refreshTokens.map((r) => `grant_type=refresh_token&refresh_token=${enc(r)}`);
  return [
    { name: "client_credentials", method: "POST", path: prefix.token, headers: tokenHeaders, body: `grant_type=client_credentials&scope=${enc(clientScope)}` },
    { name: "authorization_code", method: "POST", path: prefix.token, headers: tokenHeaders, bodies: split(codeBodies) },
    { name: "refresh_token", method: "POST", path: prefix.token, headers: tokenHeaders, bodies: split(refreshBodies) },
    { name: "introspection", method: "POST", path: prefix.introspect, headers: tokenHeaders },
    { name: "jwks", method: "GET", path: prefix.jwks, headers: {} },
    { name: "userinfo", method: "GET", path: prefix.userinfo, headers: {} },
  ];
}

let latchkeyWithNext = false;

const LATCHKEY_PATHS = { token: "/oauth/token", introspect: "/oauth/introspect", jwks: "/oauth/jwks", userinfo: "/oauth/userinfo" };

/** Latchkey's cold start: spawn (build present, database prepared) to the first 200 from the token endpoint. */
let coldStart: { medianMs: number; samplesMs: number[] } | null = null;
/** After the scenarios: the tree's RSS once one page request has started the page worker (Next). */
let pagesStarted: { treeMb: number; frontDoorMb: number; pageWorkerMb: number; firstPageMs: number } | null = null;

async function startPageWorker(t: Target): Promise<typeof pagesStarted> {
  const pid = t.child.pid;
  if (pid === undefined || process.platform !== "linux") return null;
  const started = performance.now();
  const res = await fetch(`http://localhost:${t.port}/signin`);
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`Latchkey /signin: HTTP ${res.status}`);
  const firstPageMs = Math.round(performance.now() - started);
  const frontDoorKb = statusKb(pid, "VmRSS");
  const pageWorkerKb = descendants(pid).reduce((n, p) => n + statusKb(p, "VmRSS"), 0);
  const mb = (kb: number) => Math.round(kb / 1024);
  return { treeMb: mb(frontDoorKb + pageWorkerKb), frontDoorMb: mb(frontDoorKb), pageWorkerMb: mb(pageWorkerKb), firstPageMs };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts the Latchkey server and times it to its first answered client_credentials request. */
async function launchLatchkey(args: string[], env: Record<string, string | undefined>, basic: string) {
  const spawned = process.hrtime.bigint();
  const started = startProcess("latchkey", args, env);
  let failed = false;
  started.catch(() => (failed = true));
  let ms: number | null = null;
  let last = "no answer";
  while (ms === null && !failed) {
    if (Number(process.hrtime.bigint() - spawned) / 1e9 > 300) {
      for (const child of children) child.kill("SIGKILL");
      throw new Error(`Latchkey: no 200 from the token endpoint within 300 s (last: ${last})`);
    }
    try {
      const res = await fetch(`http://localhost:${PORTS.latchkey}${LATCHKEY_PATHS.token}`, {
        method: "POST",
        headers: { ...form, authorization: basic },
        body: "grant_type=client_credentials&scope=notes%3Aread",
        signal: AbortSignal.timeout(10_000),
      });
      await res.arrayBuffer();
      if (res.status === 200) ms = Number(process.hrtime.bigint() - spawned) / 1e6;
      else throw new Error(`HTTP ${res.status}`);
    } catch (err) {
      last = (err as Error).message;
      await sleep(5); // not listening yet
    }
  }
  const { child, output } = await started; // throws if the server failed to start
  return { child, output, ms: Math.round(ms!) };
}

async function startLatchkey(): Promise<Target> {
  log(`preparing Latchkey on ${DATABASE === "sqlite" ? "SQLite" : "PostgreSQL"} (fresh database, seed, pre-issued codes and refresh tokens)`);
  const { secret, pools, next } = await prepareLatchkey();
  const reservedCode = pools.codes.pop()!;
  const sanityCode = pools.codes.pop()!;
  const sanityRefresh = pools.refreshTokens.pop()!;
  pools.refreshTokens.pop();
  const basic = basicAuth("latchkey-demo", secret);
  const env = {
    PORT: String(PORTS.latchkey),
    LATCHKEY_DATA_DIR: process.env.LATCHKEY_DATA_DIR,
    DATABASE_URL: process.env.DATABASE_URL,
    LATCHKEY_BENCH_NEXT: next ? "1" : "0",
    LATCHKEY_COUNT_STATEMENTS: "1",
    LATCHKEY_METRICS_TOKEN: METRICS_TOKEN,
    LATCHKEY_BENCH_PROFILE: opts.profile ? profileDir : undefined,
  };
  // The V8 flags `npm start` gives the server (package.json), plus any to try (LATCHKEY_BENCH_NODE_FLAGS).
  const nodeFlags = [...SERVER_NODE_FLAGS, ...(process.env.LATCHKEY_BENCH_NODE_FLAGS ?? "").split(" ").filter(Boolean)];
  const args = [...nodeFlags, "--import", "tsx", "bench/latchkey-server.ts"];
  const samplesMs: number[] = [];
  for (let i = 1; i < COLD_STARTS; i++) {
    const launch = await launchLatchkey(args, env, basic);
    samplesMs.push(launch.ms);
    await stopProcess(launch.child);
    children.delete(launch.child);
  }
  const { child, output, ms } = await launchLatchkey(args, env, basic);
  samplesMs.push(ms);
  coldStart = { medianMs: Math.round(median(samplesMs)), samplesMs };
  log(`Latchkey cold start (spawn to first 200 from the token endpoint): ${samplesMs.join(" / ")} ms`);
  const t: Target = { server: "latchkey", port: PORTS.latchkey, basic, child, output, scenarios: tokenScenarios(LATCHKEY_PATHS, basic, "notes:read", pools) };
  latchkeyWithNext = /^next=1$/m.test(output());
  if (!latchkeyWithNext) log("Latchkey runs without Next (no build): its peak RSS leaves Next out");
  const exchange = await request(t, t.scenarios[1]!, `grant_type=authorization_code&code=${enc(reservedCode)}&redirect_uri=${enc(REDIRECT_URI)}&code_verifier=${pools.verifier}`);
  if (exchange.status !== 200) throw new Error(`Latchkey code exchange: HTTP ${exchange.status} ${exchange.text.slice(0, 300)}`);
  log(`Latchkey: issuing ${FIRST_SEEN + 1} access tokens for introspection and rotating as many refresh tokens for userinfo`);
  const introspectTokens = await issueTokens(t, FIRST_SEEN + 1);
  const userTokens = await issueTokens(t, FIRST_SEEN + 1, pools.userinfoRefresh!.map((r) => `grant_type=refresh_token&refresh_token=${enc(r)}`));
  await finishTarget(t, userTokens, introspectTokens, {
    authorization_code: `grant_type=authorization_code&code=${enc(sanityCode)}&redirect_uri=${enc(REDIRECT_URI)}&code_verifier=${pools.verifier}`,
    refresh_token: `grant_type=refresh_token&refresh_token=${enc(sanityRefresh)}`,
  });
  return t;
}

/**
 * Introspection and userinfo: FIRST_SEEN + 1 live access tokens from the server itself for
 * each, every one sent twice (seenTwice); the last token of each list is the sanity check's.
 */
async function finishTarget(t: Target, userTokens: string[], introspectTokens: string[], reserved: Partial<Record<ScenarioName, string>>) {
  const intro = t.scenarios.find((s) => s.name === "introspection")!;
  reserved.introspection = `token=${enc(introspectTokens.pop()!)}`;
  intro.bodies = split(seenTwice(introspectTokens).map((token) => `token=${enc(token)}`));
  const userinfo = t.scenarios.find((s) => s.name === "userinfo")!;
  userinfo.headers = { authorization: `Bearer ${userTokens.pop()!}` };
  userinfo.bodies = split(seenTwice(userTokens));
  userinfo.bearer = true;
  await sanityCheck(t, reserved);
}

// ---------- oidc-provider ----------

async function startOidcProvider(): Promise<Target> {
  log("starting oidc-provider (pre-issuing codes and refresh tokens through its models)");
  const poolFile = path.join(work, "oidc-pool.json");
  const { child, output } = await startProcess("oidc-provider", ["bench/oidc-provider-server.mjs"], {
    PORT: String(PORTS["oidc-provider"]),
    BENCH_POOL: String(WARM + POOL + 1),
    BENCH_FIRST_SEEN: String(FIRST_SEEN + 1),
    BENCH_POOL_FILE: poolFile,
    LATCHKEY_BENCH_PROFILE: opts.profile ? profileDir : undefined,
  });
  const p = JSON.parse(readFileSync(poolFile, "utf8")) as {
    clientId: string; clientSecret: string; verifier: string; codes: string[]; refreshTokens: string[];
    introspectTokens: string[]; userinfoTokens: string[];
  };
  const sanityCode = p.codes.pop()!;
  const sanityRefresh = p.refreshTokens.pop()!;
  const basic = basicAuth(p.clientId, p.clientSecret);
  const paths = { token: "/token", introspect: "/token/introspection", jwks: "/jwks", userinfo: "/me" };
  const t: Target = {
    server: "oidc-provider", port: PORTS["oidc-provider"], basic, child, output,
    scenarios: tokenScenarios(paths, basic, "notes:read", { codes: p.codes, refreshTokens: p.refreshTokens, verifier: p.verifier }),
  };
  await finishTarget(t, p.userinfoTokens, p.introspectTokens, {
    authorization_code: `grant_type=authorization_code&code=${enc(sanityCode)}&redirect_uri=${enc(REDIRECT_URI)}&code_verifier=${p.verifier}`,
    refresh_token: `grant_type=refresh_token&refresh_token=${enc(sanityRefresh)}`,
  });
  return t;
}

// ---------- ceiling ----------

async function startCeiling(): Promise<Target> {
  log("starting the ceiling (bare node:http, node:crypto signing, jose verification)");
  const { child, output } = await startProcess("ceiling", ["bench/ceiling-server.mjs"], {
    PORT: String(PORTS.ceiling),
    LATCHKEY_BENCH_PROFILE: opts.profile ? profileDir : undefined,
  });
  const fake = Array.from({ length: WARM + POOL }, () => randomBytes(32).toString("base64url"));
  const t: Target = {
    server: "ceiling", port: PORTS.ceiling, basic: "", child, output,
    scenarios: tokenScenarios(LATCHKEY_PATHS, "", "notes:read", { codes: fake, refreshTokens: fake, verifier: "v" }),
  };
  const userTokens = await issueTokens(t, FIRST_SEEN + 1);
  const introspectTokens = await issueTokens(t, FIRST_SEEN + 1);
  await finishTarget(t, userTokens, introspectTokens, { authorization_code: t.scenarios[1]!.bodies![0][0], refresh_token: t.scenarios[2]!.bodies![0][0] });
  return t;
}

// ---------- runs and report ----------

const selected = (name: ScenarioName) => !opts.scenario || opts.scenario.split(",").includes(name);

async function warmUp(t: Target): Promise<void> {
  log(`${t.server}: warming up`);
  await runLoad(t, t.scenarios[0]!, null, 3);
  for (const s of t.scenarios) if (selected(s.name)) await runLoad(t, s, s.bodies ? s.bodies[0] : null, 1);
}

const profiles = new Map<ServerName, number>();

/** The round-th of ROUNDS equal slices of the measured one-shot bodies. */
function roundBodies(s: Scenario, round: number): string[] | null {
  if (!s.bodies) return null;
  const measured = s.bodies[1];
  const size = Math.floor(measured.length / ROUNDS);
  return measured.slice(round * size, (round + 1) * size);
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** Rounds of one scenario on one server: medians of rates and latencies, sums of errors, the peak RSS. */
function combine(rounds: ScenarioResult[]): ScenarioResult {
  const cpus = rounds.map((r) => r.cpuUsPerRequest).filter((c): c is number => c !== null);
  const rss = rounds.map((r) => r.peakRssMb).filter((m): m is number => m !== null);
  return {
    requests: rounds.reduce((n, r) => n + r.requests, 0),
    ok: rounds.reduce((n, r) => n + r.ok, 0),
    seconds: rounds.reduce((n, r) => n + r.seconds, 0),
    rps: median(rounds.map((r) => r.rps)),
    p50: median(rounds.map((r) => r.p50)),
    p90: median(rounds.map((r) => r.p90)),
    p99: median(rounds.map((r) => r.p99)),
    max: Math.max(...rounds.map((r) => r.max)),
    errors: rounds.reduce((n, r) => n + r.errors, 0),
    timeouts: rounds.reduce((n, r) => n + r.timeouts, 0),
    non2xx: rounds.reduce((n, r) => n + r.non2xx, 0),
    peakRssMb: rss.length === 0 ? null : Math.max(...rss),
    cpuUsPerRequest: cpus.length === 0 ? null : Math.round(median(cpus)),
    ...medianOf(rounds, "statementsPerRequest"),
    ...medianOf(rounds, "roundTripsPerRequest"),
    rounds: rounds.map((r) => Math.round(r.rps)),
    ...combineDb(rounds),
  };
}

function medianOf(rounds: ScenarioResult[], key: "statementsPerRequest" | "roundTripsPerRequest"): Partial<ScenarioResult> {
  const values = rounds.map((r) => r[key]).filter((v): v is number => typeof v === "number");
  return values.length === 0 ? {} : { [key]: Math.round(median(values) * 100) / 100 };
}

/** PostgreSQL figures over rounds: medians, and the statement list of the median round. */
function combineDb(rounds: ScenarioResult[]): Partial<ScenarioResult> {
  const withDb = rounds.filter((r) => typeof r.dbStatementsPerRequest === "number");
  if (withDb.length === 0) return {};
  const perRequest = median(withDb.map((r) => r.dbStatementsPerRequest!));
  const cpus = withDb.map((r) => r.dbCpuUsPerRequest).filter((c): c is number => typeof c === "number");
  const closest = [...withDb].sort((a, b) => Math.abs(a.dbStatementsPerRequest! - perRequest) - Math.abs(b.dbStatementsPerRequest! - perRequest))[0]!;
  return {
    dbStatementsPerRequest: Math.round(perRequest * 100) / 100,
    dbCpuUsPerRequest: cpus.length === 0 ? null : Math.round(median(cpus)),
    dbStatements: closest.dbStatements,
  };
}

/** Latchkey's statement counters (LATCHKEY_COUNT_STATEMENTS=1) from /metrics; null for the others. */
async function readStatementCounts(t: Target): Promise<{ statements: number; roundTrips: number } | null> {
  if (t.server !== "latchkey") return null;
  const res = await fetch(`http://localhost:${t.port}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  const text = await res.text();
  const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, "m").exec(text)?.[1]);
  const counts = { statements: value("latchkey_db_statements"), roundTrips: value("latchkey_db_round_trips") };
  if (res.status !== 200 || !Number.isFinite(counts.statements) || !Number.isFinite(counts.roundTrips)) {
    throw new Error(`Latchkey /metrics: HTTP ${res.status}, no statement counters`);
  }
  return counts;
}

async function measure(t: Target, s: Scenario, round: number): Promise<ScenarioResult> {
  // On PostgreSQL, Latchkey's statements and the cluster's CPU time are counted over the run.
  const pgRun = t.server === "latchkey" && benchPg !== null ? benchPg : null;
  if (pgRun) await resetStatements();
  if (opts.profile) t.child.kill("SIGUSR2");
  const countsBefore = await readStatementCounts(t);
  const dbCpuBefore = pgRun ? clusterCpuMicros(pgRun.postmasterPid) : null;
  const cpuBefore = cpuMicros(t.child.pid);
  const result = await runLoad(t, s, roundBodies(s, round), DURATION);
  const cpuAfter = cpuMicros(t.child.pid);
  const dbCpuAfter = pgRun ? clusterCpuMicros(pgRun.postmasterPid) : null;
  const countsAfter = await readStatementCounts(t);
  const cpuUsPerRequest =
    cpuBefore === null || cpuAfter === null || result.requests === 0 ? null : Math.round((cpuAfter - cpuBefore) / result.requests);
  const db: Partial<ScenarioResult> = {};
  if (countsBefore && countsAfter && result.requests > 0) {
    db.statementsPerRequest = Math.round(((countsAfter.statements - countsBefore.statements) / result.requests) * 100) / 100;
    db.roundTripsPerRequest = Math.round(((countsAfter.roundTrips - countsBefore.roundTrips) / result.requests) * 100) / 100;
  }
  if (pgRun && result.requests > 0) {
    const { calls, statements } = await readStatements();
    db.dbStatementsPerRequest = Math.round((calls / result.requests) * 100) / 100;
    db.dbCpuUsPerRequest = dbCpuBefore === null || dbCpuAfter === null ? null : Math.round((dbCpuAfter - dbCpuBefore) / result.requests);
    db.dbStatements = statements
      .map((st) => ({ query: st.query.length > 160 ? st.query.slice(0, 157) + "…" : st.query, callsPerRequest: Math.round((st.calls / result.requests) * 1000) / 1000, meanMs: Math.round(st.meanMs * 1000) / 1000 }))
      .filter((st) => st.callsPerRequest >= 0.001);
  }
  if (opts.profile) {
    t.child.kill("SIGUSR2");
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const n = (profiles.get(t.server) ?? 0) + 1;
    profiles.set(t.server, n);
    const written = path.join(profileDir, `${t.server}-${n}.cpuprofile`);
    if (existsSync(written)) renameSync(written, path.join(profileDir, `${t.server}-${s.name}.cpuprofile`));
  }
  const r: ScenarioResult = { ...result, cpuUsPerRequest, ...db };
  const dbLog =
    (r.statementsPerRequest != null ? `, ${r.statementsPerRequest} statements/req, ${r.roundTripsPerRequest} round trips/req` : "") +
    (pgRun ? `, pg_stat_statements ${r.dbStatementsPerRequest}/req, DB CPU ${r.dbCpuUsPerRequest} µs/req` : "");
  log(`${s.name} ${t.server} (round ${round + 1}/${ROUNDS}): ${r.rps.toFixed(0)} req/s, CPU ${r.cpuUsPerRequest} µs/req${dbLog}, p50 ${r.p50} ms, p99 ${r.p99} ms, errors ${r.errors + r.timeouts}, non-2xx ${r.non2xx}, peak RSS ${r.peakRssMb} MB`);
  return r;
}

interface Check {
  target: string;
  value: string;
  met: boolean;
}

/** Issue 15's targets: against oidc-provider and the ceiling (SQLite), oidc-provider (PostgreSQL). */
const TARGETS: Record<ScenarioName, { vsOidc: number; vsCeiling: number } | null> = {
  client_credentials: { vsOidc: 2.0, vsCeiling: 0.7 },
  authorization_code: { vsOidc: 2.0, vsCeiling: 0.6 },
  refresh_token: { vsOidc: 2.0, vsCeiling: 0.6 },
  introspection: { vsOidc: 2.0, vsCeiling: 0.7 },
  jwks: null,
  userinfo: { vsOidc: 2.0, vsCeiling: 0.7 },
};
const PG_VS_OIDC = 1.2;
/** "Every token scenario on PostgreSQL": each one that issues or checks a token (all but JWKS). */
const TOKEN_SCENARIOS: ScenarioName[] = ["client_credentials", "authorization_code", "refresh_token", "introspection", "userinfo"];

function evaluate(all: Partial<Record<ServerName, Record<ScenarioName, ScenarioResult>>>, database: "sqlite" | "postgresql"): Check[] {
  const l = all.latchkey;
  if (!l) return [];
  const checks: Check[] = [];
  const present = SCENARIOS.filter((s) => l[s] !== undefined);
  const o = all["oidc-provider"];
  const c = all.ceiling;
  for (const name of present) {
    const target = TARGETS[name];
    if (target === null) continue;
    if (o?.[name]) {
      const min = database === "sqlite" ? target.vsOidc : TOKEN_SCENARIOS.includes(name) ? PG_VS_OIDC : null;
      if (min !== null) {
        const r = l[name].rps / o[name].rps;
        checks.push({ target: `${name} ≥ ${min.toFixed(1)}× oidc-provider`, value: `${r.toFixed(2)}×`, met: r >= min });
      }
    }
    if (c?.[name] && database === "sqlite") {
      const r = l[name].rps / c[name].rps;
      checks.push({ target: `${name} ≥ ${(target.vsCeiling * 100).toFixed(0)}% of ceiling`, value: `${(r * 100).toFixed(0)}%`, met: r >= target.vsCeiling });
    }
  }
  const worstP99 = Math.max(...present.map((s) => l[s].p99));
  checks.push({ target: "p99 ≤ 50 ms at 50 connections (every scenario)", value: `${worstP99} ms worst`, met: worstP99 <= 50 });
  const errors = present.reduce((n, s) => n + l[s].errors + l[s].timeouts + l[s].non2xx, 0);
  checks.push({ target: "zero errors and non-2xx", value: String(errors), met: errors === 0 });
  const rss = Math.max(...present.map((s) => l[s].peakRssMb ?? 0));
  checks.push({ target: "server peak RSS (process tree) ≤ 250 MB", value: `${rss} MB`, met: rss <= 250 });
  return checks;
}

function markdown(all: Partial<Record<ServerName, Record<ScenarioName, ScenarioResult>>>, checks: Check[], meta: Record<string, unknown>): string {
  const lines: string[] = [];
  const onPg = meta.database === "postgresql";
  const pgInfo = meta.postgres as Record<string, string> | undefined;
  const cold = meta.coldStart as typeof coldStart;
  lines.push(`# Latchkey machine endpoints: benchmark${onPg ? " (PostgreSQL)" : ""}`, "");
  lines.push(`${meta.date} · Node ${meta.node} · ${meta.cpus} CPUs · ${meta.connections} connections · median of ${meta.rounds} interleaved rounds per scenario, ${meta.duration} s each for fixed scenarios, ${meta.pool} one-shot tokens per pooled scenario · server ${meta.pinning} · Latchkey ${meta.latchkeyWithNext ? "as npm start runs it (Next in the page worker, started by the first page request; the scenarios request none)" : "without Next (no build available; RSS excludes Next)"} · Latchkey's database: ${(meta.storage as Record<string, string>).latchkey}`, "");
  const load = meta.loadAverage as { start: number[]; end: number[] };
  lines.push(`Machine load average (1/5/15 min) before the run ${load.start.join(" / ")}, at its end ${load.end.join(" / ")} (the bench's own server and load generator add about 2): other work on the machine shares its two cores.`, "");
  const pages = meta.pagesStarted as typeof pagesStarted;
  if (pages) lines.push(`After the scenarios, one page request (\`/signin\`, ${pages.firstPageMs} ms including the page worker's start) started the page worker: the process tree then held **${pages.treeMb} MB** (front door ${pages.frontDoorMb} MB, page worker ${pages.pageWorkerMb} MB). *Peak RSS* in the table is the token workload alone.`, "");
  if (cold) lines.push(`Latchkey cold start (spawning the server, build present and database prepared, to its first 200 from the token endpoint): **${cold.medianMs} ms** median of ${cold.samplesMs.length} (${cold.samplesMs.join(" / ")} ms).`, "");
  if (onPg && pgInfo) lines.push(`PostgreSQL ${pgInfo.version}: cluster ${pgInfo.pinning}; fsync=${pgInfo.fsync}, synchronous_commit=${pgInfo.synchronous_commit}, full_page_writes=${pgInfo.full_page_writes}, shared_buffers=${pgInfo.shared_buffers}; Latchkey's pool ${meta.latchkeyPoolSize} connections. *DB CPU µs/req*: CPU time of every cluster process ÷ requests answered (not included in *CPU µs/req*).${meta.postgresPssMb ? ` Cluster PSS at the end: ${meta.postgresPssMb} MB (not in *peak RSS*).` : ""}`, "");
  lines.push(`*Statements / round trips per request*: Latchkey's own counters (\`LATCHKEY_COUNT_STATEMENTS=1\`, read from \`/metrics\` before and after each run; background work such as usage batches included): on ${onPg ? "PostgreSQL every query sent on the pool, BEGIN and COMMIT included, and each is a round trip" : "SQLite every statement the OAuth store runs plus BEGIN and COMMIT of each transaction; a round trip is a statement outside a transaction or a whole transaction (in process, one lock)"}. *Peak RSS*: the server's whole process tree. Introspection and userinfo send each access token twice, 100 requests apart: half the requests carry a token the server has not seen before.`, "");
  lines.push("| scenario | server | req/s | rounds req/s | CPU µs/req | statements / round trips per req | DB CPU µs/req | p50 ms | p99 ms | errors | non-2xx | peak RSS MB | vs oidc-provider | vs ceiling |");
  lines.push("|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
  for (const s of SCENARIOS) {
    for (const server of SERVERS) {
      const r = all[server]?.[s];
      if (!r) continue;
      const o = all["oidc-provider"]?.[s];
      const c = all.ceiling?.[s];
      const vsO = server === "latchkey" && o ? `${(r.rps / o.rps).toFixed(2)}×` : "";
      const vsC = server === "latchkey" && c ? `${((r.rps / c.rps) * 100).toFixed(0)}%` : "";
      const dbStatements = typeof r.statementsPerRequest === "number" ? `${r.statementsPerRequest.toFixed(2)} / ${r.roundTripsPerRequest!.toFixed(2)}` : "—";
      const dbCpu = typeof r.dbCpuUsPerRequest === "number" ? String(r.dbCpuUsPerRequest) : "—";
      lines.push(`| ${s} | ${server} | ${r.rps.toFixed(0)} | ${(r.rounds ?? []).join(" / ")} | ${r.cpuUsPerRequest ?? "n/a"} | ${dbStatements} | ${dbCpu} | ${r.p50} | ${r.p99} | ${r.errors + r.timeouts} | ${r.non2xx} | ${r.peakRssMb ?? "n/a"} | ${vsO} | ${vsC} |`);
    }
  }
  lines.push("", "## Targets", "", "| target | result | met |", "|---|---|---|");
  for (const c of checks) lines.push(`| ${c.target} | ${c.value} | ${c.met ? "yes" : "**no**"} |`);
  if (onPg && all.latchkey) {
    lines.push("", "## Latchkey's statements per request on PostgreSQL (pg_stat_statements, median round; BEGIN and COMMIT count, a statement with CTEs once)", "");
    lines.push("| scenario | calls/req | mean ms | statement |", "|---|---:|---:|---|");
    for (const s of SCENARIOS) {
      for (const st of all.latchkey[s]?.dbStatements ?? []) {
        lines.push(`| ${s} | ${st.callsPerRequest} | ${st.meanMs} | \`${st.query.replace(/\|/g, "\\|").replace(/`/g, "'")}\` |`);
      }
    }
  }
  const notes = path.join(root, "bench", "notes.md");
  if (existsSync(notes)) lines.push("", readFileSync(notes, "utf8").trim());
  return lines.join("\n") + "\n";
}

/** Latest full run of a database, if any. */
function readLatest(database: "sqlite" | "postgresql"): { meta: Record<string, unknown>; results: Partial<Record<ServerName, Record<ScenarioName, ScenarioResult>>> } | null {
  const file = path.join(resultsDir, database === "sqlite" ? "latest.json" : "latest-postgresql.json");
  return existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : null;
}

/** The README's benchmark table, from the latest full SQLite and PostgreSQL runs. */
function readmeTable(): string {
  const runs = { sqlite: readLatest("sqlite"), postgresql: readLatest("postgresql") };
  const lines: string[] = [];
  for (const [db, run] of Object.entries(runs)) {
    if (!run) continue;
    const m = run.meta;
    const load = m.loadAverage as { start: number[]; end: number[] } | undefined;
    const quiet = load !== undefined && load.start[0]! < 0.5 && load.end[0]! < 3;
    const cold = m.coldStart as { medianMs: number } | null;
    const rss = Math.max(...Object.values(run.results.latchkey ?? {}).map((r) => r.peakRssMb ?? 0));
    lines.push(`- ${db === "sqlite" ? "SQLite" : "PostgreSQL"}: ${String(m.date).slice(0, 16).replace("T", " ")} UTC, ${quiet ? "quiet machine" : "**shared machine**"} (load average ${load?.start[0] ?? "?"} before, ${load?.end[0] ?? "?"} at the end), Node ${m.node}, ${m.cpus} CPUs, ${m.pinning}, ${m.connections} connections, median of ${m.rounds} rounds; cold start ${cold?.medianMs ?? "?"} ms; peak RSS of the server's process tree ${rss} MB.`);
  }
  lines.push("");
  lines.push("| scenario | oidc-provider req/s | ceiling req/s | SQLite req/s | vs oidc-provider | vs ceiling | p50 / p99 ms | statements / round trips per req | PostgreSQL req/s | vs oidc-provider | p50 / p99 ms | statements / round trips per req |");
  lines.push("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
  const cell = (run: typeof runs.sqlite, s: ScenarioName) => {
    const l = run?.results.latchkey?.[s];
    if (!l) return ["", "", "", "", ""];
    const o = run!.results["oidc-provider"]?.[s];
    const c = run!.results.ceiling?.[s];
    const errors = l.errors + l.timeouts + l.non2xx;
    return [
      Math.round(l.rps) + (errors > 0 ? ` (${errors} errors)` : ""),
      o ? `${(l.rps / o.rps).toFixed(2)}×` : "",
      c ? `${Math.round((l.rps / c.rps) * 100)}%` : "",
      `${l.p50} / ${l.p99}`,
      typeof l.statementsPerRequest === "number"
        ? `${l.statementsPerRequest.toFixed(2)} / ${l.roundTripsPerRequest!.toFixed(2)}`
        : typeof l.dbStatementsPerRequest === "number" // runs before the counters: pg_stat_statements, one round trip each
          ? `${l.dbStatementsPerRequest.toFixed(2)} / ${l.dbStatementsPerRequest.toFixed(2)}`
          : "",
    ];
  };
  for (const s of SCENARIOS) {
    const base = runs.sqlite ?? runs.postgresql;
    const o = base?.results["oidc-provider"]?.[s];
    const c = base?.results.ceiling?.[s];
    const [lRps, lO, lC, lLat, lSt] = cell(runs.sqlite, s);
    const [pRps, pO, , pLat, pSt] = cell(runs.postgresql, s);
    lines.push(`| ${s} | ${o ? Math.round(o.rps) : ""} | ${c ? Math.round(c.rps) : ""} | ${lRps} | ${lO} | ${lC} | ${lLat} | ${lSt} | ${pRps} | ${pO} | ${pLat} | ${pSt} |`);
  }
  return lines.join("\n") + "\n";
}

async function main() {
  if (opts["readme-table"]) {
    writeFileSync(path.join(resultsDir, "readme-table.md"), readmeTable());
    rmSync(work, { recursive: true, force: true });
    return log("bench/results/readme-table.md written from latest.json and latest-postgresql.json");
  }
  const only = opts.only ? (opts.only.split(",") as ServerName[]) : SERVERS;
  const loadAtStart = os.loadavg().map((l) => Math.round(l * 100) / 100);
  if (opts.profile) {
    rmSync(profileDir, { recursive: true, force: true });
    mkdirSync(profileDir, { recursive: true });
  }
  log(`scratch directory ${work}; server ${hasTaskset ? "pinned to CPU 0, load generator to CPU 1" : "not pinned (no taskset)"}`);
  const all: Partial<Record<ServerName, Record<ScenarioName, ScenarioResult>>> = {};
  const starters: Record<ServerName, () => Promise<Target>> = { latchkey: startLatchkey, "oidc-provider": startOidcProvider, ceiling: startCeiling };
  // Every server runs for the whole benchmark (idle while another is measured), so each
  // scenario is measured on all of them back to back: load from other processes on the
  // machine then skews the comparison as little as possible.
  const targets: Target[] = [];
  // Interrupted: stop the servers and the cluster (pg_ctl starts it in a session of its
  // own, so Ctrl-C does not reach it).
  const interrupted = (signal: NodeJS.Signals) => {
    log(`${signal}: stopping`);
    for (const child of children) child.kill("SIGKILL");
    benchPg?.cluster.stop();
    process.exit(130);
  };
  process.once("SIGINT", interrupted);
  process.once("SIGTERM", interrupted);
  let postgresPssMb: number | null = null;
  let postgresAffinity: string[] | null = null;
  try {
    if (DATABASE === "postgresql" && only.includes("latchkey")) benchPg = await startBenchPostgres();
    for (const server of SERVERS) if (only.includes(server)) targets.push(await starters[server]());
    for (const t of targets) await warmUp(t);
    for (const [i, name] of SCENARIOS.entries()) {
      if (!selected(name)) continue;
      const rounds = new Map<Target, ScenarioResult[]>(targets.map((t) => [t, []]));
      for (let round = 0; round < ROUNDS; round++) {
        for (const t of targets) rounds.get(t)!.push(await measure(t, t.scenarios[i]!, round));
      }
      for (const t of targets) {
        (all[t.server] ??= {} as Record<ScenarioName, ScenarioResult>)[name] = combine(rounds.get(t)!);
      }
    }
    const lk = targets.find((t) => t.server === "latchkey");
    if (lk && latchkeyWithNext) pagesStarted = await startPageWorker(lk);
  } finally {
    if (benchPg) {
      postgresPssMb = clusterPssMb(benchPg.postmasterPid);
      if (hasTaskset) postgresAffinity = clusterAffinity(benchPg.postmasterPid);
    }
    for (const child of children) await stopProcess(child);
    await stopBenchPostgres();
  }
  const checks = evaluate(all, DATABASE);
  const meta = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: os.availableParallelism(),
    connections: CONNECTIONS,
    duration: DURATION,
    rounds: ROUNDS,
    pool: POOL,
    latchkeyWithNext,
    responseFields,
    pinning: hasTaskset ? "pinned to CPU 0, autocannon on CPU 1" : "not pinned",
    database: DATABASE,
    /** 1, 5 and 15-minute load averages of the machine: other work running meanwhile skews every figure. */
    loadAverage: { start: loadAtStart, end: os.loadavg().map((l) => Math.round(l * 100) / 100) },
    coldStart,
    pagesStarted,
    ...(DATABASE === "postgresql"
      ? { postgres: { ...benchPgInfo, cpusAllowedAtEnd: postgresAffinity?.join(", ") ?? "n/a" }, postgresPssMb, latchkeyPoolSize: process.env.LATCHKEY_DB_POOL_SIZE ?? "4 (default)" }
      : {}),
    storage: {
      latchkey: DATABASE === "sqlite" ? "SQLite (WAL) on a fresh database file" : "PostgreSQL on a fresh database in a throwaway local cluster",
      "oidc-provider": "its MemoryAdapter (in memory) with a larger LRU than its default 1000 entries",
      ceiling: "none",
    },
  };
  mkdirSync(resultsDir, { recursive: true });
  // Only a run of every server and scenario with the default settings replaces latest.*.
  const defaults = DURATION === 6 && ROUNDS === 3 && CONNECTIONS === 50 && POOL === 24000;
  const partial = only.length !== SERVERS.length || !!opts.scenario || !defaults;
  // PostgreSQL runs never overwrite the SQLite results; partial.* is ignored by git.
  const base = DATABASE === "sqlite" ? (partial ? "partial" : "latest") : partial ? "partial.postgresql" : "latest-postgresql";
  writeFileSync(path.join(resultsDir, `${base}.json`), JSON.stringify({ meta, results: all, targets: checks }, null, 2) + "\n");
  const md = markdown(all, checks, meta);
  writeFileSync(path.join(resultsDir, `${base}.md`), md);
  console.log("\n" + md);
  writeFileSync(path.join(resultsDir, "readme-table.md"), readmeTable());
  log(`results in bench/results/${base}.json and ${base}.md; README table (latest full runs) in bench/results/readme-table.md`);
  rmSync(work, { recursive: true, force: true });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
