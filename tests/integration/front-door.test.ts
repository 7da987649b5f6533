// The one front door, as a browser, a client or an attacker meets it on the real server.
import { request as httpRequest } from "node:http";
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "./helpers/server";

let server: RunningServer;
const SPA_ORIGIN = "http://localhost:5173"; // the demo app registers http://localhost/callback

beforeAll(async () => {
  server = await startServer();
}, 300_000);

afterAll(async () => {
  await server?.stop();
});

const url = (path: string) => `${server.issuer}${path}`;
const basic = () => `Basic ${Buffer.from(`${server.demo.clientId}:${server.demo.clientSecret}`).toString("base64")}`;
const form = { "content-type": "application/x-www-form-urlencoded" };

/** A raw HTTP exchange, for what fetch will not send (TRACE, chunked bodies, bad framing). */
function raw(text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, "127.0.0.1", () => socket.end(text));
    let out = "";
    socket.on("data", (d) => (out += d));
    socket.on("end", () => resolve(out));
    socket.on("error", reject);
  });
}

describe("security headers", () => {
  it("sends nosniff and a request id on every machine endpoint", async () => {
    for (const path of ["/.well-known/openid-configuration", "/oauth/jwks", "/oauth/token", "/oauth/userinfo", "/healthz", "/api/v1/me"]) {
      const res = await fetch(url(path));
      expect(res.headers.get("x-content-type-options"), path).toBe("nosniff");
      expect(res.headers.get("x-request-id"), path).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it("forbids framing of every page and allows only scripts carrying the request's nonce", async () => {
    for (const path of ["/signin", "/signup", "/docs", "/"]) {
      const res = await fetch(url(path));
      expect(res.status, path).toBe(200);
      const csp = res.headers.get("content-security-policy") ?? "";
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(res.headers.get("x-frame-options"), path).toBe("DENY");
      expect(res.headers.get("referrer-policy"), path).toBe("same-origin");
      const scriptSrc = /script-src ([^;]+)/.exec(csp)?.[1] ?? "";
      expect(scriptSrc, path).not.toContain("unsafe-inline");
      const nonce = /'nonce-([^']+)'/.exec(scriptSrc)?.[1];
      expect(nonce, path).toBeTruthy();
      const html = await res.text();
      const scripts = html.match(/<script\b[^>]*>/g) ?? [];
      expect(scripts.length, path).toBeGreaterThan(0);
      for (const tag of scripts) expect(tag, path).toContain(`nonce="${nonce}"`);
    }
  });

  it("uses a new nonce on every response", async () => {
    const a = (await fetch(url("/signin"))).headers.get("content-security-policy");
    const b = (await fetch(url("/signin"))).headers.get("content-security-policy");
    expect(a).not.toBe(b);
  });

  it("keeps the portal and admin pages unframeable even when they redirect to sign-in", async () => {
    for (const path of ["/apps", "/account", "/admin"]) {
      const res = await fetch(url(path), { redirect: "manual" });
      expect(res.headers.get("x-frame-options"), path).toBe("DENY");
    }
  });
});

describe("CORS", () => {
  it("lets any origin read discovery, JWKS and userinfo, without credentials", async () => {
    for (const path of ["/.well-known/openid-configuration", "/.well-known/oauth-authorization-server", "/oauth/jwks", "/oauth/userinfo"]) {
      const res = await fetch(url(path), { headers: { origin: "https://any.example" } });
      expect(res.headers.get("access-control-allow-origin"), path).toBe("*");
      expect(res.headers.get("access-control-allow-credentials"), path).toBeNull();
    }
    const pre = await fetch(url("/oauth/userinfo"), {
      method: "OPTIONS",
      headers: { origin: "https://any.example", "access-control-request-method": "GET", "access-control-request-headers": "authorization" },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-headers")).toContain("Authorization");
  });

  it("answers a token preflight for an origin an app registered, on any loopback port", async () => {
    const pre = await fetch(url("/oauth/token"), {
      method: "OPTIONS",
      headers: { origin: SPA_ORIGIN, "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-origin")).toBe(SPA_ORIGIN);
    expect(pre.headers.get("access-control-allow-methods")).toContain("POST");
  });

  it("does not let an unregistered origin read the token endpoint", async () => {
    const pre = await fetch(url("/oauth/token"), {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
    });
    expect(pre.headers.get("access-control-allow-origin")).toBeNull();
    const res = await fetch(url("/oauth/token"), {
      method: "POST",
      headers: { ...form, authorization: basic(), origin: "https://evil.example" },
      body: "grant_type=client_credentials&scope=account:read",
    });
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("lets the app's own origin read a token response", async () => {
    const res = await fetch(url("/oauth/token"), {
      method: "POST",
      headers: { ...form, authorization: basic(), origin: SPA_ORIGIN },
      body: "grant_type=client_credentials&scope=account:read",
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe(SPA_ORIGIN);
    expect(res.headers.get("vary")).toContain("Origin");
  });

  describe("per-app allowed web origins", () => {
    const preflight = (origin: string) =>
      fetch(url("/oauth/token"), {
        method: "OPTIONS",
        headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
      });
    const tokenRequest = (app: CliApp, origin: string, path = "/oauth/token", body = "grant_type=client_credentials") =>
      fetch(url(path), {
        method: "POST",
        headers: { ...form, authorization: `Basic ${Buffer.from(`${app.client_id}:${app.client_secret}`).toString("base64")}`, origin },
        body,
      });
    // The CLI writes from another process: on SQLite the server's list of every app's
    // origins (what preflights are answered for) catches up when its 5 s cache expires.
    const preflightAllows = (origin: string) =>
      expect.poll(async () => (await preflight(origin)).headers.get("access-control-allow-origin"), { timeout: 8_000, interval: 250 });

    interface CliApp {
      client_id: string;
      client_secret: string;
      redirect_uris: string[];
      web_origins: string[];
    }
    function createWithCli(name: string, extra: string[]): CliApp {
      const r = server.cli([
        "clients", "create", "--name", name, "--owner", "dev@latchkey.local", "--type", "confidential",
        "--grant-types", "authorization_code,client_credentials", "--scope", "notes:read", ...extra, "--json",
      ]);
      expect(r.status, r.stderr).toBe(0);
      return JSON.parse(r.stdout.slice(r.stdout.indexOf("{"))) as CliApp;
    }

    it("lets the origins registered with --web-origin read the token and revocation endpoints, and no longer the redirect URI's", async () => {
      const app = createWithCli("Registered SPA", ["--redirect-uri", "https://spa-callback.example.test/cb", "--web-origin", "https://spa.example.test"]);
      expect(app.web_origins).toEqual(["https://spa.example.test"]);

      await preflightAllows("https://spa.example.test").toBe("https://spa.example.test");
      const pre = await preflight("https://spa.example.test");
      expect(pre.status).toBe(204);
      expect(pre.headers.get("access-control-allow-methods")).toContain("POST");

      const token = await tokenRequest(app, "https://spa.example.test");
      expect(token.status).toBe(200);
      expect(token.headers.get("access-control-allow-origin")).toBe("https://spa.example.test");
      const { access_token } = (await token.json()) as { access_token: string };
      const revoke = await tokenRequest(app, "https://spa.example.test", "/oauth/revoke", `token=${access_token}`);
      expect(revoke.status).toBe(200);
      expect(revoke.headers.get("access-control-allow-origin")).toBe("https://spa.example.test");

      // The registered list replaces the default: the redirect URI's origin is out.
      expect((await preflight("https://spa-callback.example.test")).headers.get("access-control-allow-origin")).toBeNull();
      const fromRedirectOrigin = await tokenRequest(app, "https://spa-callback.example.test");
      expect(fromRedirectOrigin.status).toBe(200);
      expect(fromRedirectOrigin.headers.get("access-control-allow-origin")).toBeNull();
      const [row] = await server.query<{ webOrigins: string }>(`SELECT "webOrigins" FROM "Client" WHERE "id" = ?`, [app.client_id]);
      expect(row?.webOrigins).toBe("https://spa.example.test");
    });

    it("without --web-origin, still allows the origins of the app's redirect URIs", async () => {
      const app = createWithCli("Derived SPA", ["--redirect-uri", "https://derived.example.test/cb"]);
      expect(app.web_origins).toEqual([]);
      await preflightAllows("https://derived.example.test").toBe("https://derived.example.test");
      const token = await tokenRequest(app, "https://derived.example.test");
      expect(token.status).toBe(200);
      expect(token.headers.get("access-control-allow-origin")).toBe("https://derived.example.test");
    });

    it("refuses a web origin that is not in canonical form, naming the one to register", () => {
      const r = server.cli([
        "clients", "create", "--name", "Bad origin", "--owner", "dev@latchkey.local", "--type", "public",
        "--redirect-uri", "https://bad.example.test/cb", "--web-origin", "https://spa.example.test/path",
      ]);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain("An origin has no path, query or fragment: register https://spa.example.test");
    });
  });

  it("never answers CORS on the authorization endpoint", async () => {
    const res = await fetch(url(`/oauth/authorize?client_id=${server.demo.clientId}`), { headers: { origin: SPA_ORIGIN }, redirect: "manual" });
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("limits", () => {
  it("refuses a huge body on the authorization endpoint with an RFC 6749 error", async () => {
    const res = await fetch(url("/oauth/authorize"), { method: "POST", headers: form, body: "a=" + "x".repeat(100_000) });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: "invalid_request" });
  });

  it("refuses a huge body on the token endpoint, declared or streamed", async () => {
    const declared = await fetch(url("/oauth/token"), { method: "POST", headers: form, body: "grant_type=" + "x".repeat(100_000) });
    expect(declared.status).toBe(413);
    const chunked = await raw(
      "POST /oauth/token HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n" +
        `${(70_000).toString(16)}\r\n${"x".repeat(70_000)}\r\n0\r\n\r\n`,
    );
    expect(chunked).toMatch(/^HTTP\/1.1 413/);
  });

  it("refuses a page or server action body over the page limit, and one without a length", async () => {
    const big = await raw("POST /apps/new HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\nContent-Length: 1100000\r\n\r\n");
    expect(big).toMatch(/^HTTP\/1.1 413/);
    const chunked = await raw(
      "POST /signup HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
    );
    expect(chunked).toMatch(/^HTTP\/1.1 411/);
  });

  it("answers odd methods 405 with Allow, never 5xx", async () => {
    for (const [method, path] of [["TRACE", "/"], ["TRACE", "/signin"], ["PUT", "/oauth/token"], ["DELETE", "/signin"], ["PATCH", "/oauth/jwks"], ["PROPFIND", "/apps"]] as const) {
      const answer = await raw(`${method} ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);
      expect(answer, `${method} ${path}`).toMatch(/^HTTP\/1.1 405/);
      expect(answer.toLowerCase(), `${method} ${path}`).toContain("\r\nallow: ");
    }
  });

  it("answers a URL over 8 KB with 414 and oversized headers with 431", async () => {
    expect((await fetch(url(`/signin?x=${"a".repeat(9000)}`))).status).toBe(414);
    const answer = await raw(`GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: ${"a".repeat(20_000)}\r\nConnection: close\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1.1 431/);
  });
});

describe("access log", () => {
  it("writes one JSON line per request with its id, route, status and client, and no secret", async () => {
    const res = await fetch(url("/oauth/token"), {
      method: "POST",
      headers: { ...form, authorization: basic() },
      body: "grant_type=client_credentials&scope=account:read",
    });
    const id = res.headers.get("x-request-id")!;
    const { access_token } = (await res.json()) as { access_token: string };
    let line: Record<string, unknown> | undefined;
    await expect
      .poll(() => {
        const found = server.output().split("\n").find((l) => l.includes(id));
        line = found ? (JSON.parse(found) as Record<string, unknown>) : undefined;
        return line;
      }, { timeout: 10_000 })
      .toBeDefined();
    expect(line).toMatchObject({ id, method: "POST", route: "/oauth/token", status: 200, clientId: server.demo.clientId });
    expect(typeof line!.ms).toBe("number");
    const log = server.output().split("\n").filter((l) => l.startsWith("{")).join("\n");
    expect(log).toContain(id);
    expect(log).not.toContain(server.demo.clientSecret);
    expect(log).not.toContain(access_token);
  });

  it("takes the client address from the socket unless a proxy is trusted", async () => {
    const res = await fetch(url("/healthz"), { headers: { "x-forwarded-for": "203.0.113.9" } });
    const id = res.headers.get("x-request-id")!;
    await expect.poll(() => server.output().split("\n").find((l) => l.includes(id)), { timeout: 10_000 }).toBeDefined();
    const line = JSON.parse(server.output().split("\n").find((l) => l.includes(id))!) as { ip: string };
    expect(line.ip).not.toBe("203.0.113.9");
  });
});

describe("HEAD and keep-alive", () => {
  it("answers HEAD on a GET endpoint with headers and no body", async () => {
    const answer = await new Promise<{ status: number; length: string | undefined; body: string }>((resolve, reject) => {
      const req = httpRequest(url("/.well-known/openid-configuration"), { method: "HEAD" }, (res) => {
        let body = "";
        res.on("data", (d) => (body += d));
        res.on("end", () => resolve({ status: res.statusCode!, length: res.headers["content-length"], body }));
      });
      req.on("error", reject);
      req.end();
    });
    expect(answer.status).toBe(200);
    expect(Number(answer.length)).toBeGreaterThan(100);
    expect(answer.body).toBe("");
  });
});

describe("behind TLS", () => {
  it("sends HSTS on every response when the issuer is https, and not otherwise", async () => {
    expect((await fetch(url("/healthz"))).headers.get("strict-transport-security")).toBeNull();
    const tls = await startServer({ LATCHKEY_ISSUER: "https://auth.example.test" });
    try {
      for (const path of ["/healthz", "/signin", "/oauth/jwks"]) {
        const res = await fetch(`http://localhost:${tls.port}${path}`);
        expect(res.headers.get("strict-transport-security"), path).toMatch(/^max-age=\d{7,}/);
      }
    } finally {
      await tls.stop();
    }
  }, 120_000);
});
