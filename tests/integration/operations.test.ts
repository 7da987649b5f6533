// What operators and load balancers see: health, readiness, metrics and graceful shutdown.
import { once } from "node:events";
import http from "node:http";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "./helpers/server";

const METRICS_TOKEN = "metrics-token-for-tests-0123456789";

let plain: RunningServer;
let metered: RunningServer;

beforeAll(async () => {
  // One after the other: the first start may run `next build`.
  plain = await startServer();
  metered = await startServer({ LATCHKEY_METRICS_TOKEN: METRICS_TOKEN });
}, 400_000);

afterAll(async () => {
  await plain?.stop();
  await metered?.stop();
});

const basic = (s: RunningServer) => `Basic ${Buffer.from(`${s.demo.clientId}:${s.demo.clientSecret}`).toString("base64")}`;

function requestClientCredentialsToken(s: RunningServer) {
  return fetch(`${s.issuer}/oauth/token`, {
    method: "POST",
    headers: { authorization: basic(s), "content-type": "application/x-www-form-urlencoded" },
    body: "grant_type=client_credentials&scope=account:read",
  });
}

describe("health and readiness", () => {
  it("answers /healthz with ok, uncached, to GET and HEAD", async () => {
    const res = await fetch(`${plain.issuer}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(await res.json()).toEqual({ status: "ok" });
    expect((await fetch(`${plain.issuer}/healthz`, { method: "HEAD" })).status).toBe(200);
  });

  it("answers /readyz with every check passing", async () => {
    const res = await fetch(`${plain.issuer}/readyz`);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(await res.json()).toEqual({ status: "ready", checks: { database: "ok", migrations: "ok", signingKey: "ok" } });
  });

  it("refuses other methods with 405 and Allow", async () => {
    for (const path of ["/healthz", "/readyz", "/metrics"]) {
      const res = await fetch(`${plain.issuer}${path}`, { method: "POST" });
      expect(res.status).toBe(405);
      expect(res.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
    }
  });
});

describe("metrics", () => {
  const scrape = (s: RunningServer, authorization?: string) =>
    fetch(`${s.issuer}/metrics`, { headers: authorization ? { authorization } : {} });

  it("is not served when no metrics token is configured", async () => {
    expect((await scrape(plain, `Bearer ${METRICS_TOKEN}`)).status).toBe(404);
  });

  it("asks for the bearer token when it is missing or wrong", async () => {
    for (const authorization of [undefined, "Bearer wrong-token-wrong-token", `Basic ${METRICS_TOKEN}`]) {
      const res = await scrape(metered, authorization);
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toBe("Bearer");
    }
  });

  it("counts requests by route and tokens by grant type, with process metrics", async () => {
    expect((await requestClientCredentialsToken(metered)).status).toBe(200);
    const page = `/no-such-page-${Date.now()}`;
    const notFound = await fetch(`${metered.issuer}${page}?q=1`);
    expect(notFound.status).toBe(404);
    await notFound.text();
    const tokenLine = 'latchkey_tokens_issued_total{grant_type="client_credentials"} 1';
    const pageLine = 'latchkey_http_requests_total{route="page",method="GET",status="404"} 1';
    let text = "";
    await expect
      .poll(async () => {
        const res = await scrape(metered, `Bearer ${METRICS_TOKEN}`);
        text = res.status === 200 && /^text\/plain/.test(res.headers.get("content-type") ?? "") ? await res.text() : "";
        return text.includes(tokenLine) && text.includes(pageLine);
      }, { timeout: 10_000 })
      .toBe(true);
    expect(text).toContain('latchkey_http_requests_total{route="/oauth/token",method="POST",status="200"} 1');
    expect(text).toContain('latchkey_http_request_duration_seconds_bucket{le="+Inf",route="/oauth/token",method="POST"} 1');
    expect(text).not.toContain(page);
    expect(text).toContain("process_cpu_user_seconds_total");
    expect(text).toContain("# TYPE latchkey_rate_limited_total counter");
    expect(text).toContain("# TYPE latchkey_db_pool_connections gauge");
  });
});

/** True once nothing accepts connections on the port. */
function refusesConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", (err: NodeJS.ErrnoException) => resolve(err.code === "ECONNREFUSED"));
  });
}

describe("graceful shutdown", () => {
  let server: RunningServer;

  beforeAll(async () => {
    server = await startServer();
  }, 400_000);

  afterAll(async () => {
    await server?.stop();
  });

  it("on SIGTERM stops accepting, finishes the request in flight with Connection: close, and exits", async () => {
    const body = "grant_type=client_credentials&scope=account:read";
    const req = http.request({
      host: "127.0.0.1",
      port: server.port,
      method: "POST",
      path: "/oauth/token",
      agent: false,
      headers: {
        authorization: basic(server),
        "content-type": "application/x-www-form-urlencoded",
        "content-length": Buffer.byteLength(body),
        expect: "100-continue",
      },
    });
    const response = once(req, "response") as Promise<[http.IncomingMessage]>;
    // 100 Continue: the server has the headers, so the request is in flight.
    const continued = once(req, "continue");
    req.flushHeaders();
    await continued;
    req.write(body.slice(0, 20));

    process.kill(server.pid, "SIGTERM");
    await expect.poll(() => refusesConnections(server.port), { timeout: 10_000, interval: 50 }).toBe(true);

    req.end(body.slice(20));
    const [res] = await response;
    let text = "";
    for await (const chunk of res) text += chunk;
    expect(res.statusCode).toBe(200);
    expect(res.headers.connection).toBe("close");
    expect(JSON.parse(text)).toMatchObject({ token_type: expect.stringMatching(/^bearer$/i), access_token: expect.any(String) });

    await expect.poll(() => server.exitCode(), { timeout: 15_000, interval: 50 }).toBe(0);
    expect(server.output()).toContain("Latchkey stopped");
  });
});
