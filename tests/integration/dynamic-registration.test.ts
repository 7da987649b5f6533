// Dynamic client registration (RFC 7591) and its management protocol (RFC 7592) against
// the real server: registration policies, the clients' flows, errors, read/update/delete,
// and the expiry of clients nobody claimed.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, type CookieJar } from "./helpers/browserless-login";
import { authorizationCode, postForm } from "./helpers/code-flow";
import { startServer, type RunningServer } from "./helpers/server";

let server: RunningServer;
let user: CookieJar;
let databaseUrl: string;
const REDIRECT = "http://127.0.0.1:8765/callback";
const root = path.resolve(import.meta.dirname, "../..");

interface Registered {
  client_id: string;
  client_secret?: string;
  client_secret_expires_at?: number;
  client_id_issued_at: number;
  registration_access_token: string;
  registration_client_uri: string;
  [name: string]: unknown;
}

beforeAll(async () => {
  // Every registration here comes from one address: room for all of them under the rate limit.
  server = await startServer({ LATCHKEY_REGISTRATION: "open", LATCHKEY_RATE_REGISTRATION_PER_IP: "1000" });
  user = await signIn(server.issuer, "user@latchkey.local", "latchkey-user");
  if (server.databaseKind === "sqlite") {
    databaseUrl = `file:${path.join(server.dataDir, "latchkey.db")}`;
  } else {
    const [db] = await server.query<{ name: string; port: number }>("SELECT current_database() AS name, inet_server_port() AS port");
    databaseUrl = `postgresql://postgres@127.0.0.1:${db!.port}/${db!.name}`;
  }
}, 300_000);

afterAll(async () => {
  await server?.stop();
});

/** Runs a step of helpers/registration-tasks.ts on the server's database. */
function task<T = Record<string, unknown>>(...args: string[]): T {
  const r = spawnSync(path.join(root, "node_modules/.bin/tsx"), ["tests/integration/helpers/registration-tasks.ts", ...args], {
    cwd: root,
    encoding: "utf8",
    // On PostgreSQL the configuration must name a secret; these steps sign and decrypt nothing.
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      LATCHKEY_DATA_DIR: server.dataDir,
      LATCHKEY_ISSUER: server.issuer,
      AUTH_SECRET: process.env.AUTH_SECRET ?? "registration-tasks-secret-0123456789abcdef",
    },
  });
  if (r.status !== 0) throw new Error(`task ${args[0]} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop()!) as T;
}

async function register(metadata: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${server.issuer}/oauth/register`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(metadata),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : {}) as Registered & { error?: string; error_description?: string } };
}

async function manage(method: "GET" | "PUT" | "DELETE", uri: string, token: string | null, body?: unknown) {
  const headers: Record<string, string> = {};
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(uri, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : {}) as Registered & { error?: string } };
}

const confidentialMetadata = {
  client_name: "Registered confidential",
  redirect_uris: [REDIRECT],
  grant_types: ["authorization_code", "refresh_token", "client_credentials"],
  scope: "openid offline_access account:read",
  contacts: ["ops@app.example"],
  client_uri: "https://app.example",
  software_id: "4NRB1-0XZABZI9E6-5SM3R",
  software_version: "2.1",
};

async function registerOk(metadata: unknown): Promise<Registered> {
  const res = await register(metadata);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

async function clientCredentials(client: Registered, scope = "account:read") {
  return postForm(server.issuer, "/oauth/token", { clientId: client.client_id, clientSecret: client.client_secret! }, { grant_type: "client_credentials", scope });
}

async function codeFlowTokens(client: Registered, scope = "openid") {
  const credentials = { clientId: client.client_id, clientSecret: client.client_secret ?? "" };
  const { code, verifier } = await authorizationCode(server.issuer, user, credentials, REDIRECT, scope);
  const params = { grant_type: "authorization_code", code, redirect_uri: REDIRECT, code_verifier: verifier };
  if (client.client_secret) return postForm(server.issuer, "/oauth/token", credentials, params);
  const res = await fetch(`${server.issuer}/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ ...params, client_id: client.client_id }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & { access_token?: string; refresh_token?: string } };
}

async function registeredCount(): Promise<number> {
  const [row] = await server.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM "Client" WHERE "source" = 'registration'`);
  return Number(row!.n);
}

/** Settings are cached for a few seconds: waits until registration answers as `policy` does. */
async function switchPolicy(policy: "off" | "open" | "public" | "token") {
  task("policy", policy);
  const expected = { off: 403, token: 401, public: "only public", open: "invalid_redirect_uri" }[policy];
  for (let i = 0; i < 40; i++) {
    const res = await register({});
    const seen = res.status === 400 ? (res.body.error === "invalid_redirect_uri" ? "invalid_redirect_uri" : res.body.error_description?.includes("only public") ? "only public" : "?") : res.status;
    if (seen === expected) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`registration did not switch to ${policy}`);
}

describe("registration (policy open)", () => {
  it("registers a confidential client (201 with secret, token and every registered field) whose code flow and client credentials work", async () => {
    const res = await register(confidentialMetadata);
    expect(res.status).toBe(201);
    expect(res.headers.get("cache-control")).toContain("no-store");
    const c = res.body;
    expect(c.client_id).toMatch(/^[0-9a-f]{32}$/);
    expect(c.client_secret).toMatch(/^lk_secret_/);
    expect(c.client_secret_expires_at).toBe(0);
    expect(Math.abs(c.client_id_issued_at - Date.now() / 1000)).toBeLessThan(60);
    expect(c.registration_access_token).toMatch(/^lk_reg_/);
    expect(c.registration_client_uri).toBe(`${server.issuer}/oauth/register/${c.client_id}`);
    expect(c).toMatchObject({ ...confidentialMetadata, token_endpoint_auth_method: "client_secret_basic", response_types: ["code"] });

    const [row] = await server.query<{ source: string; ownerId: string | null; type: string; registrationTokenHash: string }>(
      `SELECT "source", "ownerId", "type", "registrationTokenHash" FROM "Client" WHERE "id" = ?`, [c.client_id]);
    expect(row).toMatchObject({ source: "registration", ownerId: null, type: "confidential" });
    expect(row!.registrationTokenHash).not.toContain(c.registration_access_token);

    const tokens = await codeFlowTokens(c, "openid offline_access account:read");
    expect(tokens.status, JSON.stringify(tokens.body)).toBe(200);
    expect(tokens.body.access_token).toBeTruthy();
    expect(tokens.body.refresh_token).toBeTruthy();
    const cc = await clientCredentials(c);
    expect(cc.status, JSON.stringify(cc.body)).toBe(200);
  });

  it("registers a public client (none) with no secret whose code flow with PKCE works", async () => {
    const c = await registerOk({
      client_name: "Registered public",
      redirect_uris: [REDIRECT],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "none",
    });
    expect(c.client_secret).toBeUndefined();
    expect(c.client_secret_expires_at).toBeUndefined();
    expect(c.token_endpoint_auth_method).toBe("none");
    const tokens = await codeFlowTokens(c);
    expect(tokens.status, JSON.stringify(tokens.body)).toBe(200);
    expect(tokens.body.id_token).toBeTruthy();
  });

  it("defaults to client_secret_basic, the code grant and every non-restricted catalog scope", async () => {
    const c = await registerOk({ redirect_uris: ["https://app.example/cb"] });
    expect(c).toMatchObject({ token_endpoint_auth_method: "client_secret_basic", grant_types: ["authorization_code"], response_types: ["code"] });
    expect(c.client_secret).toMatch(/^lk_secret_/);
    const scopes = String(c.scope).split(" ");
    expect(scopes).toEqual(expect.arrayContaining(["openid", "profile", "email", "offline_access", "account:read"]));
    expect(scopes).not.toContain("admin:audit");
    expect(c.client_name).toBeUndefined();
  });

  it("leaves out grant types it does not support, as VS Code's registration asks for device_code", async () => {
    const c = await registerOk({
      client_name: "Visual Studio Code",
      redirect_uris: ["http://127.0.0.1:33418/", "https://vscode.dev/redirect"],
      grant_types: ["authorization_code", "refresh_token", "urn:ietf:params:oauth:grant-type:device_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "none",
    });
    expect(c.grant_types).toEqual(["authorization_code", "refresh_token"]);
  });

  it.each([
    ["no redirect_uris for the code grant", {}, "invalid_redirect_uri"],
    ["only grant types it does not support", { grant_types: ["urn:ietf:params:oauth:grant-type:device_code"] }, "invalid_client_metadata"],
    ["a redirect URI with a fragment", { redirect_uris: ["https://app.example/cb#x"] }, "invalid_redirect_uri"],
    ["plain http to a remote host", { redirect_uris: ["http://app.example/cb"] }, "invalid_redirect_uri"],
    ["redirect_uris that is not an array", { redirect_uris: "https://app.example/cb" }, "invalid_redirect_uri"],
    ["the implicit grant", { redirect_uris: [REDIRECT], grant_types: ["implicit"], response_types: ["token"] }, "invalid_client_metadata"],
    ["the password grant", { redirect_uris: [REDIRECT], grant_types: ["password"] }, "invalid_client_metadata"],
    ["response type token", { redirect_uris: [REDIRECT], response_types: ["code", "token"] }, "invalid_client_metadata"],
    ["code grant without response type code", { redirect_uris: [REDIRECT], response_types: [] }, "invalid_client_metadata"],
    ["refresh_token without the code grant", { grant_types: ["client_credentials", "refresh_token"] }, "invalid_client_metadata"],
    ["private_key_jwt", { redirect_uris: [REDIRECT], token_endpoint_auth_method: "private_key_jwt" }, "invalid_client_metadata"],
    ["client_credentials for a public client", { token_endpoint_auth_method: "none", grant_types: ["client_credentials"] }, "invalid_client_metadata"],
    ["a restricted scope", { redirect_uris: [REDIRECT], scope: "openid admin:audit" }, "invalid_client_metadata"],
    ["an unknown scope", { redirect_uris: [REDIRECT], scope: "openid nope" }, "invalid_client_metadata"],
    ["a client_uri that is not https", { redirect_uris: [REDIRECT], client_uri: "http://app.example" }, "invalid_client_metadata"],
    ["contacts that are not strings", { redirect_uris: [REDIRECT], contacts: [1] }, "invalid_client_metadata"],
    ["both jwks and jwks_uri", { redirect_uris: [REDIRECT], jwks: { keys: [] }, jwks_uri: "https://app.example/jwks" }, "invalid_client_metadata"],
  ])("refuses %s with 400 %s and registers nothing", async (_name, metadata, error) => {
    const before = await registeredCount();
    const res = await register(metadata);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe(error);
    expect(res.body.error_description).toBeTruthy();
    expect(await registeredCount()).toBe(before);
  });

  it("refuses a body that is not a JSON object with 400 invalid_request", async () => {
    for (const [type, body] of [["application/x-www-form-urlencoded", "redirect_uris=x"], ["application/json", "[1]"], ["application/json", "{"]]) {
      const res = await fetch(`${server.issuer}/oauth/register`, { method: "POST", headers: { "content-type": type! }, body });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toBe("invalid_request");
    }
  });

  it("answers other methods with 405 and an Allow header, and lets any origin register (no cookies)", async () => {
    const res = await fetch(`${server.issuer}/oauth/register`, { method: "GET" });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toContain("POST");
    const preflight = await fetch(`${server.issuer}/oauth/register`, {
      method: "OPTIONS",
      headers: { origin: "https://mcp-client.example", "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
    });
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
    const post = await fetch(`${server.issuer}/oauth/register/${"a".repeat(32)}`, { method: "POST" });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, PUT, DELETE, HEAD, OPTIONS");
  });
});

describe("client configuration endpoint (RFC 7592)", () => {
  it("reads the registration with the registration access token (no secret in the answer)", async () => {
    const c = await registerOk(confidentialMetadata);
    const read = await manage("GET", c.registration_client_uri, c.registration_access_token);
    expect(read.status).toBe(200);
    const { client_secret: _secret, ...withoutSecret } = c;
    expect(read.body).toEqual(withoutSecret);
  });

  it("answers 401 invalid_token with a Bearer challenge for a missing, wrong or another client's token, or an unknown client", async () => {
    const a = await registerOk(confidentialMetadata);
    const b = await registerOk(confidentialMetadata);
    const none = await manage("GET", a.registration_client_uri, null);
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toMatch(/^Bearer realm=/);
    for (const [uri, token] of [
      [a.registration_client_uri, "lk_reg_wrong"],
      [a.registration_client_uri, b.registration_access_token],
      [`${server.issuer}/oauth/register/${"0".repeat(32)}`, a.registration_access_token],
      [`${server.issuer}/oauth/register/latchkey-demo`, a.registration_access_token],
      [`${server.issuer}/oauth/register/${a.client_id}%2F..`, a.registration_access_token],
    ] as const) {
      const res = await manage("GET", uri, token);
      expect(res.status, uri).toBe(401);
      expect(res.body.error).toBe("invalid_token");
      expect(res.headers.get("www-authenticate")).toContain('error="invalid_token"');
    }
    expect((await manage("PUT", a.registration_client_uri, b.registration_access_token, { ...confidentialMetadata, client_id: a.client_id })).status).toBe(401);
    expect((await manage("DELETE", a.registration_client_uri, b.registration_access_token)).status).toBe(401);
    expect((await manage("GET", a.registration_client_uri, a.registration_access_token)).status).toBe(200);
  });

  it("replaces the registration with PUT: omitted fields are removed and the secret keeps working", async () => {
    const c = await registerOk(confidentialMetadata);
    const replacement = {
      client_id: c.client_id,
      client_secret: c.client_secret,
      client_name: "Renamed",
      redirect_uris: ["https://app.example/new-callback"],
      grant_types: ["authorization_code", "client_credentials"],
      token_endpoint_auth_method: "client_secret_post",
      scope: "openid account:read",
      // fields the server sets are ignored (RFC 7592 §2.2)
      registration_access_token: c.registration_access_token,
      client_id_issued_at: 1,
    };
    const put = await manage("PUT", c.registration_client_uri, c.registration_access_token, replacement);
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body).toMatchObject({
      client_id: c.client_id,
      client_name: "Renamed",
      redirect_uris: ["https://app.example/new-callback"],
      grant_types: ["authorization_code", "client_credentials"],
      token_endpoint_auth_method: "client_secret_post",
      scope: "openid account:read",
      client_id_issued_at: c.client_id_issued_at,
      registration_access_token: c.registration_access_token,
    });
    expect(put.body.contacts).toBeUndefined();
    expect(put.body.software_id).toBeUndefined();
    const read = await manage("GET", c.registration_client_uri, c.registration_access_token);
    expect(read.body).toMatchObject({ client_name: "Renamed", redirect_uris: ["https://app.example/new-callback"] });
    expect(read.body.contacts).toBeUndefined();
    const [row] = await server.query<{ name: string; grantTypes: string }>(`SELECT "name", "grantTypes" FROM "Client" WHERE "id" = ?`, [c.client_id]);
    expect(row).toEqual({ name: "Renamed", grantTypes: "authorization_code client_credentials" });
    expect((await clientCredentials(c)).status).toBe(200);
  });

  it("refuses a PUT with another client_id, a wrong client_secret or a change to a public client", async () => {
    const c = await registerOk(confidentialMetadata);
    const cases = [
      { ...confidentialMetadata, client_id: "f".repeat(32) },
      { ...confidentialMetadata },
      { ...confidentialMetadata, client_id: c.client_id, client_secret: "lk_secret_chosen-by-the-client" },
      { ...confidentialMetadata, client_id: c.client_id, token_endpoint_auth_method: "none", grant_types: ["authorization_code"] },
    ];
    for (const body of cases) {
      const res = await manage("PUT", c.registration_client_uri, c.registration_access_token, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error).toBe("invalid_client_metadata");
    }
    const invalid = await manage("PUT", c.registration_client_uri, c.registration_access_token, { ...confidentialMetadata, client_id: c.client_id, redirect_uris: ["ftp://x"] });
    expect(invalid.body.error).toBe("invalid_redirect_uri");
    expect((await manage("GET", c.registration_client_uri, c.registration_access_token)).body).toMatchObject({ client_name: confidentialMetadata.client_name });
  });

  it("a client an admin suspended may read its registration but not change or delete it (403), and revoking it is final", async () => {
    const c = await registerOk(confidentialMetadata);
    expect(server.cli(["clients", "suspend", c.client_id, "--reason", "Phishing"]).status).toBe(0);
    const renamed = { ...confidentialMetadata, client_id: c.client_id, client_secret: c.client_secret, client_name: "Innocent", redirect_uris: ["https://elsewhere.example/cb"] };
    const put = await manage("PUT", c.registration_client_uri, c.registration_access_token, renamed);
    expect(put.status).toBe(403);
    expect(put.body.error).toBe("access_denied");
    const del = await manage("DELETE", c.registration_client_uri, c.registration_access_token);
    expect(del.status).toBe(403);
    expect((await manage("GET", c.registration_client_uri, c.registration_access_token)).body).toMatchObject({ client_name: confidentialMetadata.client_name });
    expect(await server.query(`SELECT "status" FROM "Client" WHERE "id" = ?`, [c.client_id])).toEqual([{ status: "suspended" }]);

    expect(server.cli(["clients", "revoke", c.client_id, "--reason", "Phishing, confirmed"]).status).toBe(0);
    const reactivate = server.cli(["clients", "activate", c.client_id]);
    expect(reactivate.status).toBe(2);
    expect(reactivate.stderr).toContain("a revoked app cannot be reactivated");
    expect(await server.query(`SELECT "status" FROM "Client" WHERE "id" = ?`, [c.client_id])).toEqual([{ status: "revoked" }]);
    expect((await clientCredentials(c)).status).toBe(401);
  });

  it("deletes the client with DELETE (204): its registration, tokens and refresh tokens stop working", async () => {
    const c = await registerOk(confidentialMetadata);
    const tokens = await codeFlowTokens(c, "openid offline_access account:read");
    expect(tokens.status).toBe(200);
    const userinfo = () => fetch(`${server.issuer}/oauth/userinfo`, { headers: { authorization: `Bearer ${tokens.body.access_token}` } });
    expect((await userinfo()).status).toBe(200);

    const del = await manage("DELETE", c.registration_client_uri, c.registration_access_token);
    expect(del.status).toBe(204);
    expect((await manage("GET", c.registration_client_uri, c.registration_access_token)).status).toBe(401);
    expect((await manage("DELETE", c.registration_client_uri, c.registration_access_token)).status).toBe(401);
    expect(await server.query(`SELECT "id" FROM "Client" WHERE "id" = ?`, [c.client_id])).toEqual([]);
    expect((await clientCredentials(c)).status).toBe(401);
    const refresh = await postForm(server.issuer, "/oauth/token", { clientId: c.client_id, clientSecret: c.client_secret! }, {
      grant_type: "refresh_token", refresh_token: String(tokens.body.refresh_token),
    });
    expect(refresh.status).toBe(401);
    expect((await userinfo()).status).toBe(401);
  });
});

describe("expiry of clients nobody claimed", () => {
  it("deletes unclaimed registered clients without a token for the expiry period; keeps claimed, recently used and portal ones", async () => {
    const neverUsed = await registerOk(confidentialMetadata);
    const usedLongAgo = await registerOk(confidentialMetadata);
    const usedRecently = await registerOk(confidentialMetadata);
    const claimed = await registerOk(confidentialMetadata);
    const fresh = await registerOk(confidentialMetadata);
    task("age", neverUsed.client_id, "31");
    task("age", usedLongAgo.client_id, "90", "31");
    task("age", usedRecently.client_id, "90", "29");
    task("age", claimed.client_id, "90");
    task("age", "latchkey-demo", "90");
    expect(task("claim", claimed.client_id, "lk_reg_wrong", "dev@latchkey.local")).toEqual({ claimed: false });
    expect(task("claim", claimed.client_id, claimed.registration_access_token, "dev@latchkey.local")).toEqual({ claimed: true });
    // Claiming ends the registration access token: the portal manages the client now.
    expect((await manage("GET", claimed.registration_client_uri, claimed.registration_access_token)).status).toBe(401);

    // The server runs the same clean-up a minute after it starts, so it may get there first.
    const { deleted } = task<{ deleted: string[] }>("expire");
    expect([neverUsed.client_id, usedLongAgo.client_id]).toEqual(expect.arrayContaining(deleted));
    const left = (await server.query<{ id: string }>(`SELECT "id" FROM "Client" WHERE "id" IN (?, ?, ?, ?, ?, ?)`, [
      neverUsed.client_id, usedLongAgo.client_id, usedRecently.client_id, claimed.client_id, fresh.client_id, "latchkey-demo",
    ])).map((r) => r.id);
    expect(left.sort()).toEqual([usedRecently.client_id, claimed.client_id, fresh.client_id, "latchkey-demo"].sort());
    expect((await clientCredentials(neverUsed)).status).toBe(401);
    const [audit] = await server.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM "AuditLog" WHERE "action" = 'app.claimed' AND "target" = ?`, [claimed.client_id]);
    expect(Number(audit!.n)).toBe(1);
    const expired = await server.query<{ target: string }>(`SELECT "target" FROM "AuditLog" WHERE "action" = 'app.expired' AND "target" IN (?, ?)`, [
      neverUsed.client_id, usedLongAgo.client_id,
    ]);
    expect(expired.map((r) => r.target).sort()).toEqual([neverUsed.client_id, usedLongAgo.client_id].sort());
  });
});

describe("registration policies", () => {
  it("public: refuses confidential clients with invalid_client_metadata and registers public ones", async () => {
    await switchPolicy("public");
    for (const metadata of [confidentialMetadata, { redirect_uris: [REDIRECT] }]) {
      const res = await register(metadata);
      expect(res.status).toBe(400);
      expect(res.body.error).toBe("invalid_client_metadata");
      expect(res.body.error_description).toContain("only public clients");
    }
    const c = await registerOk({ redirect_uris: [REDIRECT], token_endpoint_auth_method: "none" });
    expect(c.client_secret).toBeUndefined();
  });

  it("token: requires a live initial access token (RFC 7591 §3) and records its use", async () => {
    await switchPolicy("token");
    const metadata = { redirect_uris: [REDIRECT], token_endpoint_auth_method: "none" };
    const missing = await register(metadata);
    expect(missing.status).toBe(401);
    expect(missing.headers.get("www-authenticate")).toMatch(/^Bearer realm=/);
    const bogus = await register(metadata, { authorization: "Bearer lk_iat_bogus" });
    expect(bogus.status).toBe(401);
    expect(bogus.body.error).toBe("invalid_token");

    const live = task<{ token: string; id: string }>("initial-token", "integration test", "1");
    const ok = await register(confidentialMetadata, { authorization: `Bearer ${live.token}` });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body.client_secret).toMatch(/^lk_secret_/);
    const [row] = await server.query<{ lastUsedAt: unknown; tokenHash: string }>(`SELECT "lastUsedAt", "tokenHash" FROM "InitialAccessToken" WHERE "id" = ?`, [live.id]);
    expect(row!.lastUsedAt).not.toBeNull();
    expect(row!.tokenHash).not.toBe(live.token);
    // The management protocol uses the registration access token, not the initial one.
    expect((await manage("GET", ok.body.registration_client_uri, ok.body.registration_access_token)).status).toBe(200);

    const expired = task<{ token: string }>("initial-token", "expired", "-1");
    expect((await register(metadata, { authorization: `Bearer ${expired.token}` })).status).toBe(401);
    task("revoke-initial-token", live.id);
    expect((await register(metadata, { authorization: `Bearer ${live.token}` })).status).toBe(401);
  });

  it("off: registration and management answer 403 access_denied", async () => {
    const existing = task<Registered>("register", JSON.stringify({ redirect_uris: [REDIRECT] }));
    await switchPolicy("off");
    const res = await register({ redirect_uris: [REDIRECT], token_endpoint_auth_method: "none" });
    expect(res.status).toBe(403);
    expect(res.body.error).toBe("access_denied");
    const read = await manage("GET", existing.registration_client_uri, existing.registration_access_token);
    expect(read.status).toBe(403);
  });
});
