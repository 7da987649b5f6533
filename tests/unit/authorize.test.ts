import { beforeEach, describe, expect, it } from "vitest";
import type { AuthorizationRequest } from "@/lib/oauth/authorize";
import { body, createEnv, USER, type Env } from "./helpers/fixtures";
import { exchangeCode, pkcePair, verifyJwt } from "./helpers/flows";

let env: Env;
beforeEach(async () => {
  env = await createEnv();
});

const ISS = "https://auth.example.test";

function params(overrides: Record<string, string | null> = {}): URLSearchParams {
  const base: Record<string, string | null> = {
    client_id: "web-app",
    redirect_uri: "https://app.example/callback",
    response_type: "code",
    scope: "openid read",
    state: "xyz",
    ...overrides,
  };
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(base)) if (v !== null) p.set(k, v);
  return p;
}

function spaParams(overrides: Record<string, string | null> = {}) {
  return params({
    client_id: "spa",
    redirect_uri: "https://spa.example/cb",
    code_challenge: pkcePair().challenge,
    code_challenge_method: "S256",
    ...overrides,
  });
}

async function validOk(p: URLSearchParams): Promise<AuthorizationRequest> {
  const result = await env.provider.authorize.validate(p);
  if (result.type !== "ok") throw new Error(`expected ok, got ${JSON.stringify(result)}`);
  return result.request;
}

async function redirectOf(p: URLSearchParams): Promise<URL> {
  const result = await env.provider.authorize.validate(p);
  if (result.type !== "redirect") throw new Error(`expected redirect, got ${result.type}`);
  return new URL(result.url);
}

/** Parameters of a redirect, from its query or its fragment. */
function responseParams(url: URL): URLSearchParams {
  return url.hash ? new URLSearchParams(url.hash.slice(1)) : url.searchParams;
}

const session = () => ({ userId: USER.id, authTime: env.clock.now() });

describe("validateAuthorizationRequest: error page, never a redirect (RFC 6749 §4.1.2.1)", () => {
  it.each([
    ["missing client_id", { client_id: null }, "invalid_request"],
    ["unknown client_id", { client_id: "nobody" }, "invalid_client"],
    ["suspended client", { client_id: "suspended-app", redirect_uri: "https://suspended.example/cb" }, "invalid_client"],
    ["unregistered redirect_uri", { redirect_uri: "https://evil.example/cb" }, "invalid_redirect_uri"],
    ["redirect_uri differing by a trailing slash", { redirect_uri: "https://app.example/callback/" }, "invalid_redirect_uri"],
    ["missing redirect_uri with several registered", { redirect_uri: null }, "invalid_request"],
  ])("%s", async (_name, overrides, code) => {
    const result = await env.provider.authorize.validate(params(overrides));
    expect(result.type).toBe("error_page");
    if (result.type === "error_page") {
      expect(result.error.error).toBe(code);
      expect(result.error.redirectable).toBe(false);
    }
  });

  it("a repeated client_id or redirect_uri", async () => {
    const p = params();
    p.append("redirect_uri", "https://evil.example/cb");
    const result = await env.provider.authorize.validate(p);
    expect(result.type).toBe("error_page");
  });
});

describe("validateAuthorizationRequest: errors redirected with state and iss", () => {
  it.each([
    ["missing response_type", { response_type: null }, "invalid_request"],
    ["unknown response_type", { response_type: "device" }, "unsupported_response_type"],
    ["missing scope", { scope: null }, "invalid_scope"],
    ["scope not allowed for the client", { scope: "openid admin" }, "invalid_scope"],
    ["malformed scope", { scope: 'read "x"' }, "invalid_scope"],
    ["plain PKCE", { code_challenge: pkcePair().verifier, code_challenge_method: "plain" }, "invalid_request"],
    ["code_challenge without method", { code_challenge: pkcePair().challenge }, "invalid_request"],
    ["code_challenge_method without challenge", { code_challenge_method: "S256" }, "invalid_request"],
    ["malformed code_challenge", { code_challenge: "abc", code_challenge_method: "S256" }, "invalid_request"],
    ["prompt=none with login", { prompt: "none login" }, "invalid_request"],
    ["unknown prompt", { prompt: "select_account" }, "invalid_request"],
    ["negative max_age", { max_age: "-1" }, "invalid_request"],
    ["unknown response_mode", { response_mode: "form_post" }, "invalid_request"],
    ["request object", { request: "eyJ.x.y" }, "request_not_supported"],
    ["request_uri", { request_uri: "https://x/req" }, "request_uri_not_supported"],
  ])("%s", async (_name, overrides, code) => {
    const url = await redirectOf(params(overrides));
    expect(url.origin + url.pathname).toBe("https://app.example/callback");
    expect(url.searchParams.get("error")).toBe(code);
    expect(url.searchParams.get("error_description")).toBeTruthy();
    expect(url.searchParams.get("state")).toBe("xyz");
    expect(url.searchParams.get("iss")).toBe(ISS);
  });

  it("a repeated scope", async () => {
    const p = params();
    p.append("scope", "write");
    const url = await redirectOf(p);
    expect(url.searchParams.get("error")).toBe("invalid_request");
    expect(url.searchParams.get("iss")).toBe(ISS);
  });

  it("a public client without PKCE: invalid_request, PKCE required", async () => {
    const url = await redirectOf(spaParams({ code_challenge: null, code_challenge_method: null }));
    expect(url.searchParams.get("error")).toBe("invalid_request");
    expect(url.searchParams.get("error_description")).toContain("PKCE required");
  });

  it("keeps the registered redirect_uri's own query parameters", async () => {
    const url = await redirectOf(params({ redirect_uri: "https://app.example/other?x=1", scope: "nope" }));
    expect(url.searchParams.get("x")).toBe("1");
    expect(url.searchParams.get("error")).toBe("invalid_scope");
  });

  it("sends implicit errors in the fragment", async () => {
    const url = await redirectOf(
      params({ client_id: "legacy-implicit", redirect_uri: "https://legacy.example/cb", response_type: "token", scope: "admin" }),
    );
    expect(url.search).toBe("");
    const fragment = responseParams(url);
    expect(fragment.get("error")).toBe("invalid_scope");
    expect(fragment.get("state")).toBe("xyz");
    expect(fragment.get("iss")).toBe(ISS);
  });

  it("answers unauthorized_client, in the fragment, to implicit for a client without it", async () => {
    const url = await redirectOf(params({ response_type: "token" }));
    expect(url.search).toBe("");
    expect(responseParams(url).get("error")).toBe("unauthorized_client");
    expect(responseParams(url).get("iss")).toBe(ISS);
  });

  it("answers unauthorized_client to code for an implicit-only client", async () => {
    const url = await redirectOf(params({ client_id: "legacy-implicit", redirect_uri: "https://legacy.example/cb" }));
    expect(url.searchParams.get("error")).toBe("unauthorized_client");
  });

  it("refuses response_mode=query for tokens", async () => {
    const url = await redirectOf(
      params({ client_id: "legacy-implicit", redirect_uri: "https://legacy.example/cb", response_type: "token", response_mode: "query" }),
    );
    expect(responseParams(url).get("error")).toBe("invalid_request");
  });
});

describe("validateAuthorizationRequest: accepted requests", () => {
  it("returns a JSON-serialisable request", async () => {
    const request = await validOk(params({ nonce: "n1", max_age: "300", login_hint: "ada", prompt: "consent" }));
    expect(request).toEqual({
      clientId: "web-app",
      redirectUri: "https://app.example/callback",
      responseType: "code",
      responseMode: "query",
      scope: ["openid", "read"],
      resource: [],
      state: "xyz",
      nonce: "n1",
      prompt: ["consent"],
      maxAge: 300,
      loginHint: "ada",
      createdAt: env.clock.now().toISOString(),
    });
    expect(JSON.parse(JSON.stringify(request))).toEqual(request);
  });

  it("uses the single registered redirect_uri when none is sent", async () => {
    const request = await validOk(
      params({ client_id: "legacy-implicit", redirect_uri: null, response_type: "token", scope: "read" }),
    );
    expect(request.redirectUri).toBe("https://legacy.example/cb");
    expect(request.responseMode).toBe("fragment");
  });

  it("matches loopback redirect URIs on any port and keeps the port the client sent", async () => {
    const request = await validOk(spaParams({ redirect_uri: "http://127.0.0.1:49152/callback" }));
    expect(request.redirectUri).toBe("http://127.0.0.1:49152/callback");
    const v6 = await validOk(spaParams({ redirect_uri: "http://[::1]:5000/cb" }));
    expect(v6.redirectUri).toBe("http://[::1]:5000/cb");
    const wrongPath = await env.provider.authorize.validate(spaParams({ redirect_uri: "http://127.0.0.1:49152/other" }));
    expect(wrongPath.type).toBe("error_page");
  });

  it("accepts response_mode=fragment for codes", async () => {
    expect((await validOk(params({ response_mode: "fragment" }))).responseMode).toBe("fragment");
  });

  it("ignores unknown parameters", async () => {
    const p = params();
    p.append("foo", "1");
    p.append("foo", "2");
    expect((await env.provider.authorize.validate(p)).type).toBe("ok");
  });
});

describe("decideAuthorization", () => {
  it("asks for login without a session", async () => {
    const request = await validOk(params());
    expect(await env.provider.authorize.decide(request, { session: null, grant: null })).toEqual({ type: "login" });
  });

  it("asks for consent to the scopes not yet granted", async () => {
    await env.store.saveGrant(USER.id, "web-app", ["openid"], env.clock.now());
    const grant = await env.store.getGrant(USER.id, "web-app");
    const request = await validOk(params({ scope: "openid read" }));
    expect(await env.provider.authorize.decide(request, { session: session(), grant })).toEqual({
      type: "consent",
      newScopes: ["read"],
    });
  });

  it("issues a code straight away when the grant covers every scope", async () => {
    await env.store.saveGrant(USER.id, "web-app", ["openid", "read", "email"], env.clock.now());
    const grant = await env.store.getGrant(USER.id, "web-app");
    const request = await validOk(params());
    const decision = await env.provider.authorize.decide(request, { session: session(), grant });
    expect(decision.type).toBe("redirect");
    if (decision.type === "redirect") {
      const url = new URL(decision.url);
      expect(url.searchParams.get("code")).toMatch(/^lk_code_/);
      expect(url.searchParams.get("state")).toBe("xyz");
      expect(url.searchParams.get("iss")).toBe(ISS);
    }
  });

  it("asks for consent again with prompt=consent even when granted", async () => {
    await env.store.saveGrant(USER.id, "web-app", ["openid", "read"], env.clock.now());
    const grant = await env.store.getGrant(USER.id, "web-app");
    const request = await validOk(params({ prompt: "consent" }));
    expect(await env.provider.authorize.decide(request, { session: session(), grant })).toEqual({
      type: "consent",
      newScopes: [],
    });
  });

  it("ignores a grant that belongs to another user", async () => {
    const request = await validOk(params());
    const grant = { id: "g", userId: "someone-else", clientId: "web-app", scopes: ["openid", "read"], resources: [] };
    const decision = await env.provider.authorize.decide(request, { session: session(), grant });
    expect(decision.type).toBe("consent");
  });

  describe("prompt=none", () => {
    it("redirects login_required without a session", async () => {
      const request = await validOk(params({ prompt: "none" }));
      const decision = await env.provider.authorize.decide(request, { session: null, grant: null });
      expect(decision.type).toBe("redirect");
      if (decision.type === "redirect") {
        const url = new URL(decision.url);
        expect(url.searchParams.get("error")).toBe("login_required");
        expect(url.searchParams.get("state")).toBe("xyz");
        expect(url.searchParams.get("iss")).toBe(ISS);
      }
    });

    it("redirects consent_required when consent is missing", async () => {
      const request = await validOk(params({ prompt: "none" }));
      const decision = await env.provider.authorize.decide(request, { session: session(), grant: null });
      expect(decision.type === "redirect" && new URL(decision.url).searchParams.get("error")).toBe("consent_required");
    });

    it("redirects login_required when the sign-in is older than max_age", async () => {
      const request = await validOk(params({ prompt: "none", max_age: "60" }));
      const old = { userId: USER.id, authTime: new Date(env.clock.now().getTime() - 61_000) };
      const decision = await env.provider.authorize.decide(request, { session: old, grant: null });
      expect(decision.type === "redirect" && new URL(decision.url).searchParams.get("error")).toBe("login_required");
    });

    it("issues a code silently when signed in and granted", async () => {
      await env.store.saveGrant(USER.id, "web-app", ["openid", "read"], env.clock.now());
      const grant = await env.store.getGrant(USER.id, "web-app");
      const request = await validOk(params({ prompt: "none" }));
      const decision = await env.provider.authorize.decide(request, { session: session(), grant });
      expect(decision.type === "redirect" && new URL(decision.url).searchParams.get("code")).toMatch(/^lk_code_/);
    });
  });

  describe("prompt=login and max_age", () => {
    it("asks for a fresh login with prompt=login, then accepts it", async () => {
      const before = { userId: USER.id, authTime: new Date(env.clock.now().getTime() - 1000) };
      const request = await validOk(params({ prompt: "login" }));
      expect(await env.provider.authorize.decide(request, { session: before, grant: null })).toEqual({ type: "login" });
      env.clock.advance(5);
      const fresh = { userId: USER.id, authTime: env.clock.now() };
      expect((await env.provider.authorize.decide(request, { session: fresh, grant: null })).type).toBe("consent");
    });

    it("accepts the loginFresh flag for prompt=login", async () => {
      const before = { userId: USER.id, authTime: new Date(env.clock.now().getTime() - 1000) };
      const request = await validOk(params({ prompt: "login" }));
      const decision = await env.provider.authorize.decide(request, { session: before, grant: null, loginFresh: true });
      expect(decision.type).toBe("consent");
    });

    it("asks for login when the sign-in is older than max_age", async () => {
      const request = await validOk(params({ max_age: "60" }));
      const old = { userId: USER.id, authTime: new Date(env.clock.now().getTime() - 61_000) };
      expect(await env.provider.authorize.decide(request, { session: old, grant: null })).toEqual({ type: "login" });
      const recent = { userId: USER.id, authTime: new Date(env.clock.now().getTime() - 59_000) };
      expect((await env.provider.authorize.decide(request, { session: recent, grant: null })).type).toBe("consent");
    });

    it("counts a fraction of a second past max_age as older (max_age=1, signed in 1.5 s ago)", async () => {
      const request = await validOk(params({ max_age: "1" }));
      const old = { userId: USER.id, authTime: new Date(env.clock.now().getTime() - 1500) };
      expect(await env.provider.authorize.decide(request, { session: old, grant: null })).toEqual({ type: "login" });
      const recent = { userId: USER.id, authTime: new Date(env.clock.now().getTime() - 1000) };
      expect((await env.provider.authorize.decide(request, { session: recent, grant: null })).type).toBe("consent");
    });
  });
});

describe("approveAuthorization", () => {
  it("records the grant and redirects with code, state and iss; the code exchanges for tokens", async () => {
    const pair = pkcePair();
    const request = await validOk(
      params({ nonce: "n-1", code_challenge: pair.challenge, code_challenge_method: "S256" }),
    );
    const { redirectUrl } = await env.provider.authorize.approve(request, session());
    const url = new URL(redirectUrl);
    expect(url.origin + url.pathname).toBe("https://app.example/callback");
    expect([...url.searchParams.keys()].sort()).toEqual(["code", "iss", "state"]);
    expect(url.searchParams.get("iss")).toBe(ISS);
    expect(url.searchParams.get("state")).toBe("xyz");
    expect((await env.store.getGrant(USER.id, "web-app"))?.scopes).toEqual(["openid", "read"]);

    const res = await exchangeCode(env, url.searchParams.get("code")!, { verifier: pair.verifier });
    expect(res.status).toBe(200);
    const id = await verifyJwt(env, String(body(res).id_token));
    expect(id.payload.nonce).toBe("n-1");
  });

  it("omits state when the client sent none", async () => {
    const request = await validOk(params({ state: null }));
    const url = new URL((await env.provider.authorize.approve(request, session())).redirectUrl);
    expect(url.searchParams.has("state")).toBe(false);
    expect(url.searchParams.get("iss")).toBe(ISS);
  });

  it("puts the code in the fragment with response_mode=fragment", async () => {
    const request = await validOk(params({ response_mode: "fragment" }));
    const url = new URL((await env.provider.authorize.approve(request, session())).redirectUrl);
    expect(url.search).toBe("");
    expect(responseParams(url).get("code")).toMatch(/^lk_code_/);
  });

  it("redirects a loopback client to the port it asked for", async () => {
    const request = await validOk(spaParams({ redirect_uri: "http://127.0.0.1:49152/callback" }));
    const url = new URL((await env.provider.authorize.approve(request, session())).redirectUrl);
    expect(url.host).toBe("127.0.0.1:49152");
  });

  it("implicit: returns an access token in the fragment and no refresh token", async () => {
    const request = await validOk(
      params({ client_id: "legacy-implicit", redirect_uri: "https://legacy.example/cb", response_type: "token", scope: "openid read" }),
    );
    const url = new URL((await env.provider.authorize.approve(request, session())).redirectUrl);
    expect(url.search).toBe("");
    const fragment = responseParams(url);
    expect(fragment.get("token_type")).toBe("Bearer");
    expect(fragment.get("expires_in")).toBe("600");
    expect(fragment.get("scope")).toBe("openid read");
    expect(fragment.get("state")).toBe("xyz");
    expect(fragment.get("iss")).toBe(ISS);
    expect(fragment.has("refresh_token")).toBe(false);
    expect(fragment.has("code")).toBe(false);
    const access = await verifyJwt(env, fragment.get("access_token")!);
    expect(access.typ).toBe("at+jwt");
    expect(access.payload).toMatchObject({ sub: USER.id, client_id: "legacy-implicit", scope: "openid read" });
    expect((await env.provider.verifyBearer(`Bearer ${fragment.get("access_token")}`, ["read"])).ok).toBe(true);
  });

  it("codes expire after authorizationCodeTtl", async () => {
    const short = await createEnv({ authorizationCodeTtl: 5 });
    env = short;
    const request = await validOk(params());
    const code = new URL((await env.provider.authorize.approve(request, session())).redirectUrl).searchParams.get("code")!;
    env.clock.advance(5);
    expect(body(await exchangeCode(env, code)).error).toBe("invalid_grant");
  });

  it("refuses to approve for a client suspended meanwhile", async () => {
    const request = await validOk(params());
    env.clients.web.status = "suspended";
    await expect(env.provider.authorize.approve(request, session())).rejects.toMatchObject({ error: "invalid_client" });
  });
});

describe("denyAuthorization", () => {
  it("redirects access_denied with state and iss", async () => {
    const request = await validOk(params());
    const url = new URL((await env.provider.authorize.deny(request)).redirectUrl);
    expect(url.searchParams.get("error")).toBe("access_denied");
    expect(url.searchParams.get("state")).toBe("xyz");
    expect(url.searchParams.get("iss")).toBe(ISS);
  });

  it("uses the fragment for implicit requests", async () => {
    const request = await validOk(
      params({ client_id: "legacy-implicit", redirect_uri: "https://legacy.example/cb", response_type: "token", scope: "read" }),
    );
    const url = new URL((await env.provider.authorize.deny(request)).redirectUrl);
    expect(responseParams(url).get("error")).toBe("access_denied");
  });
});
