// The OpenID Foundation conformance suite's Basic OP plan (`oidcc-basic-certification-test-plan`
// in openid-certification/conformance-suite, OIDCCBasicTestPlan.java), run by hand against the
// real server with the plan's variants: response_type=code, discovery, a static client,
// client_secret_basic (client_secret_post for its one module). One `it` per module, named after
// it, asserting what the module's conditions report as a FAILURE or WARNING. Like the suite, the
// client sends no PKCE unless the module is about PKCE.
import { randomBytes, createHash } from "node:crypto";
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify, type JSONWebKeySet, type JWTPayload } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answerConsent, CookieJar, follow, signIn } from "./helpers/browserless-login";
import { cliJson as cliJsonOf } from "./helpers/cli-json";
import { startServer, type RunningServer } from "./helpers/server";

// The suite's callback (CreateRedirectUri: base_url + "/callback"); never fetched here.
const REDIRECT = "https://localhost.emobix.co.uk:8443/test/a/latchkey/callback";
const USER = { email: "user@latchkey.local", password: "latchkey-user" };

let server: RunningServer;
let meta: Record<string, unknown>;
let jwks: JSONWebKeySet;
let rp: Client;
let rp2: Client;
let user: CookieJar;

interface Client {
  clientId: string;
  clientSecret: string;
}

beforeAll(async () => {
  server = await startServer();
  const create = (name: string) => {
    const app = cliJsonOf<{ client_id: string; client_secret: string }>(server, [
      "clients", "create", "--name", name, "--owner", "dev@latchkey.local", "--redirect-uri", REDIRECT,
      "--scope", "openid profile email address phone offline_access", "--grant-types", "authorization_code,refresh_token",
      "--type", "confidential",
    ]);
    return { clientId: app.client_id, clientSecret: app.client_secret };
  };
  rp = create("Basic OP RP");
  rp2 = create("Basic OP RP 2");
  // The suite's test user has every standard claim (the scope modules warn about a missing one).
  const profile = {
    name: "Uma User", givenName: "Uma", familyName: "User", middleName: "Q", nickname: "umi", preferredUsername: "uma",
    profileUrl: "https://example.test/uma", image: "https://example.test/uma.png", website: "https://uma.example.test",
    gender: "female", birthdate: "1990-04-01", zoneinfo: "Europe/Paris", locale: "fr-FR",
    phoneNumber: "+33 1 23 45 67 89", phoneNumberVerified: true,
    address: JSON.stringify({ formatted: "1 rue de la Paix\n75002 Paris\nFrance", street_address: "1 rue de la Paix", locality: "Paris", region: "IDF", postal_code: "75002", country: "FR" }),
  };
  for (const [column, value] of Object.entries(profile)) {
    await server.execute(`UPDATE "User" SET "${column}" = ? WHERE "email" = ?`, [value, USER.email]);
  }
  user = await signIn(server.issuer, USER.email, USER.password);
  meta = (await (await fetch(`${server.issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
  jwks = (await (await fetch(String(meta.jwks_uri))).json()) as JSONWebKeySet;
}, 300_000);

afterAll(async () => {
  await server?.stop();
});

// --- the suite's client side -------------------------------------------------------------

const random = (bytes = 24) => randomBytes(bytes).toString("base64url");

/** Signs the user in on an existing browser (a second sign-in for prompt=login and max_age). */
async function signInOn(jar: CookieJar): Promise<void> {
  const csrfRes = await fetch(`${server.issuer}/api/auth/csrf`, { headers: { cookie: jar.header() } });
  jar.store(csrfRes);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const res = await fetch(`${server.issuer}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar.header() },
    body: new URLSearchParams({ csrfToken, email: USER.email, password: USER.password, json: "true" }),
  });
  jar.store(res);
  expect(res.status).toBeLessThan(400);
}

interface AuthorizationRequest {
  params: Record<string, string>;
  /** The URL the browser ended on: the client's callback, or a page of the server. */
  url: URL;
  html?: string;
}

/**
 * CreateAuthorizationRequestSteps: response_type, client_id, scope=openid, redirect_uri, a random
 * state and nonce; `overrides` set (or, with null, remove) parameters. Consent is given when asked.
 */
async function authorize(
  jar: CookieJar,
  overrides: Record<string, string | null> = {},
  options: { client?: Client; method?: "GET" | "POST"; reverse?: boolean } = {},
): Promise<AuthorizationRequest> {
  const params: Record<string, string> = {
    client_id: (options.client ?? rp).clientId, redirect_uri: REDIRECT, response_type: "code", scope: "openid",
    state: random(), nonce: random(),
  };
  for (const [name, value] of Object.entries(overrides)) {
    if (value === null) delete params[name];
    else params[name] = value;
  }
  // BuildPlainRedirectToAuthorizationEndpointReorderedParams: another parameter order.
  const entries = Object.entries(params).sort(([a], [b]) => (options.reverse ? b.localeCompare(a) : 0));
  const endpoint = String(meta.authorization_endpoint);
  let step: { url: string; html?: string };
  if (options.method === "POST") {
    const res = await fetch(endpoint, {
      method: "POST", redirect: "manual", body: new URLSearchParams(entries),
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar.header() },
    });
    jar.store(res);
    expect(res.headers.get("location")).toBeTruthy();
    step = await follow(server.issuer, new URL(res.headers.get("location")!, endpoint).href, jar);
  } else {
    step = await follow(server.issuer, `${endpoint}?${new URLSearchParams(entries)}`, jar);
  }
  return { params, ...(await giveConsent(jar, step)) };
}

async function giveConsent(jar: CookieJar, step: { url: string; html?: string }): Promise<{ url: URL; html?: string }> {
  if (step.html?.includes("/oauth/consent/decide")) return { url: new URL(await answerConsent(server.issuer, step.html, jar, "allow")) };
  return { url: new URL(step.url), ...(step.html === undefined ? {} : { html: step.html }) };
}

/** The user signs in on the sign-in page the request led to, and the request carries on. */
async function signInAndContinue(jar: CookieJar, request: AuthorizationRequest): Promise<AuthorizationRequest> {
  expect(request.url.pathname).toBe("/signin");
  await signInOn(jar);
  const back = new URL(request.url.searchParams.get("callbackUrl")!, server.issuer).href;
  return { params: request.params, ...(await giveConsent(jar, await follow(server.issuer, back, jar))) };
}

function shannonBits(s: string): number {
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bitsPerChar = 0;
  for (const n of counts.values()) bitsPerChar -= (n / s.length) * Math.log2(n / s.length);
  return bitsPerChar * s.length;
}

/** onAuthorizationCallbackResponse + EnsureMinimumAuthorizationCodeLength/Entropy. */
function codeFrom(request: AuthorizationRequest): string {
  expect(`${request.url.origin}${request.url.pathname}`).toBe(REDIRECT);
  const callback = request.url.searchParams;
  expect(callback.get("error")).toBeNull();
  expect(callback.get("iss")).toBe(server.issuer); // ValidateIssIfPresentInAuthorizationResponse
  expect(callback.get("state")).toBe(request.params.state ?? null); // CheckStateInAuthorizationResponse
  const code = callback.get("code")!;
  expect(code).toBeTruthy();
  expect(Buffer.byteLength(code) * 8).toBeGreaterThanOrEqual(128);
  expect(shannonBits(code)).toBeGreaterThan(96);
  return code;
}

const ERROR_DESCRIPTION = /^[\x09\x0A\x0D\x20-\x21\x23-\x5B\x5D-\x7E]+$/;

/** performGenericAuthorizationEndpointErrorResponseValidation and the module's error check. */
function expectAuthorizationError(request: AuthorizationRequest, errors: string[], state: string | null = request.params.state ?? null): void {
  expect(`${request.url.origin}${request.url.pathname}`).toBe(REDIRECT);
  const callback = request.url.searchParams;
  expect(errors).toContain(callback.get("error"));
  expect(callback.get("state")).toBe(state);
  expect(callback.get("iss")).toBe(server.issuer);
  expect(callback.has("code")).toBe(false);
  for (const name of callback.keys()) expect(["error", "error_description", "error_uri", "state", "session_state", "iss"]).toContain(name);
  const description = callback.get("error_description");
  if (description !== null) expect(description).toMatch(ERROR_DESCRIPTION);
}

interface TokenAnswer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

async function tokenRequest(params: Record<string, string>, client: Client = rp, auth: "basic" | "post" = "basic"): Promise<TokenAnswer> {
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
  const body = new URLSearchParams(params);
  if (auth === "basic") {
    const basic = `${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret)}`;
    headers.authorization = `Basic ${Buffer.from(basic).toString("base64")}`;
  } else {
    body.set("client_id", client.clientId);
    body.set("client_secret", client.clientSecret);
  }
  const res = await fetch(String(meta.token_endpoint), { method: "POST", headers, body });
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

const redeem = (code: string, client: Client = rp, auth: "basic" | "post" = "basic", extra: Record<string, string> = {}) =>
  tokenRequest({ grant_type: "authorization_code", code, redirect_uri: REDIRECT, ...extra }, client, auth);

/** requestAuthorizationCode and RefreshTokenRequestSteps: a successful token response. */
function expectTokens(answer: TokenAnswer): { accessToken: string; idToken: string; refreshToken?: string } {
  expect(answer.status).toBe(200);
  expect(answer.headers.get("content-type")).toMatch(/^application\/json/);
  expect(answer.headers.get("cache-control")?.split(",").map((s) => s.trim())).toContain("no-store");
  const { access_token: accessToken, id_token: idToken, token_type: tokenType, expires_in: expiresIn, refresh_token: refreshToken } = answer.body;
  expect(String(tokenType).toLowerCase()).toBe("bearer");
  expect(accessToken).toMatch(/^[\x20-\x7E]+$/);
  expect(shannonBits(String(accessToken))).toBeGreaterThan(96);
  expect(typeof expiresIn).toBe("number"); // oidcc-server warns without it (RFC 6749 §5.1)
  expect(expiresIn as number).toBeGreaterThan(0);
  expect(expiresIn as number).toBeLessThanOrEqual(31_536_000);
  expect(typeof idToken).toBe("string");
  if (refreshToken !== undefined) {
    expect(refreshToken).toMatch(/^[\x20-\x7E]+$/);
    expect(shannonBits(String(refreshToken))).toBeGreaterThan(96);
  }
  return { accessToken: String(accessToken), idToken: String(idToken), ...(refreshToken === undefined ? {} : { refreshToken: String(refreshToken) }) };
}

const SCOPE_CLAIMS: Record<string, string[]> = {
  openid: ["sub"],
  profile: ["name", "given_name", "family_name", "middle_name", "nickname", "profile", "picture", "website", "gender", "birthdate", "zoneinfo", "locale", "updated_at", "preferred_username"],
  email: ["email", "email_verified"],
  address: ["address"],
  phone: ["phone_number", "phone_number_verified"],
  offline_access: [],
};

/** EnsureIdTokenDoesNotContainNonRequestedClaims' list. */
const ID_TOKEN_CLAIMS = ["iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "acr", "amr", "azp", "at_hash", "c_hash", "nbf", "jti", "sid", "s_hash", "openbanking_intent_id", "txn"];
const ID_TOKEN_ONLY = ["iss", "aud", "exp", "iat", "auth_time", "nonce", "acr", "amr", "azp", "c_hash", "at_hash", "s_hash", "jti", "nbf", "verified_claims"];

/** AbstractValidateOpenIdStandardClaims: every standard claim present has its type. */
function expectValidStandardClaims(claims: Record<string, unknown>): void {
  const string = (v: unknown) => typeof v === "string" && v.trim() !== "" && v.toLowerCase() !== "null";
  for (const [name, value] of Object.entries(claims)) {
    if (["email_verified", "phone_number_verified"].includes(name)) expect(typeof value, name).toBe("boolean");
    else if (name === "updated_at") expect(typeof value, name).toBe("number");
    else if (name === "birthdate") expect(value, name).toMatch(/^(\d{4}-\d{2}-\d{2}|\d{4})$/);
    else if (name === "address") {
      expect(typeof value).toBe("object");
      const members = Object.entries(value as Record<string, unknown>);
      expect(members.length).toBeGreaterThan(0);
      for (const [member, v] of members) expect(string(v), `address.${member}`).toBe(true);
    } else if (["_claim_names", "_claim_sources"].includes(name)) expect(typeof value).toBe("object");
    else if ([...SCOPE_CLAIMS.profile!, "sub", "email", "phone_number", "txn"].includes(name)) expect(string(value), name).toBe(true);
  }
}

/** PerformStandardIdTokenChecks, EnsureIdTokenContainsKid/SignatureIsRS256, the unrequested-claims check. */
async function verifyIdToken(
  idToken: string,
  options: { client?: Client; nonce?: string | undefined; scope?: string; claims?: string[] } = {},
): Promise<JWTPayload> {
  const header = decodeProtectedHeader(idToken);
  expect(header.alg).toBe("RS256");
  expect(header.kid).toBeTruthy();
  const candidates = jwks.keys.filter((k) => k.kid === header.kid && k.alg === header.alg && k.use === "sig");
  expect(candidates).toHaveLength(1);
  const client = options.client ?? rp;
  const { payload } = await jwtVerify(idToken, createLocalJWKSet(jwks), { issuer: server.issuer, audience: client.clientId, algorithms: ["RS256"] });
  const now = Date.now() / 1000;
  expect(payload.iat!).toBeGreaterThan(now - 300);
  expect(payload.iat!).toBeLessThan(now + 300);
  expect(payload.exp!).toBeGreaterThan(now);
  expect(typeof payload.sub).toBe("string");
  if (payload.auth_time !== undefined) expect(payload.auth_time as number).toBeLessThan(now + 300);
  if (payload.acr !== undefined) expect(typeof payload.acr === "string" && payload.acr !== "").toBe(true);
  expect(payload.nonce).toBe(options.nonce);
  const identity = Object.fromEntries(Object.entries(payload).filter(([k]) => !ID_TOKEN_ONLY.includes(k)));
  expectValidStandardClaims(identity);
  expect(payload).not.toHaveProperty("name"); // EnsureIdTokenDoesNotContainName (warning)
  const allowed = [...ID_TOKEN_CLAIMS, ...(options.scope ?? "openid").split(" ").flatMap((s) => SCOPE_CLAIMS[s] ?? []), ...(options.claims ?? [])];
  for (const claim of Object.keys(payload)) expect(allowed, `unrequested claim ${claim}`).toContain(claim);
  return payload;
}

async function userinfo(accessToken: string, how: "get" | "post-header" | "post-body" = "get"): Promise<Response> {
  const endpoint = String(meta.userinfo_endpoint);
  if (how === "get") return fetch(endpoint, { headers: { authorization: `Bearer ${accessToken}` } });
  if (how === "post-header") return fetch(endpoint, { method: "POST", headers: { authorization: `Bearer ${accessToken}` } });
  return fetch(endpoint, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ access_token: accessToken }),
  });
}

/** AbstractOIDCCUserInfoTest / AbstractOIDCCReturnedClaimsServerTest checks on a userinfo answer. */
async function expectUserinfo(res: Response, sub: string, scope: string): Promise<Record<string, unknown>> {
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  const info = (await res.json()) as Record<string, unknown>;
  expect(info.sub).toBe(sub);
  expectValidStandardClaims(info);
  if (info.updated_at !== undefined) {
    expect(info.updated_at as number).toBeGreaterThan(Date.UTC(1990, 0, 1) / 1000);
    expect(info.updated_at as number).toBeLessThan(Date.now() / 1000 + 300);
  }
  // VerifyScopesReturnedInUserInfoClaims (warning): every claim of every requested scope.
  for (const s of scope.split(" ")) for (const claim of SCOPE_CLAIMS[s] ?? []) expect(info, `${s} claim ${claim}`).toHaveProperty(claim);
  return info;
}

/** A complete happy flow: authorization request, code, token response, ID token checks. */
async function happyFlow(
  overrides: Record<string, string | null> = {},
  options: { client?: Client; auth?: "basic" | "post"; method?: "GET" | "POST"; reverse?: boolean; jar?: CookieJar; claims?: string[] } = {},
) {
  const request = await authorize(options.jar ?? user, overrides, options);
  const tokens = expectTokens(await redeem(codeFrom(request), options.client, options.auth));
  const claims = await verifyIdToken(tokens.idToken, {
    client: options.client, nonce: request.params.nonce, scope: request.params.scope, claims: options.claims,
  });
  return { request, tokens, claims };
}

/** Polls the clock (no fixed sleep) until a whole second after `epochSeconds` has begun. */
async function untilSecondAfter(epochSeconds: number, seconds = 1): Promise<void> {
  while (Date.now() / 1000 < epochSeconds + seconds + 0.01) await new Promise((r) => setTimeout(r, 50));
}

// --- the modules -------------------------------------------------------------------------

describe("OpenID Foundation Basic OP plan", () => {
  it("oidcc-server: discovery, JWKS, a code flow with client_secret_basic, a valid ID token and userinfo", async () => {
    // CheckServerConfiguration and the ClientSecretBasic / refresh / scope discovery checks.
    for (const name of ["issuer", "authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri"]) {
      expect(() => new URL(String(meta[name]))).not.toThrow();
    }
    expect(meta.issuer).toBe(server.issuer);
    expect(meta.token_endpoint_auth_methods_supported).toEqual(expect.arrayContaining(["client_secret_basic", "client_secret_post"]));
    expect(meta.response_types_supported).toContain("code");
    expect(meta.id_token_signing_alg_values_supported).toContain("RS256");
    expect(meta.scopes_supported).toEqual(expect.arrayContaining(["openid", "profile", "email", "address", "phone", "offline_access"]));
    expect(meta.grant_types_supported).toContain("refresh_token");
    // FetchServerKeys, ValidateJwksSequence, CheckForKeyIdInServerJWKs, CheckDistinctKeyIdValueInServerJWKs.
    expect(jwks.keys.length).toBeGreaterThan(0);
    for (const key of jwks.keys) {
      expect(key.kid).toBeTruthy();
      expect(["RSA", "EC"]).toContain(key.kty);
      expect(["RS256", "ES256", "PS256", "EdDSA", "ES384", "RS384"]).toContain(key.alg);
      for (const secret of ["d", "p", "q", "dp", "dq", "qi", "k"]) expect(key).not.toHaveProperty(secret);
    }
    expect(new Set(jwks.keys.map((k) => k.kid)).size).toBe(jwks.keys.length);

    const { tokens, claims } = await happyFlow();
    expect(claims.at_hash).toBe(createHash("sha256").update(tokens.accessToken).digest().subarray(0, 16).toString("base64url"));
    await expectUserinfo(await userinfo(tokens.accessToken), claims.sub!, "openid");
  });

  it("oidcc-response-type-missing: invalid_request at the redirect URI with state and iss only", async () => {
    const request = await authorize(user, { response_type: null });
    expectAuthorizationError(request, ["invalid_request", "unsupported_response_type"]);
  });

  it("oidcc-idtoken-signature / oidcc-idtoken-unsigned (dynamic clients only; checked anyway): RS256 with a kid, never none", async () => {
    const { tokens } = await happyFlow();
    expect(decodeProtectedHeader(tokens.idToken)).toMatchObject({ alg: "RS256", kid: expect.any(String) });
    // oidcc-idtoken-unsigned is skipped (acceptable for certification) when discovery does not offer none.
    expect(meta.id_token_signing_alg_values_supported).not.toContain("none");
  });

  it.each(["get", "post-header", "post-body"] as const)("oidcc-userinfo-%s: userinfo answers 200 JSON with the ID token's sub", async (how) => {
    const { tokens, claims } = await happyFlow();
    await expectUserinfo(await userinfo(tokens.accessToken, how), claims.sub!, "openid");
  });

  it("oidcc-ensure-request-without-nonce-succeeds-for-code-flow: a code without a nonce, and an ID token without one", async () => {
    const { claims } = await happyFlow({ nonce: null });
    expect(claims).not.toHaveProperty("nonce");
  });

  it.each([
    ["oidcc-scope-profile", "openid profile"],
    ["oidcc-scope-email", "openid email"],
    ["oidcc-scope-address", "openid address"],
    ["oidcc-scope-phone", "openid phone"],
    ["oidcc-scope-all", "openid email phone address profile"],
  ])("%s: every claim of the scope from userinfo, none in the ID token (OIDC Core §5.4)", async (_module, scope) => {
    const { tokens, claims } = await happyFlow({ scope });
    await expectUserinfo(await userinfo(tokens.accessToken), claims.sub!, scope);
    for (const claim of scope.split(" ").flatMap((s) => SCOPE_CLAIMS[s] ?? [])) if (claim !== "sub") expect(claims).not.toHaveProperty(claim);
  });

  it("oidcc-alternate-happy-flow: reversed scope order and reordered parameters", async () => {
    const { tokens, claims } = await happyFlow({ scope: "email openid" }, { reverse: true });
    const info = await expectUserinfo(await userinfo(tokens.accessToken), claims.sub!, "openid email");
    expect(info).not.toHaveProperty("name");
  });

  it.each([
    ["oidcc-display-page", { display: "page" }],
    ["oidcc-display-popup", { display: "popup" }],
    ["oidcc-ensure-request-with-unknown-parameter-succeeds", { extra: "foobar" }],
    ["oidcc-claims-locales", { claims_locales: "se" }],
  ])("%s: the parameter does not cause an error", async (_module, extra) => {
    await happyFlow(extra);
  });

  it.each([
    ["oidcc-login-hint", { login_hint: "buffy@localhost" }],
    ["oidcc-ui-locales", { ui_locales: "se" }],
  ])("%s: a browser without a session signs in and gets a code", async (_module, extra) => {
    const jar = new CookieJar();
    const first = await authorize(jar, extra);
    const request = await signInAndContinue(jar, first);
    const tokens = expectTokens(await redeem(codeFrom(request)));
    await verifyIdToken(tokens.idToken, { nonce: request.params.nonce });
  });

  it("oidcc-prompt-login: a second sign-in is required and auth_time moves forward", async () => {
    const jar = await signIn(server.issuer, USER.email, USER.password);
    const first = await happyFlow({}, { jar });
    await untilSecondAfter(first.claims.auth_time as number);
    const second = await authorize(jar, { prompt: "login" });
    expect(second.url.pathname).toBe("/signin");
    const after = await signInAndContinue(jar, second);
    const tokens = expectTokens(await redeem(codeFrom(after)));
    const claims = await verifyIdToken(tokens.idToken, { nonce: after.params.nonce });
    expect(claims.auth_time as number).toBeGreaterThan(first.claims.auth_time as number);
  });

  it("oidcc-prompt-none-not-logged-in: login_required without a session, a 128-character state intact", async () => {
    const state = random(96);
    const request = await authorize(new CookieJar(), { prompt: "none", state });
    expect(state).toHaveLength(128);
    expectAuthorizationError(request, ["interaction_required", "login_required", "account_selection_required", "consent_required"], state);
  });

  it.each([
    ["oidcc-prompt-none-logged-in", { prompt: "none" }],
    ["oidcc-id-token-hint", { prompt: "none", id_token_hint: "" }],
  ])("%s: a signed-in user gets a code without interaction, same sub and auth_time", async (module, second) => {
    const first = await happyFlow();
    const extra = module === "oidcc-id-token-hint" ? { ...second, id_token_hint: first.tokens.idToken } : second;
    const again = await happyFlow(extra);
    expect(again.claims.sub).toBe(first.claims.sub);
    expect(again.claims.auth_time).toBe(first.claims.auth_time);
  });

  it("oidcc-max-age-1: a sign-in older than max_age=1 needs a new one, and auth_time says when", async () => {
    const jar = await signIn(server.issuer, USER.email, USER.password);
    const first = await happyFlow({}, { jar });
    expect(first.claims.auth_time).toEqual(expect.any(Number));
    await untilSecondAfter(first.claims.auth_time as number, 2);
    const second = await authorize(jar, { max_age: "1" });
    expect(second.url.pathname).toBe("/signin");
    const after = await signInAndContinue(jar, second);
    const tokens = expectTokens(await redeem(codeFrom(after)));
    const claims = await verifyIdToken(tokens.idToken, { nonce: after.params.nonce });
    expect(claims.auth_time).toEqual(expect.any(Number)); // CheckIdTokenAuthTimeClaimPresentDueToMaxAge
    expect(claims.auth_time as number).toBeGreaterThan(first.claims.auth_time as number);
    expect(claims.auth_time as number).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000) - 301);
  });

  it("oidcc-max-age-10000: a recent sign-in is kept; auth_time present and unchanged", async () => {
    const first = await happyFlow({ max_age: "15000" });
    expect(first.claims.auth_time).toEqual(expect.any(Number));
    const second = await happyFlow({ max_age: "10000" });
    expect(second.claims.auth_time).toBe(first.claims.auth_time);
    expect(second.claims.sub).toBe(first.claims.sub);
  });

  it("oidcc-ensure-request-with-acr-values-succeeds: the ID token's acr is one of acr_values_supported", async () => {
    const supported = meta.acr_values_supported as string[];
    expect(supported.length).toBeGreaterThan(0);
    const { claims } = await happyFlow({ acr_values: supported.join(" ") });
    expect(supported).toContain(claims.acr);
  });

  it("oidcc-codereuse / oidcc-codereuse-30seconds: a second redemption is invalid_grant and revokes the first tokens", async () => {
    // The 30-second wait is not repeated: a used code is kept, marked consumed, so a replay at
    // any later time still finds the tokens it must revoke.
    const request = await authorize(user);
    const code = codeFrom(request);
    const tokens = expectTokens(await redeem(code));
    expect((await userinfo(tokens.accessToken)).status).toBe(200);
    const replay = await redeem(code);
    expect(replay.status).toBe(400);
    expect(replay.headers.get("content-type")).toMatch(/^application\/json/);
    expect(replay.body.error).toBe("invalid_grant");
    expect(String(replay.body.error_description)).toMatch(ERROR_DESCRIPTION);
    expect(replay.body).not.toHaveProperty("error_uri");
    const after = await userinfo(tokens.accessToken);
    expect(after.status).toBe(401); // EnsureHttpStatusCodeIs4xx (warning), RFC 6749 §4.1.2
  });

  it("oidcc-ensure-registered-redirect-uri: an unregistered redirect_uri gets an error page, no redirect", async () => {
    const bad = `${REDIRECT}/${random(8)}`;
    const request = await authorize(user, { redirect_uri: bad });
    expect(request.url.origin).toBe(server.issuer);
    expect(request.url.pathname).toBe("/oauth/error");
    expect(request.url.searchParams.get("error")).toBe("invalid_redirect_uri");
  });

  it("oidcc-ensure-post-request-succeeds: the authorization request as a form POST (OIDC Core §3.1.2.1)", async () => {
    await happyFlow({}, { method: "POST" });
  });

  it("oidcc-server-client-secret-post: the same flow with client_secret_post", async () => {
    const { tokens, claims } = await happyFlow({}, { auth: "post" });
    await expectUserinfo(await userinfo(tokens.accessToken), claims.sub!, "openid");
  });

  it("oidcc-unsigned-request-object-supported-correctly-or-rejected-as-unsupported: request_not_supported", async () => {
    // skipTestIfNoneUnsupported runs the module unless discovery lists signing algorithms without none.
    expect(meta.request_parameter_supported).toBe(false);
    const state = random();
    const requestObject = [
      Buffer.from(JSON.stringify({ alg: "none" })).toString("base64url"),
      Buffer.from(JSON.stringify({ client_id: rp.clientId, redirect_uri: REDIRECT, response_type: "code", scope: "openid", state, nonce: random() })).toString("base64url"),
      "",
    ].join(".");
    const request = await authorize(user, { request: requestObject, state: null, nonce: null });
    expectAuthorizationError(request, ["request_not_supported"], null);
  });

  it("oidcc-request-uri-unsigned-supported-correctly-or-rejected-as-unsupported (dynamic clients only; checked anyway): request_uri_not_supported", async () => {
    expect(meta.request_uri_parameter_supported).toBe(false);
    const request = await authorize(user, { request_uri: "https://localhost.emobix.co.uk:8443/test/a/latchkey/requesturi/abc#x", state: null, nonce: null });
    expectAuthorizationError(request, ["request_uri_not_supported"], null);
  });

  it("oidcc-ensure-request-object-with-redirect-uri: an unregistered redirect_uri beside a request object is an error page", async () => {
    const requestObject = [
      Buffer.from(JSON.stringify({ alg: "none" })).toString("base64url"),
      Buffer.from(JSON.stringify({ client_id: rp.clientId, redirect_uri: REDIRECT, response_type: "code", scope: "openid", state: random() })).toString("base64url"),
      "",
    ].join(".");
    const request = await authorize(user, { request: requestObject, redirect_uri: `${REDIRECT}/${random(8)}`, state: null, nonce: null });
    expect(request.url.origin).toBe(server.issuer);
    expect(request.url.pathname).toBe("/oauth/error");
  });

  it("oidcc-claims-essential: an essential userinfo name is returned from userinfo, not in the ID token", async () => {
    const claimsParam = JSON.stringify({ userinfo: { name: { essential: true } } });
    const { tokens, claims } = await happyFlow({ claims: claimsParam });
    const info = await expectUserinfo(await userinfo(tokens.accessToken), claims.sub!, "openid");
    expect(info.name).toBe("Uma User"); // EnsureUserInfoContainsName (warning)
    expect(claims).not.toHaveProperty("name");
  });

  it("oidcc-refresh-token: offline_access with prompt=consent, a refresh keeps the ID token's identity, another client's refresh token is refused", async () => {
    const scope = "openid offline_access";
    const first = await happyFlow({ scope, prompt: "consent" });
    expect(first.tokens.refreshToken).toBeDefined();
    expect(Buffer.byteLength(first.tokens.refreshToken!) * 8).toBeGreaterThanOrEqual(128);
    await untilSecondAfter(first.claims.iat!); // the suite waits so iat differs
    const refreshed = await tokenRequest({ grant_type: "refresh_token", refresh_token: first.tokens.refreshToken!, scope });
    const second = expectTokens(refreshed);
    expect(second.accessToken).not.toBe(first.tokens.accessToken);
    // CompareIdTokenClaims (OIDC Core §12.2).
    const claims = await verifyIdToken(second.idToken, { scope, nonce: undefined });
    for (const name of ["iss", "sub", "aud", "azp", "auth_time"] as const) expect(claims[name]).toEqual(first.claims[name]);
    expect(claims.iat).not.toBe(first.claims.iat);
    expect((await userinfo(second.accessToken)).status).toBe(200);

    // The second client, then its refresh token presented by the first (RefreshTokenRequestExpectingErrorSteps).
    const other = await happyFlow({ scope, prompt: "consent" }, { client: rp2 });
    const otherRefreshed = expectTokens(await tokenRequest({ grant_type: "refresh_token", refresh_token: other.tokens.refreshToken! }, rp2));
    const stolen = await tokenRequest({ grant_type: "refresh_token", refresh_token: otherRefreshed.refreshToken ?? other.tokens.refreshToken!, scope }, rp);
    expect(stolen.status).toBe(400);
    expect(stolen.headers.get("content-type")).toMatch(/^application\/json/);
    expect(stolen.body.error).toBe("invalid_grant");
  });

  it("oidcc-ensure-request-with-valid-pkce-succeeds: S256 PKCE from a confidential client", async () => {
    const verifier = random(32);
    const challenge = createHash("sha256").update(verifier).digest("base64url");
    const request = await authorize(user, { code_challenge: challenge, code_challenge_method: "S256" });
    const tokens = expectTokens(await redeem(codeFrom(request), rp, "basic", { code_verifier: verifier }));
    await verifyIdToken(tokens.idToken, { nonce: request.params.nonce });
    expect(decodeJwt(tokens.idToken).sub).toBeTruthy();
  });
});
