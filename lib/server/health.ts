// Liveness and readiness for load balancers and orchestrators. Failures answer a short
// fixed text (the endpoints are public); the detail goes to the log.
import { pendingMigrations } from "../data/migrations-status";
import { prisma } from "../db";
import type { OAuthResponse } from "../oauth/http";
import { JWS_ALGS } from "../oauth/store";
import { oauth } from "./provider";

const CHECK_TIMEOUT_MS = 3_000;

let shuttingDown = false;

/** From now on /readyz answers 503 so that balancers stop sending traffic here. */
export function markShuttingDown(): void {
  shuttingDown = true;
}

export function isShuttingDown(): boolean {
  return shuttingDown;
}

function reply(status: number, body: unknown): OAuthResponse {
  return { status, headers: { "Content-Type": "application/json", "Cache-Control": "no-store" }, body: JSON.stringify(body) };
}

/** GET /healthz: the process is alive. Touches nothing else. */
export async function serveLiveness(): Promise<OAuthResponse> {
  return reply(200, { status: "ok" });
}

/** Each check resolves to null when healthy, else the text to report. */
const checks: Record<string, () => Promise<string | null>> = {
  database: async () => {
    await prisma.$queryRawUnsafe("SELECT 1");
    return null;
  },
  migrations: async () => {
    const pending = await pendingMigrations();
    if (pending.length === 0) return null;
    console.error(`[latchkey] readiness: pending migrations ${pending.join(", ")}`);
    return `${pending.length} pending`;
  },
  signingKey: async () => {
    const { keys } = oauth().context;
    await Promise.all(JWS_ALGS.map((alg) => keys.getSigningKey(alg)));
    return null;
  },
};

async function runCheck(name: string, check: () => Promise<string | null>): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(resolve, CHECK_TIMEOUT_MS, "timed out");
  });
  try {
    return (await Promise.race([check(), timeout])) ?? "ok";
  } catch (err) {
    console.error(`[latchkey] readiness: ${name} failed:`, err instanceof Error ? err.message : err);
    return "failed";
  } finally {
    clearTimeout(timer);
  }
}

/** GET /readyz: the database answers, migrations are applied and the signing key loads. */
export async function serveReadiness(): Promise<OAuthResponse> {
  if (shuttingDown) return reply(503, { status: "shutting_down" });
  const results = await Promise.all(Object.entries(checks).map(async ([name, check]) => [name, await runCheck(name, check)]));
  const ready = results.every(([, result]) => result === "ok");
  return reply(ready ? 200 : 503, { status: ready ? "ready" : "not_ready", checks: Object.fromEntries(results) });
}
