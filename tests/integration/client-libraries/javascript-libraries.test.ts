// openid-client 5, simple-oauth2, passport-oauth2 and Auth.js (@auth/core) against the real
// server, each with its default settings; the user's part (sign-in, consent) over HTTP.
import { Auth, type AuthConfig } from "@auth/core";
import { decodeProtectedHeader } from "jose";
import { errors, generators, Issuer, type BaseClient, type TokenSet } from "openid-client-5";
import OAuth2Strategy from "passport-oauth2";
import { AuthorizationCode, ClientCredentials } from "simple-oauth2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { follow, signIn, CookieJar } from "../helpers/browserless-login";
import { cliJson } from "../helpers/cli-json";
import { AUTHJS_ORIGIN, AUTHJS_REDIRECT, consent, REDIRECT, SCOPE, startHarness, USER, type ClientCredentials as Credentials, type Harness } from "./harness";

// Long enough for openid-client 5, which refetches a JWKS at most once a minute.
const ACTIVATION_DELAY = 62;

let h: Harness;
let discovery: Record<string, unknown> & { token_endpoint: string; authorization_endpoint: string; revocation_endpoint: string; userinfo_endpoint: string };
/** Warmed (JWKS fetched) before `keys rotate`, then left alone until the rotation test. */
let warm: { client: BaseClient; tokens: TokenSet; newKid: string };

beforeAll(async () => {
  h = await startHarness({ LATCHKEY_KEY_ACTIVATION_DELAY: String(ACTIVATION_DELAY) });
  discovery = (await (await fetch(`${h.server.issuer}/.well-known/openid-configuration`)).json()) as typeof discovery;
  const client = await oidcClient(h.confidential);
  const tokens = await oidcCodeFlow(client);
  const rotated = cliJson<{ keys: { kid: string; alg: string }[] }>(h.server, ["keys", "rotate"]);
  warm = { client, tokens, newKid: rotated.keys.find((k) => k.alg === "RS256")!.kid };
}, 300_000);

afterAll(async () => {
  await h?.server.stop();
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** openid-client 5 with its defaults: discovery, RS256 ID tokens, client_secret_basic or none. */
async function oidcClient(credentials: Credentials, metadata: Record<string, unknown> = {}): Promise<BaseClient> {
  const issuer = await Issuer.discover(h.server.issuer);
  return new issuer.Client({
    ...credentials,
    redirect_uris: [REDIRECT],
    response_types: ["code"],
    ...(credentials.client_secret === undefined ? { token_endpoint_auth_method: "none" } : {}),
    ...metadata,
  });
}

async function oidcCodeFlow(client: BaseClient, jar: CookieJar = h.user): Promise<TokenSet> {
  const codeVerifier = generators.codeVerifier();
  const state = generators.state();
  const nonce = generators.nonce();
  const url = client.authorizationUrl({ scope: SCOPE, state, nonce, code_challenge: generators.codeChallenge(codeVerifier), code_challenge_method: "S256" });
  const callback = await consent({ ...h, user: jar }, url);
  return client.callback(REDIRECT, client.callbackParams(callback), { code_verifier: codeVerifier, state, nonce });
}

async function opError(promise: Promise<unknown>): Promise<errors.OPError> {
  const err = await promise.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(errors.OPError);
  return err as errors.OPError;
}

describe("openid-client 5", () => {
  it("discovers the issuer with an end_session_endpoint", async () => {
    const issuer = await Issuer.discover(h.server.issuer);
    expect(issuer.metadata.issuer).toBe(h.server.issuer);
    expect(issuer.metadata.end_session_endpoint, "no end_session_endpoint in discovery (RP-Initiated Logout 1.0)").toBe(`${h.server.issuer}/oauth/logout`);
  });

  it("completes code + PKCE as a confidential client: RS256 ID token validated, userinfo, refresh, introspection, revocation", async () => {
    const client = await oidcClient(h.confidential);
    const tokens = await oidcCodeFlow(client);
    expect(decodeProtectedHeader(tokens.id_token!).alg).toBe("RS256");
    const claims = tokens.claims();
    expect(claims).toMatchObject({ iss: h.server.issuer, aud: h.confidential.client_id, at_hash: expect.any(String) });
    expect(await client.userinfo(tokens)).toMatchObject({ sub: claims.sub, email: USER.email, name: USER.name });

    const refreshed = await client.refresh(tokens);
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    expect(refreshed.claims().sub).toBe(claims.sub);
    expect(await client.introspect(refreshed.access_token!)).toMatchObject({ active: true, client_id: h.confidential.client_id });

    await client.revoke(refreshed.refresh_token!, "refresh_token");
    expect((await opError(client.refresh(refreshed))).error).toBe("invalid_grant");
  });

  it("completes code + PKCE as a public client (token_endpoint_auth_method none)", async () => {
    const client = await oidcClient(h.public);
    const tokens = await oidcCodeFlow(client);
    expect(tokens.claims()).toMatchObject({ iss: h.server.issuer, aud: h.public.client_id });
    expect((await client.refresh(tokens)).claims().aud).toBe(h.public.client_id);
  });

  it("reports invalid_grant for a replayed code and invalid_client for a wrong secret", async () => {
    const client = await oidcClient(h.confidential);
    const codeVerifier = generators.codeVerifier();
    const url = client.authorizationUrl({ scope: "openid", state: "s", nonce: "n", code_challenge: generators.codeChallenge(codeVerifier), code_challenge_method: "S256" });
    const params = client.callbackParams(await consent(h, url));
    await client.callback(REDIRECT, params, { code_verifier: codeVerifier, state: "s", nonce: "n" });
    expect((await opError(client.callback(REDIRECT, params, { code_verifier: codeVerifier, state: "s", nonce: "n" }))).error).toBe("invalid_grant");

    const wrong = await oidcClient({ ...h.confidential, client_secret: "lk_secret_wrong" });
    const err = await opError(wrong.grant({ grant_type: "client_credentials", scope: "notes:read" }));
    expect(err.error).toBe("invalid_client");
    expect(err.response?.statusCode).toBe(401);
  });

  it("gets a client credentials token with grant()", async () => {
    const client = await oidcClient(h.confidential);
    const tokens = await client.grant({ grant_type: "client_credentials", scope: "notes:read" });
    expect(tokens).toMatchObject({ token_type: "Bearer", scope: "notes:read" });
    expect(tokens.refresh_token).toBeUndefined();
  });

  it("builds an endSessionUrl() the server accepts: a registered post_logout_redirect_uri gets state back, the session ends", async () => {
    const postLogout = "http://127.0.0.1:8790/logged-out";
    cliJson(h.server, ["clients", "update", h.confidential.client_id, "--post-logout-redirect-uri", postLogout]);
    const jar = await signIn(h.server.issuer, USER.email, USER.password);
    const client = await oidcClient(h.confidential, { post_logout_redirect_uris: [postLogout] });
    const tokens = await oidcCodeFlow(client, jar);

    const url = new URL(client.endSessionUrl({ id_token_hint: tokens, state: "bye" }));
    expect(url.origin + url.pathname).toBe(`${h.server.issuer}/oauth/logout`);
    expect(Object.fromEntries(url.searchParams)).toEqual({ id_token_hint: tokens.id_token, post_logout_redirect_uri: postLogout, state: "bye", client_id: h.confidential.client_id });

    // An unregistered URI is refused on the server's own page, never redirected to.
    const unregistered = new URL(client.endSessionUrl({ id_token_hint: tokens, post_logout_redirect_uri: "http://127.0.0.1:8790/elsewhere", state: "x" }));
    const refused = await follow(h.server.issuer, unregistered.href, jar);
    expect(refused.url.startsWith(h.server.issuer)).toBe(true);

    const landed = await follow(h.server.issuer, url.href, jar);
    expect(landed.url).toBe(`${postLogout}?state=bye`);
    // Signed out: a silent authorization request now needs a login.
    const silent = client.authorizationUrl({ scope: "openid", state: "s", prompt: "none", code_challenge: generators.codeChallenge(generators.codeVerifier()), code_challenge_method: "S256" });
    expect(new URL((await follow(h.server.issuer, silent, jar)).url).searchParams.get("error")).toBe("login_required");
  });

  it("keeps validating ID tokens with a JWKS cached before `keys rotate` until and after the new key signs", async () => {
    const { client, newKid } = warm;
    let tokens = warm.tokens;
    const deadline = Date.now() + (ACTIVATION_DELAY + 60) * 1000;
    let sawNewKey = false;
    for (let afterSwitch = 0; afterSwitch < 2; ) {
      expect(Date.now(), "the new key never started signing").toBeLessThan(deadline);
      tokens = await client.refresh(tokens);
      expect(tokens.claims().aud).toBe(h.confidential.client_id);
      if (decodeProtectedHeader(tokens.id_token!).kid === newKid) sawNewKey = true;
      if (sawNewKey) afterSwitch++;
      else await pause(1000);
    }
  }, (ACTIVATION_DELAY + 90) * 1000);
});

describe("simple-oauth2", () => {
  const config = (credentials: Required<Credentials>) => ({
    client: { id: credentials.client_id, secret: credentials.client_secret },
    auth: {
      tokenHost: h.server.issuer,
      tokenPath: new URL(discovery.token_endpoint).pathname,
      revokePath: new URL(discovery.revocation_endpoint).pathname,
    },
  });
  const codeConfig = (credentials: Required<Credentials>) => {
    const c = config(credentials);
    return { ...c, auth: { ...c.auth, authorizePath: new URL(discovery.authorization_endpoint).pathname } };
  };

  async function payloadOf(promise: Promise<unknown>): Promise<{ statusCode: number; payload: { error: string } }> {
    const err = (await promise.then(() => null, (e: unknown) => e)) as { output?: { statusCode: number }; data?: { payload: { error: string } } } | null;
    expect(err?.data, "simple-oauth2 did not report the error answer").toBeDefined();
    return { statusCode: err!.output!.statusCode, payload: err!.data!.payload };
  }

  it("completes code + PKCE, refreshes, revokes with revoke() and revokeAll(), and reports invalid_grant", async () => {
    const client = new AuthorizationCode(codeConfig(h.confidential));
    const verifier = generators.codeVerifier();
    const url = client.authorizeURL({ redirect_uri: REDIRECT, scope: SCOPE, state: "st", code_challenge: generators.codeChallenge(verifier), code_challenge_method: "S256" } as Parameters<AuthorizationCode["authorizeURL"]>[0]);
    const code = new URL(await consent(h, url)).searchParams.get("code")!;
    const params = { code, redirect_uri: REDIRECT, code_verifier: verifier };
    const token = await client.getToken(params);
    expect(token.expired()).toBe(false);
    expect(token.token.id_token).toBeTruthy();

    const refreshed = await token.refresh();
    expect(refreshed.token.refresh_token).not.toBe(token.token.refresh_token);
    await refreshed.revoke("access_token");
    await refreshed.revokeAll();
    expect((await payloadOf(refreshed.refresh())).payload.error).toBe("invalid_grant");
    expect(await payloadOf(client.getToken(params))).toEqual({ statusCode: 400, payload: expect.objectContaining({ error: "invalid_grant" }) });
  });

  it("gets a client credentials token; revoking another client's token is refused with unauthorized_client and leaves it active", async () => {
    const token = await new ClientCredentials(config(h.confidential)).getToken({ scope: "notes:read" });
    expect(token.token).toMatchObject({ token_type: "Bearer", scope: "notes:read" });

    const publicTokens = await oidcCodeFlow(await oidcClient(h.public));
    const stranger = new AuthorizationCode(codeConfig(h.confidential)).createToken({ refresh_token: publicTokens.refresh_token, access_token: publicTokens.access_token });
    expect(await payloadOf(stranger.revoke("refresh_token"))).toEqual({ statusCode: 400, payload: expect.objectContaining({ error: "unauthorized_client" }) });
    const stillValid = await (await oidcClient(h.public)).refresh(publicTokens);
    expect(stillValid.access_token).toBeTruthy();
  });
});

describe("passport-oauth2", () => {
  type Outcome = { redirect: string } | { user: Record<string, unknown>; info: unknown } | { error: Error & { code?: string } } | { fail: unknown };

  function strategy() {
    const s = new OAuth2Strategy(
      {
        authorizationURL: discovery.authorization_endpoint,
        tokenURL: discovery.token_endpoint,
        clientID: h.confidential.client_id,
        clientSecret: h.confidential.client_secret,
        callbackURL: REDIRECT,
        scope: SCOPE.split(" "),
        state: true,
        pkce: true,
      },
      (accessToken: string, refreshToken: string, params: Record<string, unknown>, profile: Record<string, unknown>, done: (err: null, user: Record<string, unknown>) => void) =>
        done(null, { accessToken, refreshToken, params, profile }),
    );
    // What strategies built on passport-oauth2 do: the profile from userinfo, with a bearer header.
    s.userProfile = function (accessToken, done) {
      this._oauth2.useAuthorizationHeaderforGET(true);
      this._oauth2.get(discovery.userinfo_endpoint, accessToken, (err, body) => (err ? done(err) : done(null, JSON.parse(String(body)))));
    };
    return s;
  }

  /** passport.authenticate() without Express: the strategy's actions become the outcome. */
  function authenticate(s: OAuth2Strategy, req: Record<string, unknown>): Promise<Outcome> {
    return new Promise((resolve) => {
      const run = Object.create(s) as OAuth2Strategy & Record<string, unknown>;
      run.redirect = (url: string) => resolve({ redirect: url });
      run.success = (user: Record<string, unknown>, info: unknown) => resolve({ user, info });
      run.error = (error: Error) => resolve({ error });
      run.fail = (fail: unknown) => resolve({ fail });
      run.authenticate(req as never, {});
    });
  }

  it("signs in with code + PKCE and client_secret_post, gets the userinfo profile, and surfaces invalid_grant as a TokenError", async () => {
    const s = strategy();
    const session = {};
    const start = await authenticate(s, { session, query: {}, headers: {} });
    expect(start).toHaveProperty("redirect");
    const { redirect } = start as { redirect: string };
    expect(new URL(redirect).searchParams.get("code_challenge_method")).toBe("S256");
    const query = Object.fromEntries(new URL(await consent(h, redirect)).searchParams);
    const sessionBeforeCallback = structuredClone(session);

    const done = await authenticate(s, { session, query, headers: {} });
    expect(done).toHaveProperty("user");
    const { user } = done as unknown as { user: { refreshToken: string; params: Record<string, unknown>; profile: Record<string, unknown> } };
    expect(user.refreshToken).toMatch(/^lk_rt_/);
    expect(user.params).toMatchObject({ token_type: "Bearer", id_token: expect.any(String) });
    expect(user.profile).toMatchObject({ email: USER.email, name: USER.name });

    // The same callback replayed with the session as it was: the code is spent.
    const replay = await authenticate(s, { session: sessionBeforeCallback, query, headers: {} });
    expect(replay).toHaveProperty("error");
    const { error } = replay as { error: Error & { code?: string } };
    expect(error.name).toBe("TokenError");
    expect(error.code).toBe("invalid_grant");
  });
});

describe("Auth.js (@auth/core) with a public client", () => {
  const authConfig = (): AuthConfig => ({
    basePath: "/auth",
    secret: "interop-test-secret-at-least-32-characters",
    trustHost: true,
    providers: [
      {
        id: "latchkey",
        name: "Latchkey",
        type: "oidc",
        issuer: h.server.issuer,
        clientId: h.public.client_id,
        // Auth.js sends client_secret_basic unless told that the client has no secret.
        client: { token_endpoint_auth_method: "none" },
        checks: ["pkce", "state", "nonce"],
        // The ID token is still validated; name and email come from userinfo, where the server
        // returns scope claims when it issues an access token (OIDC Core §5.4).
        idToken: false,
      },
    ],
  });

  async function call(jar: CookieJar, path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set("cookie", jar.header());
    const res = await Auth(new Request(new URL(path, AUTHJS_ORIGIN), { ...init, headers }), authConfig());
    jar.store(res);
    return res;
  }

  it("signs in through signin → authorization URL → callback: the session holds the user from userinfo", async () => {
    const app = new CookieJar();
    const { csrfToken } = (await (await call(app, "/auth/csrf")).json()) as { csrfToken: string };
    const signin = await call(app, "/auth/signin/latchkey", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrfToken, callbackUrl: `${AUTHJS_ORIGIN}/dashboard` }),
    });
    expect(signin.status).toBe(302);
    const authorizationUrl = new URL(signin.headers.get("location")!);
    expect(authorizationUrl.origin).toBe(h.server.issuer);
    expect(authorizationUrl.searchParams.get("redirect_uri")).toBe(AUTHJS_REDIRECT);
    expect(authorizationUrl.searchParams.get("code_challenge_method")).toBe("S256");

    const callback = new URL(await consent(h, authorizationUrl.href));
    expect(callback.origin + callback.pathname).toBe(AUTHJS_REDIRECT);
    const done = await call(app, callback.pathname + callback.search);
    expect(done.headers.get("location")).toBe(`${AUTHJS_ORIGIN}/dashboard`);

    const session = (await (await call(app, "/auth/session")).json()) as { user?: { email: string; name: string } };
    expect(session.user).toMatchObject({ email: USER.email, name: USER.name });
  });
});
