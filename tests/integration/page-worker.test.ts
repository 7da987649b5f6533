// Pages run in a page worker (Next in a child process) behind the one front door: the
// machine endpoints never wait for it, it starts on the first page request, and a worker
// that dies is replaced on the next one.
import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "./helpers/server";

let server: RunningServer;

beforeAll(async () => {
  server = await startServer({ LATCHKEY_ACCESS_LOG: "false" });
}, 300_000);

afterAll(async () => {
  await server?.stop();
});

/** The page worker processes under the server process (none, or one). */
function pageWorkers(): number[] {
  const out = execFileSync("ps", ["-eo", "pid=,ppid=,args="], { encoding: "utf8" });
  return out
    .split("\n")
    .map((line) => line.trim().split(/\s+/))
    .filter((cols) => Number(cols[1]) === server.serverPid && cols.some((c) => c.endsWith("page-worker-main.ts")))
    .map((cols) => Number(cols[0]));
}

async function poll<T>(read: () => T, done: (value: T) => boolean): Promise<T> {
  for (;;) {
    const value = read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function clientCredentialsStatus(): Promise<number> {
  const res = await fetch(`${server.issuer}/oauth/token`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: `Basic ${Buffer.from(`${server.demo.clientId}:${server.demo.clientSecret}`).toString("base64")}`,
    },
    body: "grant_type=client_credentials",
  });
  await res.arrayBuffer();
  return res.status;
}

describe("the page worker", () => {
  it("is not started for machine endpoints, starts on the first page request and serves it through the front door", async () => {
    expect(await clientCredentialsStatus()).toBe(200);
    expect(pageWorkers()).toEqual([]);

    const page = await fetch(`${server.issuer}/signin`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toMatch(/'nonce-[^']+'/);
    expect(page.headers.get("x-frame-options")).toBe("DENY");
    expect(page.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(await page.text()).toContain("<form");
    expect(pageWorkers()).toHaveLength(1);
  }, 120_000);

  it("is replaced on the next page request after it dies, while the machine endpoints keep answering", async () => {
    expect((await fetch(`${server.issuer}/signin`)).status).toBe(200);
    const [first] = pageWorkers();
    expect(first).toBeGreaterThan(0);
    process.kill(first!, "SIGKILL");
    await poll(pageWorkers, (pids) => !pids.includes(first!));

    expect(await clientCredentialsStatus()).toBe(200);
    const page = await fetch(`${server.issuer}/docs`);
    expect(page.status).toBe(200);
    const [second] = pageWorkers();
    expect(second).toBeGreaterThan(0);
    expect(second).not.toBe(first);
  }, 120_000);
});
