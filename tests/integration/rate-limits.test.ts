// Rate limits end to end on the real server, with small limits set through the
// environment: sign-in lockout (next-auth's credentials callback over HTTP), sign-up (the
// server action as a browser without JavaScript posts it), the authorization endpoint and
// client authentication at the token endpoint. Every request comes from one address here.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CookieJar, signIn } from "./helpers/browserless-login";
import { cliJson } from "./helpers/cli-json";
import { postForm } from "./helpers/code-flow";
import { startServer, type RunningServer } from "./helpers/server";

const METRICS_TOKEN = "rate-limits-metrics-token";
let server: RunningServer;

beforeAll(async () => {
  server = await startServer({
    LATCHKEY_RATE_SIGN_IN_ACCOUNT_FAILURES: "3",
    LATCHKEY_RATE_SIGN_IN_LOCKOUT: "120",
    LATCHKEY_RATE_SIGN_IN_IP_FAILURES: "50",
    LATCHKEY_RATE_SIGN_UP_PER_IP: "2",
    LATCHKEY_RATE_AUTHORIZE_PER_IP: "5",
    LATCHKEY_REGISTRATION: "open",
    LATCHKEY_RATE_REGISTRATION_PER_IP: "2",
    LATCHKEY_RATE_CLIENT_AUTH_CLIENT_FAILURES: "3",
    LATCHKEY_RATE_CLIENT_AUTH_IP_FAILURES: "10",
    LATCHKEY_METRICS_TOKEN: METRICS_TOKEN,
  });
});

afterAll(async () => {
  await server?.stop();
});

/** One sign-in through next-auth's credentials callback: whether a session was set, and the error it reported. */
async function attemptSignIn(email: string, password: string): Promise<{ signedIn: boolean; error: string | null }> {
  const jar = new CookieJar();
  const csrfRes = await fetch(`${server.issuer}/api/auth/csrf`);
  jar.store(csrfRes);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const res = await fetch(`${server.issuer}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar.header() },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
  });
  jar.store(res);
  const { url } = (await res.json()) as { url: string };
  return { signedIn: jar.header().includes("session-token"), error: new URL(url, server.issuer).searchParams.get("error") };
}

/** Submits the sign-up form as a browser without JavaScript does; returns the page it renders. */
async function submitSignUp(email: string): Promise<string> {
  const page = await (await fetch(`${server.issuer}/signup`)).text();
  const form = /<form[\s\S]*?<\/form>/.exec(page)?.[0] ?? "";
  const body = new FormData();
  for (const [, name, value] of form.matchAll(/<input type="hidden" name="([^"]+)"(?: value="([^"]*)")?\/?>/g)) {
    body.append(decodeEntities(name!), decodeEntities(value ?? ""));
  }
  body.append("name", "Rate Limited");
  body.append("email", email);
  body.append("password", "a long enough password");
  const res = await fetch(`${server.issuer}/signup`, { method: "POST", body, headers: { origin: server.issuer } });
  return res.text();
}

function decodeEntities(text: string): string {
  return text.replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

async function metric(limit: string): Promise<number> {
  const res = await fetch(`${server.issuer}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  const line = (await res.text()).split("\n").find((l) => l.startsWith(`latchkey_rate_limited_total{limit="${limit}"}`));
  return line ? Number(line.split(" ").at(-1)) : 0;
}

describe("sign-in", () => {
  it("the third wrong password locks the account: even the right password is then refused with the lockout message", async () => {
    const email = "user@latchkey.local";
    expect(await attemptSignIn(email, "wrong-1")).toEqual({ signedIn: false, error: "CredentialsSignin" });
    expect(await attemptSignIn("USER@latchkey.local ", "wrong-2")).toEqual({ signedIn: false, error: "CredentialsSignin" });
    expect(await attemptSignIn(email, "wrong-3")).toEqual({ signedIn: false, error: "Too many attempts. Try again in 2 minutes." });
    expect(await attemptSignIn(email, "latchkey-user")).toEqual({ signedIn: false, error: "Too many attempts. Try again in 2 minutes." });

    const [user] = await server.query<{ id: string }>(`SELECT "id" FROM "User" WHERE "email" = ?`, [email]);
    const lockouts = await server.query<{ actor: string; target: string | null; details: string }>(
      `SELECT "actor", "target", "details" FROM "AuditLog" WHERE "action" = 'auth.locked_out'`,
    );
    expect(lockouts).toHaveLength(1);
    expect(lockouts[0]!.target).toBe(user!.id);
    const details = JSON.parse(lockouts[0]!.details) as { email: string; ip: string; until: string; lockouts: number };
    expect(details.email).toBe(email);
    expect(details.ip).toEqual(expect.any(String));
    expect(details.lockouts).toBe(1);
    const until = new Date(details.until).getTime() - Date.now();
    expect(until).toBeGreaterThan(100_000);
    expect(until).toBeLessThanOrEqual(120_000);
    const failures = await server.query(`SELECT "id" FROM "AuditLog" WHERE "action" = 'auth.sign_in_failed' AND "details" LIKE ?`, [
      `%${email}%`,
    ]);
    expect(failures).toHaveLength(3);
    expect(await metric("sign_in_account")).toBeGreaterThanOrEqual(1);
  });

  it("a lockout touches only that account, and unknown emails are locked the same way (no hint that they exist)", async () => {
    await signIn(server.issuer, "dev@latchkey.local", "latchkey-dev");
    for (let i = 0; i < 2; i++) expect((await attemptSignIn("nobody@latchkey.local", "x")).error).toBe("CredentialsSignin");
    expect((await attemptSignIn("nobody@latchkey.local", "x")).error).toBe("Too many attempts. Try again in 2 minutes.");
    const [row] = await server.query<{ target: string | null }>(
      `SELECT "target" FROM "AuditLog" WHERE "action" = 'auth.locked_out' AND "details" LIKE ?`,
      ["%nobody@latchkey.local%"],
    );
    expect(row?.target).toBeNull();
  });

  it("a successful sign-in clears the account's failures", async () => {
    const email = "admin@latchkey.local";
    for (let i = 0; i < 2; i++) expect((await attemptSignIn(email, "wrong")).error).toBe("CredentialsSignin");
    expect((await attemptSignIn(email, "latchkey-admin")).signedIn).toBe(true);
    for (let i = 0; i < 2; i++) expect((await attemptSignIn(email, "wrong")).error).toBe("CredentialsSignin");
    expect((await attemptSignIn(email, "latchkey-admin")).signedIn).toBe(true);
  });
});

describe("sign-up", () => {
  it("the sign-up over the limit is refused with the message, and no account is created", async () => {
    await submitSignUp("first-signup@example.test");
    await submitSignUp("second-signup@example.test");
    const refused = await submitSignUp("third-signup@example.test");
    expect(refused).toContain("Too many attempts. Try again in 60 minutes.");
    const users = await server.query<{ email: string }>(`SELECT "email" FROM "User" WHERE "email" LIKE '%-signup@example.test' ORDER BY "email"`);
    expect(users.map((u) => u.email)).toEqual(["first-signup@example.test", "second-signup@example.test"]);
    expect(await metric("sign_up_ip")).toBe(1);
  });
});

describe("authorization endpoint", () => {
  it("requests over the limit get 429 with Retry-After and a page saying to wait, never a redirect", async () => {
    const url = `${server.issuer}/oauth/authorize?${new URLSearchParams({
      response_type: "code",
      client_id: server.demo.clientId,
      redirect_uri: "http://localhost:3000/callback",
      scope: "openid",
    })}`;
    for (let i = 0; i < 5; i++) {
      const res = await fetch(url, { redirect: "manual" });
      expect(res.status).toBe(303);
    }
    const refused = await fetch(url, { redirect: "manual" });
    expect(refused.status).toBe(429);
    expect(refused.headers.get("location")).toBeNull();
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await refused.text()).toContain("Too many requests");

    const posted = await fetch(`${server.issuer}/oauth/authorize`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URL(url).searchParams,
    });
    expect(posted.status).toBe(429);
    expect(await metric("authorize_ip")).toBe(2);
  });
});

// Last: these block the demo client's wrong secrets, then this address.
describe("dynamic client registration", () => {
  it("registrations over the limit get 429 with Retry-After, and no client is created", async () => {
    const register = (name: string) =>
      fetch(`${server.issuer}/oauth/register`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ client_name: name, redirect_uris: ["http://127.0.0.1/cb"], token_endpoint_auth_method: "none" }),
      });
    expect((await register("first")).status).toBe(201);
    expect((await register("second")).status).toBe(201);
    const refused = await register("third");
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(3000);
    expect(((await refused.json()) as { error_description: string }).error_description).toMatch(/Too many registrations/);
    expect(await server.query(`SELECT id FROM "Client" WHERE name = ?`, ["third"])).toEqual([]);
  });
});

// Before "client authentication", whose last test locks this address out of client authentication.
describe("the password grant (RFC 6749 §4.3.2: protected against brute force)", () => {
  it("shares the sign-in form's lockout: after three wrong passwords even the right one gets no tokens, and the form is locked too", async () => {
    const email = "ropc-lockout@example.test";
    const password = "the right password";
    expect(server.cli(["users", "create", "--email", email, "--password", password]).status).toBe(0);
    const app = cliJson<{ client_id: string; client_secret: string }>(server, [
      "clients", "create", "--name", "Legacy ROPC", "--owner", "dev@latchkey.local", "--scope", "openid",
      "--grant-types", "password", "--type", "confidential",
    ]);
    const client = { clientId: app.client_id, clientSecret: app.client_secret };
    const grant = (pw: string) => postForm(server.issuer, "/oauth/token", client, { grant_type: "password", username: email, password: pw, scope: "openid" });

    expect(await grant("wrong-1")).toMatchObject({ status: 400, body: { error: "invalid_grant", error_description: "The username or password is wrong" } });
    expect(await grant("wrong-2")).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
    const locking = await grant("wrong-3");
    expect(locking).toMatchObject({ status: 400, body: { error: "invalid_grant", error_description: "Too many attempts. Try again in 2 minutes." } });
    const right = await grant(password);
    expect(right).toMatchObject({ status: 400, body: { error: "invalid_grant", error_description: "Too many attempts. Try again in 2 minutes." } });
    expect(right.body).not.toHaveProperty("access_token");
    expect(await attemptSignIn(email, password)).toEqual({ signedIn: false, error: "Too many attempts. Try again in 2 minutes." });

    const failures = await server.query(`SELECT "id" FROM "AuditLog" WHERE "action" = 'auth.sign_in_failed' AND "details" LIKE ?`, [`%${email}%`]);
    expect(failures).toHaveLength(3);
    expect(await server.query(`SELECT "id" FROM "AuditLog" WHERE "action" = 'auth.locked_out' AND "details" LIKE ?`, [`%${email}%`])).toHaveLength(1);
  });

  it("is never turned on for a public app, which has no secret to hold attackers back", () => {
    const app = cliJson<{ client_id: string }>(server, [
      "clients", "create", "--name", "Public SPA", "--owner", "dev@latchkey.local", "--redirect-uri", "https://spa.example.test/cb",
      "--scope", "openid", "--grant-types", "authorization_code", "--type", "public",
    ]);
    const refused = server.cli(["clients", "update", app.client_id, "--grant-types", "authorization_code,password", "--json"]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain("Public clients cannot use the password grant");
  });
});

describe("client authentication", () => {
  const token = (clientId: string, secret: string) =>
    fetch(`${server.issuer}/oauth/token`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString("base64")}`,
      },
      body: new URLSearchParams({ grant_type: "client_credentials" }),
    });

  it("refuses further wrong secrets for a client under attack with 429, but never locks out its right secret", async () => {
    expect((await token(server.demo.clientId, "wrong-1")).status).toBe(401);
    expect((await token(server.demo.clientId, "wrong-2")).status).toBe(401);
    const third = await token(server.demo.clientId, "wrong-3");
    expect(third.status).toBe(429);
    expect(Number(third.headers.get("retry-after"))).toBeGreaterThan(800);
    expect(third.headers.get("cache-control")).toBe("no-store");
    expect(await third.json()).toMatchObject({ error: "too_many_requests" });
    // Knowing a client_id must not be enough to lock the client out.
    expect((await token(server.demo.clientId, server.demo.clientSecret)).status).toBe(200);
    expect((await token(server.demo.clientId, "wrong-4")).status).toBe(429);
    expect(await metric("client_auth_client")).toBe(2);
  });

  it("refuses an address after too many failures, even with a right secret", async () => {
    let last = 0;
    for (let i = 0; i < 10 && last !== 429; i++) last = (await token(`unknown-client-${i}`, "x")).status;
    expect(last).toBe(429);
    const refused = await token(server.demo.clientId, server.demo.clientSecret);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await metric("client_auth_ip")).toBeGreaterThan(0);
  });
});
