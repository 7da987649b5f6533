// Starts the real production server (`scripts/start.ts`) on a free port with its own
// throwaway database, like `npm start` does.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

export interface RunningServer {
  issuer: string;
  port: number;
  dataDir: string;
  demo: { clientId: string; clientSecret: string };
  output: () => string;
  cli: (args: string[]) => { status: number; stdout: string; stderr: string };
  stop: () => Promise<void>;
}

async function freePort(): Promise<number> {
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

export async function startServer(extraEnv: Record<string, string> = {}): Promise<RunningServer> {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), "latchkey-it-"));
  const env = {
    ...process.env,
    PORT: String(port),
    LATCHKEY_DATA_DIR: dataDir,
    DATABASE_URL: `file:${path.join(dataDir, "latchkey.db")}`,
    NEXT_TELEMETRY_DISABLED: "1",
    LATCHKEY_ISSUER: "",
    ...extraEnv,
  } as NodeJS.ProcessEnv;
  delete env.LATCHKEY_ISSUER;
  delete env.AUTH_SECRET;
  delete env.NEXTAUTH_SECRET;
  delete env.NEXTAUTH_URL;
  const child: ChildProcess = spawn(tsx, ["scripts/start.ts"], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
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
      reject(new Error(`server exited with ${code}:\n${out}`));
    });
  });
  const secret = /client_secret: (lk_secret_\S+)/.exec(out)?.[1] ?? "";
  return {
    issuer: `http://localhost:${port}`,
    port,
    dataDir,
    demo: { clientId: "latchkey-demo", clientSecret: secret },
    output: () => out,
    cli: (args) => {
      const r = spawnSync(tsx, ["cli/latchkey.ts", ...args], { cwd: root, env, encoding: "utf8" });
      return { status: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
    },
    stop: async () => {
      child.removeAllListeners("exit");
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await new Promise((r) => child.once("exit", r));
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
