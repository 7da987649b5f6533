// Admins manage users from the CLI: list and search, block (no sign-in, sessions end, grants and
// refresh tokens stop working), unblock, promote and demote (never the last admin), reset a password.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, type CookieJar } from "./helpers/browserless-login";
import { authorizationCode, postForm, type Client } from "./helpers/code-flow";
import { cliJson as cliJsonOf } from "./helpers/cli-json";
import { startServer, type RunningServer } from "./helpers/server";

let server: RunningServer;
let demo: Client;
const REDIRECT = "http://127.0.0.1/callback";

beforeAll(async () => {
  server = await startServer();
  demo = { clientId: server.demo.clientId, clientSecret: server.demo.clientSecret };
}, 400_000);

afterAll(async () => {
  await server?.stop();
});

function cli(args: string[]) {
  return server.cli(args);
}

function cliJson<T>(args: string[]): T {
  return cliJsonOf<T>(server, args);
}

function createUser(email: string, password: string, admin = false) {
  const r = cli(["users", "create", "--email", email, "--password", password, ...(admin ? ["--admin"] : [])]);
  expect(r.status, r.stderr).toBe(0);
}

/** Posts the credentials like the sign-in form; returns whether a session cookie came back and the error shown. */
async function trySignIn(email: string, password: string): Promise<{ signedIn: boolean; error: string | null }> {
  // A kept-alive socket the server closed while a slow CLI ran fails once: retry then.
  const csrfRes = await fetch(`${server.issuer}/api/auth/csrf`).catch(() => fetch(`${server.issuer}/api/auth/csrf`));
  const cookie = csrfRes.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const res = await fetch(`${server.issuer}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
  });
  const signedIn = res.headers.getSetCookie().some((c) => c.includes("session-token="));
  const location = res.headers.get("location") ?? ((await res.json().catch(() => ({}))) as { url?: string }).url ?? "";
  return { signedIn, error: location ? new URL(location, server.issuer).searchParams.get("error") : null };
}

async function sessionOf(jar: CookieJar): Promise<Record<string, unknown>> {
  const res = await fetch(`${server.issuer}/api/auth/session`, { headers: { cookie: jar.header() } });
  return (await res.json()) as Record<string, unknown>;
}

async function audit(action: string, target: string) {
  return server.query<{ actor: string; details: string }>(`SELECT "actor", "details" FROM "AuditLog" WHERE "action" = ? AND "target" = ?`, [action, target]);
}

async function userId(email: string): Promise<string> {
  const [row] = await server.query<{ id: string }>(`SELECT "id" FROM "User" WHERE "email" = ?`, [email]);
  return row!.id;
}

describe("users list", () => {
  it("lists users with role, last sign-in and owned apps; --search matches email or name", async () => {
    await signIn(server.issuer, "dev@latchkey.local", "latchkey-dev");
    const all = cliJson<{ email: string; role: string; last_sign_in_at: string | null; apps: string[] }[]>(["users", "list"]);
    const dev = all.find((u) => u.email === "dev@latchkey.local");
    expect(dev).toMatchObject({ role: "user", apps: ["latchkey-demo"] });
    expect(dev!.last_sign_in_at).not.toBeNull();
    expect(all.find((u) => u.email === "admin@latchkey.local")?.role).toBe("admin");
    const found = cliJson<{ email: string }[]>(["users", "list", "--search", "DEV@latchkey"]);
    expect(found.map((u) => u.email)).toEqual(["dev@latchkey.local"]);
    expect(cli(["users", "list", "--search", "nobody-matches-this"]).stdout).toContain("No users.");
  });
});

describe("users block", () => {
  const email = "blocked-it@example.test";
  const password = "blocked-it-password";

  it("ends the user's session, grants and refresh tokens, and refuses their sign-in over HTTP until unblocked", async () => {
    createUser(email, password);
    const jar = await signIn(server.issuer, email, password);
    expect((await sessionOf(jar)).user).toMatchObject({ email });
    const { code, verifier } = await authorizationCode(server.issuer, jar, demo, REDIRECT);
    const tokens = await postForm(server.issuer, "/oauth/token", demo, {
      grant_type: "authorization_code", code, redirect_uri: REDIRECT, code_verifier: verifier,
    });
    expect(tokens.status).toBe(200);
    const refreshToken = tokens.body.refresh_token!;
    const accessToken = tokens.body.access_token!;
    expect((await postForm(server.issuer, "/oauth/introspect", demo, { token: accessToken })).body.active).toBe(true);

    const blocked = cliJson<{ email: string; role: string; grants_revoked: number; token_families_revoked: number }>(["users", "block", email]);
    expect(blocked).toMatchObject({ email, role: "blocked", grants_revoked: 1, token_families_revoked: 1 });

    expect((await sessionOf(jar)).user).toBeUndefined();
    const refreshed = await postForm(server.issuer, "/oauth/token", demo, { grant_type: "refresh_token", refresh_token: refreshToken });
    expect(refreshed.status).toBe(400);
    expect(refreshed.body.error).toBe("invalid_grant");
    await expect.poll(async () => (await postForm(server.issuer, "/oauth/introspect", demo, { token: accessToken })).body.active, { timeout: 3000 }).toBe(false);
    const [grant] = await server.query<{ revokedAt: unknown }>(`SELECT "revokedAt" FROM "Grant" WHERE "userId" = ?`, [await userId(email)]);
    expect(grant!.revokedAt).not.toBeNull();

    const refused = await trySignIn(email, password);
    expect(refused.signedIn).toBe(false);
    expect(refused.error).toMatch(/blocked/);
    const id = await userId(email);
    expect(await audit("user.blocked", id)).toEqual([expect.objectContaining({ actor: "cli" })]);
    const failures = await audit("auth.sign_in_failed", id);
    expect(failures.map((f) => JSON.parse(f.details))).toContainEqual(expect.objectContaining({ email, reason: "blocked" }));
    expect(failures.every((f) => !f.details.includes(password))).toBe(true);

    const unblocked = cliJson<{ role: string }>(["users", "unblock", email]);
    expect(unblocked.role).toBe("user");
    expect((await trySignIn(email, password)).signedIn).toBe(true);
    expect(await audit("user.unblocked", id)).toHaveLength(1);
  });

  /** A confidential app an admin gave the password grant (the CLI may). */
  function passwordGrantApp(name: string, scope: string, grantTypes: string): Client {
    const app = cliJson<{ client_id: string; client_secret: string }>([
      "clients", "create", "--name", name, "--owner", "dev@latchkey.local", "--redirect-uri", REDIRECT,
      "--scope", scope, "--grant-types", grantTypes, "--type", "confidential",
    ]);
    return { clientId: app.client_id, clientSecret: app.client_secret };
  }

  it("a blocked user cannot use the password grant either", async () => {
    const ropc = passwordGrantApp("Legacy ROPC", "openid", "password");
    const email2 = "ropc-it@example.test";
    createUser(email2, password);
    const grant = () => postForm(server.issuer, "/oauth/token", ropc, { grant_type: "password", username: email2, password, scope: "openid" });
    const before = await grant();
    if (before.status !== 200) return; // the password grant is off in this profile
    cliJson(["users", "block", email2]);
    const after = await grant();
    expect(after.status).toBe(400);
    expect(after.body.error).toBe("invalid_grant");
  });

  it("a password reset ends the refresh and access tokens the old password got through the password grant", async () => {
    const ropc = passwordGrantApp("Legacy ROPC 2", "openid offline_access", "password,refresh_token");
    const email3 = "ropc-reset@example.test";
    createUser(email3, password);
    const tokens = await postForm(server.issuer, "/oauth/token", ropc, { grant_type: "password", username: email3, password, scope: "openid offline_access" });
    expect(tokens.status).toBe(200);
    const introspect = async () => (await postForm(server.issuer, "/oauth/introspect", ropc, { token: String(tokens.body.access_token) })).body.active;
    expect(await introspect()).toBe(true);

    const reset = cli(["users", "reset-password", email3]);
    expect(reset.status, reset.stderr).toBe(0);
    const refreshed = await postForm(server.issuer, "/oauth/token", ropc, { grant_type: "refresh_token", refresh_token: String(tokens.body.refresh_token) });
    expect(refreshed).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
    expect(await introspect()).toBe(false);
  });

  it("refuses unknown users and admins (demote first)", () => {
    const unknown = cli(["users", "block", "nobody@example.test"]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("no user with email nobody@example.test");
    const admin = cli(["users", "block", "admin@latchkey.local"]);
    expect(admin.status).toBe(2);
    expect(admin.stderr).toContain("demote them first");
  });
});

describe("users promote / demote", () => {
  it("promotes and demotes, but never demotes the last admin", async () => {
    const email = "second-admin@example.test";
    createUser(email, "second-admin-password");
    expect(cliJson<{ role: string }>(["users", "promote", email]).role).toBe("admin");
    const again = cli(["users", "promote", email]);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain("already an admin");
    expect(cliJson<{ role: string }>(["users", "demote", "admin@latchkey.local"]).role).toBe("user");
    const last = cli(["users", "demote", email]);
    expect(last.status).toBe(2);
    expect(last.stderr).toContain("last admin");
    expect(cliJson<{ role: string }>(["users", "promote", "admin@latchkey.local"]).role).toBe("admin");
    expect(cliJson<{ role: string }>(["users", "demote", email]).role).toBe("user");
    const id = await userId(email);
    expect(await audit("user.promoted", id)).toHaveLength(1);
    expect(await audit("user.demoted", id)).toHaveLength(1);
  });
});

describe("users reset-password", () => {
  it("prints a new password once: it works, the old one does not", async () => {
    const email = "reset-it@example.test";
    createUser(email, "reset-old-password");
    const r = cli(["users", "reset-password", email]);
    expect(r.status, r.stderr).toBe(0);
    const password = /New password for \S+: (\S+)/.exec(r.stdout)?.[1];
    expect(password).toBeTruthy();
    expect(r.stdout).toContain("shown only once");
    expect((await trySignIn(email, "reset-old-password")).signedIn).toBe(false);
    expect((await trySignIn(email, password!)).signedIn).toBe(true);
    const entries = await audit("user.password_reset", await userId(email));
    expect(entries).toHaveLength(1);
    expect(entries[0]!.details).not.toContain(password!);
  });
});

describe("audit of sign-ins", () => {
  it("logs auth.signed_in with the address and auth.sign_in_failed without the password", async () => {
    const email = "audit-it@example.test";
    createUser(email, "audit-it-password");
    await trySignIn(email, "audit-it-wrong-password");
    await trySignIn(email, "audit-it-password");
    const id = await userId(email);
    const ok = await audit("auth.signed_in", id);
    expect(ok).toHaveLength(1);
    expect(ok[0]!.actor).toBe(email);
    expect(JSON.parse(ok[0]!.details)).toHaveProperty("ip");
    const failed = await server.query<{ details: string }>(`SELECT "details" FROM "AuditLog" WHERE "action" = 'auth.sign_in_failed' AND "details" LIKE ?`, [`%${email}%`]);
    expect(failed.length).toBeGreaterThan(0);
    expect(JSON.parse(failed[0]!.details)).toHaveProperty("ip");
    expect(failed.every((f) => !f.details.includes("audit-it-wrong-password"))).toBe(true);
  });
});
