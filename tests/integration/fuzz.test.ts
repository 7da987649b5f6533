// A few thousand randomised and malformed requests to every protocol endpoint and every
// portal action: the server must never answer 5xx, never show a stack trace, keep
// serving, and keep its memory bounded. The generator is seeded, so a failure replays.
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, type CookieJar } from "./helpers/browserless-login";
import { startServer, type RunningServer } from "./helpers/server";

const METRICS_TOKEN = "fuzz-metrics-token-0123456789";
const SEED = Number(process.env.FUZZ_SEED ?? 20261130);
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 3000);

let server: RunningServer;
let admin: CookieJar;
let actionIds: string[] = [];

/** mulberry32: small, seeded, good enough to pick cases. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PROTOCOL = ["/oauth/token", "/oauth/revoke", "/oauth/introspect", "/oauth/userinfo", "/oauth/jwks", "/oauth/authorize",
  "/oauth/authorize/continue", "/oauth/consent", "/oauth/consent/decide", "/.well-known/openid-configuration",
  "/.well-known/oauth-authorization-server", "/.well-known/jwks.json", "/api/v1/me", "/api/auth/callback/credentials",
  "/api/auth/csrf", "/api/auth/session", "/healthz", "/readyz", "/metrics"];
const PAGES = ["/", "/signin", "/signup", "/apps", "/apps/new", "/apps/latchkey-demo", "/apps/latchkey-demo/settings",
  "/apps/latchkey-demo/playground", "/account", "/admin", "/admin/audit", "/admin/scopes", "/docs", "/playground/callback", "/oauth/error"];
const METHODS = ["GET", "POST", "POST", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE", "get", "POST ", "CONNECT"];
const PARAMS = ["grant_type", "code", "redirect_uri", "client_id", "client_secret", "refresh_token", "scope", "token",
  "token_type_hint", "code_verifier", "response_type", "state", "nonce", "prompt", "max_age", "username", "password",
  "code_challenge", "code_challenge_method", "id", "csrf_token", "decision", "email", "name", "callbackUrl", "csrfToken"];
const NASTY = ["", "a", "authorization_code", "client_credentials", "refresh_token", "password", "latchkey-demo", "openid profile",
  "' OR 1=1 --", "\"; DROP TABLE \"User\"; --", "<script>alert(1)</script>", "{{7*7}}", "${jndi:ldap://x}", "../../etc/passwd",
  "%00", "\u0000", "\uFFFF", "\uD800", "😀".repeat(50), "ł".repeat(1000), "x".repeat(5000), "http://evil.test", "//evil.test",
  "/%09/evil.test", "javascript:alert(1)", "-1", "1e309", "NaN", "[]", "{}", "null", "true", "%E0%A4%A", "%", "%%", "+", "=", "&"];
const TYPES = ["application/x-www-form-urlencoded", "application/json", "multipart/form-data; boundary=xyz", "text/plain",
  "text/plain;charset=UTF-8", "application/x-www-form-urlencoded; charset=latin1", "", "application/xml", "*/*"];

/** encodeURIComponent, which throws on a lone surrogate: send those raw. */
function safeEncode(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return s;
  }
}

function generate(rand: () => number) {
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const withActions = actionIds.length > 0 && rand() < 0.3;
  const path = withActions ? pick(PAGES) : rand() < 0.6 ? pick(PROTOCOL) : pick(PAGES);
  const method = withActions ? "POST" : pick(METHODS);
  const pairs: string[] = [];
  const n = Math.floor(rand() * 8);
  for (let i = 0; i < n; i++) {
    const name = rand() < 0.9 ? pick(PARAMS) : pick(NASTY);
    const value = pick(NASTY);
    const enc = rand() < 0.8 ? safeEncode : (s: string) => s;
    pairs.push(`${enc(name)}=${enc(value)}`);
    if (rand() < 0.1) pairs.push(`${enc(name)}=${enc(pick(NASTY))}`); // duplicated parameter
  }
  let body = pairs.join("&");
  const shape = rand();
  if (shape < 0.05) body = JSON.stringify(Object.fromEntries(pairs.map((p) => p.split("=")))); // JSON
  else if (shape < 0.1) body = `--xyz\r\nContent-Disposition: form-data; name="${pick(PARAMS)}"\r\n\r\n${pick(NASTY)}\r\n--xy`; // truncated multipart
  else if (shape < 0.12) body = Buffer.from([0xff, 0xfe, 0x00, 0xc3, 0x28, 0xa0, 0xa1]).toString("latin1"); // bad UTF-8
  else if (shape < 0.14) body = "x".repeat(70_000 + Math.floor(rand() * 100_000)); // over the protocol limit
  else if (shape < 0.18) body = `[${"[".repeat(2000)}`; // deeply nested garbage
  const query = rand() < 0.5 ? `?${pairs.slice(0, 4).join("&")}` : "";
  const headers: Record<string, string> = {};
  const type = pick(TYPES);
  if (type) headers["content-type"] = type;
  if (rand() < 0.3) headers.authorization = pick([`Basic ${Buffer.from(`${pick(NASTY)}:${pick(NASTY)}`).toString("base64")}`,
    "Basic !!!", "Bearer", `Bearer ${pick(NASTY)}`, "Bearer a.b.c", "DPoP x", "Basic", pick(NASTY)]);
  if (rand() < 0.2) headers.origin = pick(["https://evil.test", "null", "http://localhost:5173", pick(NASTY)]);
  if (withActions) {
    headers["next-action"] = rand() < 0.8 ? pick(actionIds) : pick(NASTY).slice(0, 60);
    headers.accept = "text/x-component";
  }
  const signedIn = rand() < 0.5;
  return { method, path: path + query, headers, body: method === "GET" || method === "HEAD" ? "" : body, signedIn, chunked: rand() < 0.05 };
}

/** Sends one request over a raw socket (anything goes) and returns the status line and body. */
function send(req: ReturnType<typeof generate>, cookie: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve) => {
    const socket = connect(server.port, "127.0.0.1");
    const body = Buffer.from(req.body, "latin1");
    const head = [`${req.method} ${req.path.replace(/[\r\n ]/g, "%20")} HTTP/1.1`, "Host: localhost", "Connection: close"];
    for (const [k, v] of Object.entries(req.headers)) head.push(`${k}: ${v.replace(/[\r\n]/g, "")}`);
    if (req.signedIn && cookie) head.push(`Cookie: ${cookie}`);
    if (req.chunked) head.push("Transfer-Encoding: chunked");
    else head.push(`Content-Length: ${body.length}`);
    socket.on("connect", () => {
      socket.write(head.join("\r\n") + "\r\n\r\n");
      // Not end(): a half-closed connection may be dropped before it is answered.
      if (req.chunked) socket.write(Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from("\r\n0\r\n\r\n")]));
      else socket.write(body);
    });
    const chunks: Buffer[] = [];
    socket.on("data", (d) => chunks.push(d));
    const done = () => {
      const text = Buffer.concat(chunks).toString("utf8");
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), text });
    };
    socket.on("end", done);
    socket.on("error", done); // the server may close early on an oversized body: fine, if it answered
    socket.setTimeout(30_000, () => socket.destroy());
  });
}

async function residentMb(): Promise<number> {
  const res = await fetch(`${server.issuer}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  const bytes = Number(/^process_resident_memory_bytes (\S+)$/m.exec(await res.text())?.[1]);
  return bytes / 1024 / 1024;
}

beforeAll(async () => {
  server = await startServer({ LATCHKEY_METRICS_TOKEN: METRICS_TOKEN, LATCHKEY_RATE_LIMITS: "off", LATCHKEY_ACCESS_LOG: "false" });
  admin = await signIn(server.issuer, "admin@latchkey.local", "latchkey-admin");
  // Every server action the portal renders for an admin, by its id.
  for (const page of ["/apps/new", "/apps/latchkey-demo/settings", "/apps/latchkey-demo", "/account", "/admin", "/admin/scopes", "/signup"]) {
    const html = await (await fetch(`${server.issuer}${page}`, { headers: { cookie: admin.header() } })).text();
    // Server action ids travel in the page's RSC payload as 40–42 hex digits.
    for (const m of html.matchAll(/\b([0-9a-f]{40,42})\b/g)) actionIds.push(m[1]!);
  }
  actionIds = [...new Set(actionIds)];
}, 300_000);

afterAll(async () => {
  await server?.stop();
});

describe("fuzzing every endpoint and action", () => {
  it("finds the portal's server actions to aim at", () => {
    expect(actionIds.length).toBeGreaterThan(3);
  });

  it(`answers ${REQUESTS} malformed requests without a 5xx or a stack trace, keeps serving in bounded memory, then stops cleanly`, async () => {
    const rand = prng(SEED);
    const before = await residentMb();
    const failures: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < REQUESTS) {
        const i = next++;
        const req = generate(rand);
        const { status, text } = await send(req, admin.header());
        const stack = /\n\s+at [^\n]+:\d+:\d+\)?/.test(text) || /node_modules|\/work\/|webpack-internal/.test(text);
        if (status >= 500 || status === 0 || stack) {
          failures.push(`#${i} ${req.method} ${req.path.slice(0, 80)} ${JSON.stringify(req.headers).slice(0, 200)} body=${JSON.stringify(req.body.slice(0, 80))} → ${status}${stack ? " (stack trace)" : ""}`);
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    expect(failures.slice(0, 20), `${failures.length} bad answers, seed ${SEED}`).toEqual([]);
    const health = await fetch(`${server.issuer}/readyz`);
    expect(health.status).toBe(200);
    const token = await fetch(`${server.issuer}/oauth/token`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: `Basic ${Buffer.from(`${server.demo.clientId}:${server.demo.clientSecret}`).toString("base64")}`,
      },
      body: "grant_type=client_credentials&scope=account:read",
    });
    expect(token.status).toBe(200);
    const after = await residentMb();
    expect(after, `resident memory went from ${before.toFixed(0)} MB to ${after.toFixed(0)} MB`).toBeLessThan(Math.max(before * 2, before + 300));
    // Nothing the fuzzing left behind (half-open sockets, a CONNECT tunnel) holds a graceful stop.
    process.kill(server.pid, "SIGTERM");
    await expect.poll(() => server.exitCode(), { timeout: 20_000, interval: 100 }).toBe(0);
  }, 600_000);
});
