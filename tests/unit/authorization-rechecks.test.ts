// What an outside review of the authorization endpoint found and this suite now pins down:
// claims asked for by name need consent (OIDC Core §5.5), a request kept across sign-in is
// checked again against its client, a request without redirect_uri needs none at the token
// endpoint (RFC 6749 §4.1.3), and three error codes and places.
import { beforeEach, describe, expect, it } from "vitest";
import type { AuthorizationRequest } from "@/lib/oauth/authorize";
import { decodeJwt } from "jose";
import { signIdToken } from "@/lib/oauth/id-token";
import { body, createEnv, SECRETS, USER, type Env } from "./helpers/fixtures";
import { exchangeCode, obtainCode, pkcePair } from "./helpers/flows";

let env: Env;
beforeEach(async () => {
  env = await createEnv();
});

const session = () => ({ userId: USER.id, authTime: env.clock.now() });
const SECRET = SECRETS.web;

async function validOk(p: Record<string, string>): Promise<AuthorizationRequest> {
  const result = await env.provider.authorize.validate(new URLSearchParams(p));
  if (result.type !== "ok") throw new Error(`expected ok, got ${JSON.stringify(result)}`);
  return result.request;
}

const WEB_REQUEST = { client_id: "web-app", redirect_uri: "https://app.example/callback", response_type: "code", state: "s1" };
const EMAIL_CLAIMS = JSON.stringify({ id_token: { email: null, email_verified: null }, userinfo: { phone_number: null } });

describe("claims asked for by name are consented to (OIDC Core §5.5)", () => {
  it("consent covers the scopes of the claims, not only the requested scopes", async () => {
    await env.store.saveGrant(USER.id, "web-app", ["openid"], env.clock.now());
    const grant = await env.store.getGrant(USER.id, "web-app");
    const request = await validOk({ ...WEB_REQUEST, scope: "openid", claims: EMAIL_CLAIMS });
    // web-app may not use `phone`: that claim was dropped when the request was validated.
    expect(await env.provider.authorize.decide(request, { session: session(), grant })).toEqual({ type: "consent", newScopes: ["email"] });
  });

  it("prompt=none answers consent_required instead of releasing the email behind the user's back", async () => {
    await env.store.saveGrant(USER.id, "web-app", ["openid"], env.clock.now());
    const grant = await env.store.getGrant(USER.id, "web-app");
    const request = await validOk({ ...WEB_REQUEST, scope: "openid", claims: EMAIL_CLAIMS, prompt: "none" });
    const decision = await env.provider.authorize.decide(request, { session: session(), grant });
    expect(decision.type).toBe("redirect");
    if (decision.type === "redirect") expect(new URL(decision.url).searchParams.get("error")).toBe("consent_required");
  });

  it("approving records the claims' scopes in the grant, so the next request goes straight through with the claims", async () => {
    const first = await obtainCode(env, { scope: "openid", extra: { claims: EMAIL_CLAIMS } });
    expect((await env.store.getGrant(USER.id, "web-app"))?.scopes).toEqual(expect.arrayContaining(["openid", "email"]));
    const tokens = await exchangeCode(env, first.code, { verifier: first.verifier });
    expect(decodeJwt(body(tokens).id_token as string)).toMatchObject({ email: USER.claims.email });

    const grant = await env.store.getGrant(USER.id, "web-app");
    const again = await validOk({ ...WEB_REQUEST, scope: "openid", claims: EMAIL_CLAIMS, prompt: "none", ...challenge() });
    expect((await env.provider.authorize.decide(again, { session: session(), grant })).type).toBe("redirect");
  });
});

function challenge() {
  return { code_challenge: pkcePair().challenge, code_challenge_method: "S256" };
}

describe("a kept request is checked again before anything goes to the client", () => {
  it("an app suspended between the request and the decision gets an error page, not a redirect", async () => {
    const request = await validOk({ ...WEB_REQUEST, scope: "openid" });
    env.store.addClient({ ...env.clients.web, status: "suspended" });
    const decision = await env.provider.authorize.decide(request, { session: session(), grant: null });
    expect(decision).toMatchObject({ type: "error_page", error: { error: "invalid_client" } });
    await expect(env.provider.authorize.approve(request, session())).rejects.toMatchObject({ error: "invalid_client" });
    await expect(env.provider.authorize.deny(request)).rejects.toMatchObject({ error: "invalid_client" });
  });

  it("a redirect URI removed in between is never redirected to", async () => {
    const request = await validOk({ ...WEB_REQUEST, redirect_uri: "https://app.example/other?x=1", scope: "openid" });
    env.store.addClient({ ...env.clients.web, redirectUris: ["https://app.example/callback"] });
    const decision = await env.provider.authorize.decide(request, { session: session(), grant: null });
    expect(decision).toMatchObject({ type: "error_page", error: { error: "invalid_redirect_uri" } });
  });

  it("a flow the app may no longer use (its grant type was turned off in between) gets an error page", async () => {
    const request = await validOk({ ...WEB_REQUEST, scope: "openid" });
    env.store.addClient({ ...env.clients.web, grantTypes: ["client_credentials"] });
    const decision = await env.provider.authorize.decide(request, { session: session(), grant: null });
    expect(decision).toMatchObject({ type: "error_page", error: { error: "unauthorized_client" } });
  });

  it("a scope the app lost in between is refused even though the user's grant still lists it", async () => {
    await env.store.saveGrant(USER.id, "web-app", ["openid", "read"], env.clock.now());
    const grant = await env.store.getGrant(USER.id, "web-app");
    const request = await validOk({ ...WEB_REQUEST, scope: "openid read" });
    env.store.addClient({ ...env.clients.web, scopes: ["openid"] });
    const decision = await env.provider.authorize.decide(request, { session: session(), grant });
    expect(decision.type).toBe("redirect");
    if (decision.type === "redirect") {
      expect(new URL(decision.url).searchParams.get("error")).toBe("invalid_scope");
      expect(new URL(decision.url).searchParams.get("code")).toBeNull();
    }
  });
});

describe("redirect_uri at the token endpoint (RFC 6749 §4.1.3)", () => {
  const ONE_URI = "https://legacy.example/cb";

  async function codeFor(withRedirectUri: boolean) {
    env.store.addClient({ ...env.clients.web, id: "one-uri", redirectUris: [ONE_URI] });
    const pair = pkcePair();
    const request = await validOk({
      client_id: "one-uri", response_type: "code", scope: "read", code_challenge: pair.challenge, code_challenge_method: "S256",
      ...(withRedirectUri ? { redirect_uri: ONE_URI } : {}),
    });
    const { redirectUrl } = await env.provider.authorize.approve(request, session());
    expect(redirectUrl.startsWith(`${ONE_URI}?`)).toBe(true);
    return { code: new URL(redirectUrl).searchParams.get("code")!, verifier: pair.verifier };
  }

  it("is not required when the authorization request left it out", async () => {
    const { code, verifier } = await codeFor(false);
    const res = await exchangeCode(env, code, { verifier, redirectUri: null, basic: ["one-uri", SECRET] });
    expect(res.status).toBe(200);
  });

  it("may still be sent then, and must be the registered one", async () => {
    const { code, verifier } = await codeFor(false);
    expect((await exchangeCode(env, code, { verifier, redirectUri: ONE_URI, basic: ["one-uri", SECRET] })).status).toBe(200);
  });

  it("is required, and identical, when the authorization request named it", async () => {
    const { code, verifier } = await codeFor(true);
    const missing = await exchangeCode(env, code, { verifier, redirectUri: null, basic: ["one-uri", SECRET] });
    expect(missing.status).toBe(400);
    expect(body(missing)).toMatchObject({ error: "invalid_grant" });
  });
});


describe("error codes and where errors go", () => {
  it("a malformed acr_values is invalid_request, not invalid_scope", async () => {
    const result = await env.provider.authorize.validate(new URLSearchParams({ ...WEB_REQUEST, scope: "openid", acr_values: "a\"b" }));
    expect(result.type).toBe("redirect");
    if (result.type === "redirect") expect(new URL(result.url).searchParams.get("error")).toBe("invalid_request");
  });

  it.each(["id_token", "code id_token", "id_token token"])("an error for response_type=%s goes in the fragment (Multiple Response Types §5)", async (responseType) => {
    const result = await env.provider.authorize.validate(new URLSearchParams({ ...WEB_REQUEST, response_type: responseType, scope: "openid", nonce: "n" }));
    expect(result.type).toBe("redirect");
    if (result.type === "redirect") {
      const url = new URL(result.url);
      expect(url.search).toBe("");
      expect(new URLSearchParams(url.hash.slice(1)).get("error")).toBe("unsupported_response_type");
    }
  });
});

describe("id_token_hint (OIDC Core §3.1.2.1)", () => {
  async function hintFor(userId: string) {
    return signIdToken(env.ctx, {
      clientId: "web-app", userId, authTime: env.clock.now(), nonce: null, scope: ["openid"], accessToken: "at",
      context: { sessionId: null, acr: null, amr: [], claims: null },
    });
  }
  const errorOf = (decision: Awaited<ReturnType<Env["provider"]["authorize"]["decide"]>>) =>
    decision.type === "redirect" ? new URL(decision.url).searchParams.get("error") : decision.type;

  it("answers the user it names, even from an expired ID token", async () => {
    await env.store.saveGrant(USER.id, "web-app", ["openid"], env.clock.now());
    const grant = await env.store.getGrant(USER.id, "web-app");
    const hint = await hintFor(USER.id);
    env.clock.advance(24 * 3600);
    const request = await validOk({ ...WEB_REQUEST, scope: "openid", prompt: "none", id_token_hint: hint, ...challenge() });
    const decision = await env.provider.authorize.decide(request, { session: session(), grant });
    expect(decision.type === "redirect" && new URL(decision.url).searchParams.get("code")).toBeTruthy();
  });

  it("names another user: login_required with prompt=none, else a new sign-in, and login_required if that is someone else again", async () => {
    await env.store.saveGrant(USER.id, "web-app", ["openid"], env.clock.now());
    const grant = await env.store.getGrant(USER.id, "web-app");
    env.store.addUser({ ...structuredClone(USER), id: "someone-else", username: "bob@example.test", claims: { ...USER.claims, sub: "someone-else", email: "bob@example.test" } });
    const hint = await hintFor("someone-else");
    const silent = await validOk({ ...WEB_REQUEST, scope: "openid", prompt: "none", id_token_hint: hint });
    expect(errorOf(await env.provider.authorize.decide(silent, { session: session(), grant }))).toBe("login_required");

    const interactive = await validOk({ ...WEB_REQUEST, scope: "openid", id_token_hint: hint });
    const earlier = { userId: USER.id, authTime: new Date(env.clock.now().getTime() - 60_000) };
    expect(await env.provider.authorize.decide(interactive, { session: earlier, grant })).toEqual({ type: "login" });
    expect(errorOf(await env.provider.authorize.decide(interactive, { session: session(), grant, loginFresh: true }))).toBe("login_required");
  });

  it("a hint that does not verify (a forgery, or an old token whose key left JWKS) answers prompt=none with login_required and is ignored otherwise", async () => {
    await env.store.saveGrant(USER.id, "web-app", ["openid"], env.clock.now());
    const grant = await env.store.getGrant(USER.id, "web-app");
    const unverifiable = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ1c2VyLTEifQ.";
    const silent = await validOk({ ...WEB_REQUEST, scope: "openid", prompt: "none", id_token_hint: unverifiable });
    expect(errorOf(await env.provider.authorize.decide(silent, { session: session(), grant }))).toBe("login_required");
    const interactive = await validOk({ ...WEB_REQUEST, scope: "openid", id_token_hint: unverifiable, ...challenge() });
    const decision = await env.provider.authorize.decide(interactive, { session: session(), grant });
    expect(decision.type === "redirect" && new URL(decision.url).searchParams.get("code")).toBeTruthy();
  });
});
