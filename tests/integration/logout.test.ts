// OpenID Connect logout against the real server: RP-Initiated Logout 1.0 with openid-client 6
// building the end-session URL, and Back-Channel Logout 1.0 tokens POSTed to a real HTTP
// receiver and verified with jose against the server's JWKS.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createRemoteJWKSet, decodeJwt, jwtVerify } from "jose";
import * as client from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, type CookieJar } from "./helpers/browserless-login";
import { authorizationCode, postForm } from "./helpers/code-flow";
import { startServer, type RunningServer } from "./helpers/server";

interface Received {
  path: string;
  contentType: string;
  body: URLSearchParams;
}

/** An app's back-channel logout receiver; `failNext` answers that many requests with 503. */
class Receiver {
  received: Received[] = [];
  failNext = 0;
  private server: Server;
  port = 0;

  constructor() {
    this.server = createServer((req: IncomingMessage, res) => {
      let raw = "";
      req.on("data", (d) => (raw += d));
      req.on("end", () => {
        this.received.push({ path: req.url ?? "", contentType: req.headers["content-type"] ?? "", body: new URLSearchParams(raw) });
        if (this.failNext > 0) {
          this.failNext--;
          res.writeHead(503).end("busy");
          return;
        }
        res.writeHead(200, { "cache-control": "no-store" }).end();
      });
    });
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** Polls until `count` requests arrived (no fixed sleeps). */
  async waitFor(count: number, timeoutMs = 30_000): Promise<Received[]> {
    const until = Date.now() + timeoutMs;
    while (this.received.length < count) {
      if (Date.now() > until) throw new Error(`only ${this.received.length} of ${count} logout requests arrived`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return this.received;
  }
}

let server: RunningServer;
const receiver = new Receiver();
let app: { clientId: string; clientSecret: string };
let rp: string;

async function sessionUserId(jar: CookieJar): Promise<string | null> {
  const res = await fetch(`${server.issuer}/api/auth/session`, { headers: { cookie: jar.header() } });
  const session = (await res.json()) as { user?: { id?: string } };
  return session.user?.id ?? null;
}

/** Signs a user in, authorizes the app and returns the jar and the ID token. */
async function signInAndAuthorize(): Promise<{ jar: CookieJar; idToken: string }> {
  const jar = await signIn(server.issuer, "user@latchkey.local", "latchkey-user");
  const { code, verifier } = await authorizationCode(server.issuer, jar, app, `${rp}/cb`, "openid");
  const res = await postForm(server.issuer, "/oauth/token", app, {
    grant_type: "authorization_code", code, code_verifier: verifier, redirect_uri: `${rp}/cb`,
  });
  expect(res.status).toBe(200);
  return { jar, idToken: res.body.id_token as string };
}

async function verifyLogoutToken(token: string) {
  const jwks = createRemoteJWKSet(new URL(`${server.issuer}/oauth/jwks`));
  return jwtVerify(token, jwks, { issuer: server.issuer, audience: app.clientId, typ: "logout+jwt" });
}

async function deliveryRows() {
  return server.query<{ status: string; attempts: number; lastError: string }>(
    'SELECT "status", "attempts", "lastError" FROM "LogoutDelivery" WHERE "clientId" = ? ORDER BY "createdAt"',
    [app.clientId],
  );
}

async function pollRows(predicate: (rows: Awaited<ReturnType<typeof deliveryRows>>) => boolean) {
  const until = Date.now() + 30_000;
  for (;;) {
    const rows = await deliveryRows();
    if (predicate(rows)) return rows;
    if (Date.now() > until) throw new Error(`deliveries never matched: ${JSON.stringify(rows)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  await receiver.start();
  rp = `http://127.0.0.1:${receiver.port}`;
  server = await startServer({
    LATCHKEY_REGISTRATION: "open",
    LATCHKEY_LOGOUT_ALLOW_LOOPBACK: "true",
    LATCHKEY_LOGOUT_RETRY_DELAY: "1",
  });
  const res = await fetch(`${server.issuer}/oauth/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      client_name: "Logout RP",
      redirect_uris: [`${rp}/cb`],
      post_logout_redirect_uris: [`${rp}/bye`],
      backchannel_logout_uri: `${rp}/backchannel`,
      grant_types: ["authorization_code"],
      scope: "openid",
    }),
  });
  const registered = (await res.json()) as Record<string, unknown>;
  expect(res.status).toBe(201);
  expect(registered).toMatchObject({ post_logout_redirect_uris: [`${rp}/bye`], backchannel_logout_uri: `${rp}/backchannel` });
  app = { clientId: registered.client_id as string, clientSecret: registered.client_secret as string };
}, 300_000);

afterAll(async () => {
  await server?.stop();
  await receiver.stop();
});

describe("logout", () => {
  it("discovery names the end-session endpoint and back-channel logout with sessions", async () => {
    const metadata = (await (await fetch(`${server.issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(metadata).toMatchObject({
      end_session_endpoint: `${server.issuer}/oauth/logout`,
      backchannel_logout_supported: true,
      backchannel_logout_session_supported: true,
    });
  });

  it("RP-initiated logout with an ID token hint ends the session, returns state and sends a verifiable logout token", async () => {
    const { jar, idToken } = await signInAndAuthorize();
    const sid = decodeJwt(idToken).sid;
    expect(typeof sid).toBe("string");
    const before = receiver.received.length;

    const config = await client.discovery(new URL(server.issuer), app.clientId, app.clientSecret, undefined, {
      execute: [client.allowInsecureRequests],
    });
    const url = client.buildEndSessionUrl(config, { id_token_hint: idToken, post_logout_redirect_uri: `${rp}/bye`, state: "st 1" });
    const res = await fetch(url, { redirect: "manual", headers: { cookie: jar.header() } });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`${rp}/bye?state=st+1`);
    expect(res.headers.getSetCookie().some((c) => /next-auth\.session-token=;.*Max-Age=0/.test(c))).toBe(true);
    // Even a copy of the old cookie no longer signs anyone in: the OP session ended.
    expect(await sessionUserId(jar)).toBeNull();

    const [request] = (await receiver.waitFor(before + 1)).slice(before);
    expect(request!.path).toBe("/backchannel");
    expect(request!.contentType).toBe("application/x-www-form-urlencoded");
    const { payload, protectedHeader } = await verifyLogoutToken(request!.body.get("logout_token")!);
    expect(protectedHeader.typ).toBe("logout+jwt");
    expect(payload.sid).toBe(sid);
    expect(payload.sub).toBe(decodeJwt(idToken).sub);
    expect(payload.events).toEqual({ "http://schemas.openid.net/event/backchannel-logout": {} });
    expect(payload).not.toHaveProperty("nonce");
    expect(typeof payload.jti).toBe("string");
    await pollRows((rows) => rows.at(-1)?.status === "delivered");
  });

  it("never redirects to a post_logout_redirect_uri that is not registered, and keeps the session", async () => {
    const { jar, idToken } = await signInAndAuthorize();
    const url = new URL(`${server.issuer}/oauth/logout`);
    url.search = new URLSearchParams({ id_token_hint: idToken, post_logout_redirect_uri: `${rp}/elsewhere`, state: "s" }).toString();
    const res = await fetch(url, { redirect: "manual", headers: { cookie: jar.header() } });
    expect(res.status).toBe(303);
    const location = new URL(res.headers.get("location")!, server.issuer);
    expect(location.origin).toBe(server.issuer);
    expect(location.pathname).toBe("/oauth/logout/error");
    const page = await (await fetch(location)).text();
    expect(page).toContain("post_logout_redirect_uri is not registered for this app");
    expect(await sessionUserId(jar)).not.toBeNull();
  });

  it("asks for confirmation without a hint; confirming signs out and returns to the app", async () => {
    const { jar } = await signInAndAuthorize();
    const url = new URL(`${server.issuer}/oauth/logout`);
    url.search = new URLSearchParams({ client_id: app.clientId, post_logout_redirect_uri: `${rp}/bye`, state: "abc" }).toString();
    const res = await fetch(url, { redirect: "manual", headers: { cookie: jar.header() } });
    const confirm = new URL(res.headers.get("location")!, server.issuer);
    expect(confirm.pathname).toBe("/oauth/logout/confirm");
    const html = await (await fetch(confirm, { headers: { cookie: jar.header() } })).text();
    expect(html).toContain("Sign out of Latchkey?");
    expect(html).toContain("Logout RP");
    const csrf = /name="csrf_token" value="([^"]+)"/.exec(html)?.[1];
    expect(csrf).toBeDefined();

    const form = { client_id: app.clientId, post_logout_redirect_uri: `${rp}/bye`, state: "abc" };
    const forged = await fetch(`${server.issuer}/oauth/logout/decide`, {
      method: "POST", redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar.header(), origin: server.issuer },
      body: new URLSearchParams({ ...form, csrf_token: "forged" }),
    });
    expect(new URL(forged.headers.get("location")!, server.issuer).pathname).toBe("/oauth/logout/error");
    expect(await sessionUserId(jar)).not.toBeNull();

    const done = await fetch(`${server.issuer}/oauth/logout/decide`, {
      method: "POST", redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar.header(), origin: server.issuer },
      body: new URLSearchParams({ ...form, csrf_token: csrf! }),
    });
    expect(done.status).toBe(303);
    expect(done.headers.get("location")).toBe(`${rp}/bye?state=abc`);
    expect(await sessionUserId(jar)).toBeNull();
  });

  it("portal sign-out sends a logout token, retried after the receiver first fails", async () => {
    const { jar, idToken } = await signInAndAuthorize();
    const before = receiver.received.length;
    receiver.failNext = 1;
    const csrfRes = await fetch(`${server.issuer}/api/auth/csrf`, { headers: { cookie: jar.header() } });
    jar.store(csrfRes);
    const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
    await fetch(`${server.issuer}/api/auth/signout`, {
      method: "POST", redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar.header() },
      body: new URLSearchParams({ csrfToken, json: "true" }),
    });
    const requests = (await receiver.waitFor(before + 2)).slice(before);
    for (const request of requests) {
      const { payload } = await verifyLogoutToken(request.body.get("logout_token")!);
      expect(payload.sid).toBe(decodeJwt(idToken).sid);
    }
    const rows = await pollRows((r) => r.at(-1)?.status === "delivered");
    expect(rows.at(-1)!.attempts).toBe(2);
  });

  it("blocking a user from the CLI ends their sign-in session and sends the app a logout token", async () => {
    const email = `blocked-${Date.now().toString(36)}@example.test`;
    const created = server.cli(["users", "create", "--email", email, "--password", "blocked-user-1"]);
    expect(created.status, created.stderr).toBe(0);
    const jar = await signIn(server.issuer, email, "blocked-user-1");
    const { code, verifier } = await authorizationCode(server.issuer, jar, app, `${rp}/cb`, "openid");
    const res = await postForm(server.issuer, "/oauth/token", app, {
      grant_type: "authorization_code", code, code_verifier: verifier, redirect_uri: `${rp}/cb`,
    });
    expect(res.status).toBe(200);
    const sid = decodeJwt(res.body.id_token as string).sid;
    const userId = await sessionUserId(jar);
    expect(userId).not.toBeNull();
    const before = receiver.received.length;

    const blocked = server.cli(["users", "block", email]);
    expect(blocked.status, blocked.stderr).toBe(0);
    const requests = (await receiver.waitFor(before + 1)).slice(before);
    const { payload } = await verifyLogoutToken(requests[0]!.body.get("logout_token")!);
    expect(payload).toMatchObject({ sub: userId, sid });
    expect(await sessionUserId(jar)).toBeNull();
  });

  it("deleting a user from the CLI sends the app a logout token for their session before the account is gone", async () => {
    const email = `deleted-${Date.now().toString(36)}@example.test`;
    expect(server.cli(["users", "create", "--email", email, "--password", "deleted-user-1"]).status).toBe(0);
    const jar = await signIn(server.issuer, email, "deleted-user-1");
    const { code, verifier } = await authorizationCode(server.issuer, jar, app, `${rp}/cb`, "openid");
    const res = await postForm(server.issuer, "/oauth/token", app, {
      grant_type: "authorization_code", code, code_verifier: verifier, redirect_uri: `${rp}/cb`,
    });
    expect(res.status).toBe(200);
    const { sid, sub } = decodeJwt(res.body.id_token as string);
    const before = receiver.received.length;

    const deleted = server.cli(["users", "delete", email, "--json"]);
    expect(deleted.status, deleted.stderr).toBe(0);
    const requests = (await receiver.waitFor(before + 1)).slice(before);
    const { payload } = await verifyLogoutToken(requests[0]!.body.get("logout_token")!);
    expect(payload).toMatchObject({ sub, sid });
    expect(await server.query(`SELECT "id" FROM "User" WHERE "email" = ?`, [email])).toEqual([]);
    expect(await sessionUserId(jar)).toBeNull();
  });

  it("registration refuses logout URIs that break the redirect URI rules", async () => {
    for (const bad of [
      { backchannel_logout_uri: "http://rp.example/backchannel" },
      { backchannel_logout_uri: "https://rp.example/backchannel#frag" },
      { post_logout_redirect_uris: ["https://rp.example/*"] },
      { backchannel_logout_session_required: "yes" },
    ]) {
      const res = await fetch(`${server.issuer}/oauth/register`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ redirect_uris: ["https://rp.example/cb"], ...bad }),
      });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toBe("invalid_client_metadata");
    }
  });
});
