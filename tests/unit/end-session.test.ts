import { compactVerify, decodeJwt, decodeProtectedHeader } from "jose";
import { beforeEach, describe, expect, it } from "vitest";
import { hintMatchesSession, postLogoutRedirectUrl, validateEndSessionRequest, type LogoutClient } from "@/lib/oauth/end-session";
import { signIdToken } from "@/lib/oauth/id-token";
import { signCompactJws } from "@/lib/oauth/jws";
import { BACKCHANNEL_LOGOUT_EVENT, LOGOUT_TOKEN_TTL, signLogoutToken } from "@/lib/oauth/logout-token";
import { body, createEnv, createSigningKey, USER, type Env } from "./helpers/fixtures";
import { exchangeCode } from "./helpers/flows";

let env: Env;
const REGISTERED = "https://app.example/signed-out";
const clients: Record<string, LogoutClient> = {
  "web-app": { id: "web-app", postLogoutRedirectUris: [REGISTERED, "https://app.example/bye?from=op"], active: true },
  "other-app": { id: "other-app", postLogoutRedirectUris: [], active: true },
  "suspended-app": { id: "suspended-app", postLogoutRedirectUris: [REGISTERED], active: false },
};
const lookup = async (id: string) => clients[id] ?? null;

beforeEach(async () => {
  env = await createEnv();
});

async function idToken(options: { clientId?: string; sessionId?: string | null } = {}) {
  return signIdToken(env.ctx, {
    clientId: options.clientId ?? "web-app",
    userId: USER.id,
    authTime: env.clock.now(),
    nonce: null,
    scope: ["openid"],
    accessToken: "at",
    context: { sessionId: options.sessionId === undefined ? "sid-1" : options.sessionId, acr: null, amr: [], claims: null },
  });
}

async function validate(params: Record<string, string>) {
  return validateEndSessionRequest(env.ctx, new URLSearchParams(params), lookup);
}

describe("end_session_endpoint request validation (RP-Initiated Logout 1.0)", () => {
  it("accepts an ID token hint and takes the client from its audience", async () => {
    const result = await validate({ id_token_hint: await idToken(), post_logout_redirect_uri: REGISTERED, state: "xyz" });
    expect(result).toEqual({
      type: "ok",
      request: { clientId: "web-app", postLogoutRedirectUri: REGISTERED, state: "xyz", hint: { sub: USER.id, sid: "sid-1" } },
    });
  });

  it("sends nobody back to a suspended or revoked app: its registered post_logout_redirect_uri is ignored, the logout still goes ahead", async () => {
    const result = await validate({ client_id: "suspended-app", post_logout_redirect_uri: REGISTERED, state: "xyz" });
    expect(result).toEqual({ type: "ok", request: { clientId: "suspended-app", postLogoutRedirectUri: null, state: "xyz", hint: null } });
    if (result.type === "ok") expect(postLogoutRedirectUrl(result.request)).toBeNull();
  });

  it("accepts an expired ID token as the hint (§2)", async () => {
    const hint = await idToken();
    env.clock.advance(24 * 3600);
    const result = await validate({ id_token_hint: hint });
    expect(result.type).toBe("ok");
  });

  it("refuses a hint signed by a key this server does not publish", async () => {
    const stranger = await createSigningKey("key-1", "ES256");
    const forged = signCompactJws(stranger, "JWT", JSON.stringify({ iss: env.ctx.config.issuer, sub: USER.id, aud: "web-app" }));
    const result = await validate({ id_token_hint: forged });
    expect(result.type === "error" && result.error.error).toBe("invalid_request");
  });

  it("refuses an access token as the hint", async () => {
    const key = await env.keys.getSigningKey("ES256");
    const access = signCompactJws(key, "at+jwt", JSON.stringify({ iss: env.ctx.config.issuer, sub: USER.id, aud: "web-app" }));
    expect((await validate({ id_token_hint: access })).type).toBe("error");
  });

  it("refuses a hint from another issuer", async () => {
    const key = await env.keys.getSigningKey("RS256");
    const token = signCompactJws(key, "JWT", JSON.stringify({ iss: "https://evil.example", sub: USER.id, aud: "web-app" }));
    expect((await validate({ id_token_hint: token })).type).toBe("error");
  });

  it("refuses a client_id that differs from the hint's audience", async () => {
    const result = await validate({ id_token_hint: await idToken(), client_id: "other-app" });
    expect(result.type === "error" && result.error.description).toMatch(/client_id does not match/);
  });

  it("refuses a post_logout_redirect_uri that is not registered exactly, and never redirects", async () => {
    for (const uri of [`${REGISTERED}/`, "https://app.example/SIGNED-OUT", "https://evil.example/", `${REGISTERED}?x=1`]) {
      const result = await validate({ client_id: "web-app", post_logout_redirect_uri: uri, state: "s" });
      expect(result.type).toBe("error");
      expect(result.type === "error" && result.error.redirectable).toBe(false);
    }
  });

  it("refuses a post_logout_redirect_uri without a hint or client_id to find the app", async () => {
    const result = await validate({ post_logout_redirect_uri: REGISTERED });
    expect(result.type === "error" && result.error.description).toMatch(/needs id_token_hint or client_id/);
  });

  it("refuses an unknown client", async () => {
    expect((await validate({ client_id: "nobody" })).type).toBe("error");
  });

  it("accepts client_id with a registered URI but no hint (the user is then asked)", async () => {
    const result = await validate({ client_id: "web-app", post_logout_redirect_uri: REGISTERED, ui_locales: "fr" });
    expect(result.type === "ok" && result.request.hint).toBeNull();
    expect(result.type === "ok" && hintMatchesSession(result.request, { userId: USER.id, sessionId: "sid-1" })).toBe(false);
  });

  it("accepts a request with no parameters at all", async () => {
    expect(await validate({})).toEqual({ type: "ok", request: { clientId: null, postLogoutRedirectUri: null, state: null, hint: null } });
  });

  it("refuses repeated parameters", async () => {
    const params = new URLSearchParams([["client_id", "web-app"], ["client_id", "other-app"]]);
    expect((await validateEndSessionRequest(env.ctx, params, lookup)).type).toBe("error");
  });

  it("needs no confirmation only when the hint names the signed-in user's session", async () => {
    const result = await validate({ id_token_hint: await idToken() });
    if (result.type !== "ok") throw new Error("expected ok");
    expect(hintMatchesSession(result.request, { userId: USER.id, sessionId: "sid-1" })).toBe(true);
    expect(hintMatchesSession(result.request, { userId: USER.id, sessionId: "sid-2" })).toBe(false);
    expect(hintMatchesSession(result.request, { userId: "someone-else", sessionId: "sid-1" })).toBe(false);
  });

  it("returns state to the registered URI, keeping its own query", () => {
    expect(postLogoutRedirectUrl({ postLogoutRedirectUri: "https://app.example/bye?from=op", state: "a b" })).toBe(
      "https://app.example/bye?from=op&state=a+b",
    );
    expect(postLogoutRedirectUrl({ postLogoutRedirectUri: REGISTERED, state: null })).toBe(REGISTERED);
    expect(postLogoutRedirectUrl({ postLogoutRedirectUri: null, state: "s" })).toBeNull();
  });
});

describe("logout token (Back-Channel Logout 1.0 §2.4)", () => {
  it("is a logout+jwt with iss, aud, iat, exp, jti, sub, sid and the logout event, and no nonce", async () => {
    const { token } = await signLogoutToken(env.ctx, { clientId: "web-app", userId: USER.id, sessionId: "sid-1" });
    const header = decodeProtectedHeader(token);
    expect(header).toMatchObject({ typ: "logout+jwt", alg: "RS256", kid: env.rsaKey.kid });
    await compactVerify(token, env.rsaKey.publicKey);
    const claims = decodeJwt(token);
    const now = Math.floor(env.clock.now().getTime() / 1000);
    expect(claims).toEqual({
      iss: env.ctx.config.issuer,
      aud: "web-app",
      iat: now,
      exp: now + LOGOUT_TOKEN_TTL,
      jti: expect.any(String),
      sub: USER.id,
      sid: "sid-1",
      events: { [BACKCHANNEL_LOGOUT_EVENT]: {} },
    });
    expect(claims).not.toHaveProperty("nonce");
  });

  it("is signed with the app's ID token algorithm", async () => {
    const { token } = await signLogoutToken(env.ctx, { clientId: "web-app", userId: USER.id, sessionId: "s", alg: "ES256" });
    expect(decodeProtectedHeader(token).alg).toBe("ES256");
  });

  it("has a fresh jti every time and leaves out sid when there is no session", async () => {
    const a = await signLogoutToken(env.ctx, { clientId: "web-app", userId: USER.id, sessionId: null });
    const b = await signLogoutToken(env.ctx, { clientId: "web-app", userId: USER.id, sessionId: null });
    expect(a.claims.jti).not.toBe(b.claims.jti);
    expect(a.claims).not.toHaveProperty("sid");
  });
});

describe("sid in ID tokens", () => {
  it("carries the OP session the code was issued in", async () => {
    const params = new URLSearchParams({
      client_id: "web-app", redirect_uri: "https://app.example/callback", response_type: "code", scope: "openid", state: "s",
      code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", code_challenge_method: "S256",
    });
    const result = await env.provider.authorize.validate(params);
    if (result.type !== "ok") throw new Error("expected ok");
    const { redirectUrl, issued } = await env.provider.authorize.approve(result.request, {
      userId: USER.id, authTime: env.clock.now(), sessionId: "sid-42",
    });
    expect(issued).toBe(true);
    const code = new URL(redirectUrl).searchParams.get("code")!;
    const res = await exchangeCode(env, code, { verifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk" });
    expect(decodeJwt(body(res).id_token as string).sid).toBe("sid-42");
  });
});
