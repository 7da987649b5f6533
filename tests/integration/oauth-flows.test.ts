// The real server driven by an independent, strict OpenID Connect client (openid-client v6).
import { createHash } from "node:crypto";
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import * as client from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answerConsent, CookieJar, follow, signIn } from "./helpers/browserless-login";
import { startServer, type RunningServer } from "./helpers/server";

let server: RunningServer;
let config: client.Configuration;
let user: CookieJar;
const REDIRECT = "http://127.0.0.1:8765/callback";

beforeAll(async () => {
  server = await startServer();
  config = await client.discovery(new URL(server.issuer), server.demo.clientId, server.demo.clientSecret, undefined, {
    execute: [client.allowInsecureRequests],
  });
  user = await signIn(server.issuer, "user@latchkey.local", "latchkey-user");
}, 300_000);

afterAll(async () => {
  await server?.stop();
});

async function authorize(scope: string, extra: Record<string, string> = {}) {
  const codeVerifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT,
    scope,
    state,
    nonce,
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: "S256",
    ...extra,
  });
  let step = await follow(server.issuer, url.href, user);
  if (step.html?.includes("/oauth/consent/decide")) {
    step = { url: await answerConsent(server.issuer, step.html, user, "allow") };
  }
  return { callback: new URL(step.url), codeVerifier, state, nonce };
}

async function codeFlow(scope: string) {
  const { callback, codeVerifier, state, nonce } = await authorize(scope);
  return client.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: codeVerifier,
    expectedState: state,
    expectedNonce: nonce,
    idTokenExpected: scope.includes("openid"),
  });
}

describe("discovery", () => {
  it("advertises every endpoint, S256 and the iss response parameter", () => {
    const meta = config.serverMetadata();
    expect(meta.issuer).toBe(server.issuer);
    for (const key of ["authorization_endpoint", "token_endpoint", "jwks_uri", "userinfo_endpoint", "revocation_endpoint", "introspection_endpoint"]) {
      expect(meta[key as keyof typeof meta]).toMatch(new RegExp(`^${server.issuer}/`));
    }
    expect(meta.code_challenge_methods_supported).toEqual(["S256"]);
    expect(meta.authorization_response_iss_parameter_supported).toBe(true);
    // OIDC Core §15.1 / Discovery §3: RS256 must be supported (and is the default).
    expect(meta.id_token_signing_alg_values_supported).toEqual(["RS256", "ES256"]);
    expect(meta.grant_types_supported).toEqual(expect.arrayContaining(["authorization_code", "refresh_token", "client_credentials"]));
  });

  it("serves the same issuer at the RFC 8414 location", async () => {
    const res = await fetch(`${server.issuer}/.well-known/oauth-authorization-server`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { issuer: string }).issuer).toBe(server.issuer);
  });
});

describe("authorization code with PKCE", () => {
  it("returns a code with state and iss, and the client gets verified tokens and an ID token", async () => {
    const tokens = await codeFlow("openid profile email offline_access account:read");
    expect(tokens.token_type.toLowerCase()).toBe("bearer");
    expect(tokens.refresh_token).toMatch(/^lk_rt_/);
    const claims = tokens.claims()!;
    expect(claims.iss).toBe(server.issuer);
    expect(claims.aud).toBe(server.demo.clientId);
    // An access token is issued, so scope claims come from userinfo only (OIDC Core §5.4).
    expect(claims.email).toBeUndefined();
    expect(claims.sid).toBeTruthy();
    expect(claims.at_hash).toBeTruthy();
    expect(decodeProtectedHeader(tokens.id_token!)).toMatchObject({ alg: "RS256", typ: "JWT" });
    const jwks = createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri!));
    await jwtVerify(tokens.id_token!, jwks, { issuer: server.issuer, audience: server.demo.clientId, algorithms: ["RS256"] });

    const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
    expect(info.email).toBe("user@latchkey.local");
    expect(info.name).toBe("Uma User");

    const me = await client.fetchProtectedResource(config, tokens.access_token, new URL(`${server.issuer}/api/v1/me`), "GET");
    expect(me.status).toBe(200);
    expect(((await me.json()) as { account: { email: string } }).account.email).toBe("user@latchkey.local");
  });

  it("remembers consent: a second request with the same scopes comes straight back with a code", async () => {
    await codeFlow("openid account:read");
    const { callback } = await authorize("openid account:read");
    expect(callback.searchParams.get("code")).toMatch(/^lk_code_/);
    expect(callback.searchParams.get("iss")).toBe(server.issuer);
  });

  it("answers prompt=none with consent_required when new scopes need consent", async () => {
    const url = client.buildAuthorizationUrl(config, { redirect_uri: REDIRECT, scope: "openid notes:write", state: "s1", prompt: "none", code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()), code_challenge_method: "S256" });
    const step = await follow(server.issuer, url.href, user);
    const cb = new URL(step.url);
    expect(cb.searchParams.get("error")).toBe("consent_required");
    expect(cb.searchParams.get("state")).toBe("s1");
    expect(cb.searchParams.get("iss")).toBe(server.issuer);
  });

  /** A new code-flow app with `scope`, and a PKCE authorization request for `openid` to it. */
  async function newAppRequest(name: string, scope: string, extra: Record<string, string> = {}) {
    const created = server.cli(["clients", "create", "--name", name, "--owner", "dev@latchkey.local", "--redirect-uri", REDIRECT,
      "--scope", scope, "--grant-types", "authorization_code", "--type", "confidential", "--json"]);
    const app = JSON.parse(created.stdout.slice(created.stdout.indexOf("{"))) as { client_id: string };
    const request = new URL(`${server.issuer}/oauth/authorize`);
    request.search = new URLSearchParams({ client_id: app.client_id, redirect_uri: REDIRECT, response_type: "code", scope: "openid", state: "s-new",
      code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()), code_challenge_method: "S256", ...extra }).toString();
    return { app, request };
  }

  it("an app suspended while the user signs in gets an error page, never the redirect", async () => {
    const { app, request } = await newAppRequest("Suspended midway", "openid");
    const toSignIn = await follow(server.issuer, request.href, new CookieJar());
    const callbackUrl = new URL(toSignIn.url).searchParams.get("callbackUrl");
    expect(callbackUrl).toMatch(/^\/oauth\/authorize\/continue\?id=/);

    expect(server.cli(["clients", "suspend", app.client_id, "--reason", "Reported"]).status).toBe(0);
    const signedIn = await signIn(server.issuer, "user@latchkey.local", "latchkey-user");
    const end = await follow(server.issuer, `${server.issuer}${callbackUrl}`, signedIn);
    const landed = new URL(end.url);
    expect(landed.origin + landed.pathname).toBe(`${server.issuer}/oauth/error`);
    expect(landed.searchParams.get("error")).toBe("invalid_client");
  });

  it("shows the scopes of claims asked for by name on the consent screen (OIDC Core §5.5)", async () => {
    const { request } = await newAppRequest("Claims asker", "openid email", { claims: JSON.stringify({ id_token: { email: null } }) });
    const consent = await follow(server.issuer, request.href, user);
    expect(consent.html).toContain('data-scope="openid"');
    expect(consent.html).toContain('data-scope="email"');
  });

  it("shows an error page and never redirects for an unregistered redirect_uri", async () => {
    const url = client.buildAuthorizationUrl(config, { redirect_uri: "https://evil.example/cb", scope: "openid", state: "x" });
    const step = await follow(server.issuer, url.href, user);
    expect(step.url.startsWith(`${server.issuer}/oauth/error`)).toBe(true);
    expect(step.html).toContain("redirect_uri");
    expect(step.html).toContain('data-testid="oauth-error-description">The redirect_uri is not registered');

    // The same page with words of someone else's choosing (or the server's words, altered) shows only its own.
    const description = new URL(step.url).searchParams.get("error_description")!;
    const forgeries: Record<string, string>[] = [
      { error: "invalid_request", error_description: "Your account is locked. Call +1 555 0100 now." },
      { error: "invalid_request", error_description: `${description} Call +1 555 0100.`, sig: new URL(step.url).searchParams.get("sig")! },
      { error: "<b>x</b>", error_description: description, sig: new URL(step.url).searchParams.get("sig")! },
    ];
    for (const forged of forgeries) {
      const html = await (await fetch(`${server.issuer}/oauth/error?${new URLSearchParams(forged)}`)).text();
      expect(html).not.toContain("555 0100");
      expect(html).toContain('data-testid="oauth-error-description">The request was not valid.');
    }
  });

  it("rejects a reused code and revokes the tokens issued from it", async () => {
    const { callback, codeVerifier, state } = await authorize("account:read");
    const first = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: codeVerifier, expectedState: state, idTokenExpected: false });
    await expect(
      client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: codeVerifier, expectedState: state, idTokenExpected: false }),
    ).rejects.toMatchObject({ error: "invalid_grant" });
    const introspected = await client.tokenIntrospection(config, first.access_token);
    expect(introspected.active).toBe(false);
    await expect(client.refreshTokenGrant(config, first.refresh_token!)).rejects.toMatchObject({ error: "invalid_grant" });
  });

  it("rejects a wrong PKCE verifier with invalid_grant", async () => {
    const { callback, state } = await authorize("account:read");
    await expect(
      client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: client.randomPKCECodeVerifier(), expectedState: state, idTokenExpected: false }),
    ).rejects.toMatchObject({ error: "invalid_grant" });
  });
});

describe("refresh tokens", () => {
  it("rotate on every use; presenting a rotated one revokes the whole family", async () => {
    const first = await codeFlow("openid offline_access account:read");
    const second = await client.refreshTokenGrant(config, first.refresh_token!);
    expect(second.refresh_token).not.toBe(first.refresh_token);
    await expect(client.refreshTokenGrant(config, first.refresh_token!)).rejects.toMatchObject({ error: "invalid_grant" });
    await expect(client.refreshTokenGrant(config, second.refresh_token!)).rejects.toMatchObject({ error: "invalid_grant" });
    expect((await client.tokenIntrospection(config, second.access_token)).active).toBe(false);
  });

  it("may narrow the scope but never widen it", async () => {
    const first = await codeFlow("openid offline_access account:read notes:read");
    const narrowed = await client.refreshTokenGrant(config, first.refresh_token!, { scope: "account:read" });
    expect(narrowed.scope).toBe("account:read");
    await expect(client.refreshTokenGrant(config, narrowed.refresh_token!, { scope: "account:read notes:write" })).rejects.toMatchObject({ error: "invalid_scope" });
  });
});

describe("client credentials, introspection and revocation", () => {
  it("issues an RFC 9068 access token that introspects as active until revoked", async () => {
    const tokens = await client.clientCredentialsGrant(config, { scope: "notes:read" });
    expect(tokens.refresh_token).toBeUndefined();
    const [header] = tokens.access_token.split(".");
    expect(JSON.parse(Buffer.from(header!, "base64url").toString())).toMatchObject({ typ: "at+jwt", alg: "ES256" });
    const active = await client.tokenIntrospection(config, tokens.access_token);
    expect(active).toMatchObject({ active: true, client_id: server.demo.clientId, scope: "notes:read" });
    await client.tokenRevocation(config, tokens.access_token);
    expect((await client.tokenIntrospection(config, tokens.access_token)).active).toBe(false);
  });

  it("answers a wrong secret with 401 invalid_client and WWW-Authenticate", async () => {
    const res = await fetch(`${server.issuer}/oauth/token`, {
      method: "POST",
      headers: { authorization: `Basic ${Buffer.from(`${server.demo.clientId}:wrong`).toString("base64")}`, "content-type": "application/x-www-form-urlencoded" },
      body: "grant_type=client_credentials",
    });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toMatch(/^Basic/);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(await res.json()).toMatchObject({ error: "invalid_client" });
  });

  it("the resource API answers 401 without a token and 403 insufficient_scope with the wrong one", async () => {
    const none = await fetch(`${server.issuer}/api/v1/me`);
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toMatch(/^Bearer realm=/);
    const tokens = await client.clientCredentialsGrant(config, { scope: "notes:read" });
    const res = await fetch(`${server.issuer}/api/v1/me`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(res.status).toBe(403);
    expect(res.headers.get("www-authenticate")).toContain('error="insufficient_scope"');
    expect(res.headers.get("www-authenticate")).toContain('scope="account:read"');
  });
});

describe("admin CLI", () => {
  it("creates a confidential client whose secret works and is stored only as a SHA-256 hash", async () => {
    const r = server.cli(["clients", "create", "--name", "CLI App", "--owner", "dev@latchkey.local", "--redirect-uri", "https://cli.example/cb", "--scope", "notes:read", "--grant-types", "authorization_code,refresh_token,client_credentials", "--type", "confidential", "--json"]);
    expect(r.status, r.stderr).toBe(0);
    const created = JSON.parse(r.stdout.slice(r.stdout.indexOf("{"))) as { client_id: string; client_secret: string };
    expect(created.client_secret).toMatch(/^lk_secret_/);
    const rows = await server.query<{ secretHash: string }>(`SELECT "secretHash" FROM "ClientSecret" WHERE "clientId" = ?`, [created.client_id]);
    expect(rows).toEqual([{ secretHash: createHash("sha256").update(created.client_secret).digest("base64url") }]);
    const res = await fetch(`${server.issuer}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "client_credentials", client_id: created.client_id, client_secret: created.client_secret }),
    });
    expect(res.status).toBe(200);
  });

  it("suspending an app makes its tokens inactive within a second, and reactivating it does not bring them back", async () => {
    const tokens = await client.clientCredentialsGrant(config, { scope: "notes:read" });
    const other = server.cli(["clients", "create", "--name", "Introspector", "--owner", "dev@latchkey.local", "--scope", "notes:read", "--grant-types", "client_credentials", "--type", "confidential", "--json"]);
    const rs = JSON.parse(other.stdout.slice(other.stdout.indexOf("{"))) as { client_id: string; client_secret: string };
    const rsConfig = new client.Configuration(config.serverMetadata(), rs.client_id, rs.client_secret);
    client.allowInsecureRequests(rsConfig);
    expect((await client.tokenIntrospection(rsConfig, tokens.access_token)).active).toBe(true);
    const tooLong = server.cli(["clients", "suspend", server.demo.clientId, "--reason", "x".repeat(501)]);
    expect(tooLong.status).toBe(2);
    expect(tooLong.stderr).toContain("--reason is at most 500 characters");
    const s = server.cli(["clients", "suspend", server.demo.clientId, "--reason", "Secret leaked in a public repository", "--json"]);
    expect(s.status, s.stderr).toBe(0);
    expect(JSON.parse(s.stdout.slice(s.stdout.indexOf("{")))).toMatchObject({ status: "suspended", reason: "Secret leaked in a public repository" });
    const deadline = Date.now() + 1000;
    let active = true;
    while (active && Date.now() < deadline) active = (await client.tokenIntrospection(rsConfig, tokens.access_token)).active;
    expect(active).toBe(false);
    expect(server.cli(["clients", "activate", server.demo.clientId]).status).toBe(0);

    // Reactivated, the app gets tokens again (once the change reaches the server's cache); its
    // token from before the suspension stays inactive, though no grant or family held it.
    const until = Date.now() + 2000;
    let fresh: string | null = null;
    while (fresh === null && Date.now() < until) fresh = (await client.clientCredentialsGrant(config, { scope: "notes:read" }).catch(() => null))?.access_token ?? null;
    expect(fresh).not.toBeNull();
    expect((await client.tokenIntrospection(rsConfig, fresh!)).active).toBe(true);
    expect((await client.tokenIntrospection(rsConfig, tokens.access_token)).active).toBe(false);
  });

  it("prints help and clear errors", () => {
    const help = server.cli(["clients", "create", "--help"]);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("--redirect-uri");
    const bad = server.cli(["clients", "create", "--name", "X", "--owner", "nobody@example.com", "--type", "public"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("no user with email nobody@example.com");
  });
});
