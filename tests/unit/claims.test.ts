import { beforeEach, describe, expect, it } from "vitest";
import {
  ACR_PASSWORD,
  authenticationContextFor,
  CLAIMS_SUPPORTED,
  idTokenUserClaims,
  limitClaimsRequest,
  parseClaimsRequest,
  userinfoClaims,
} from "@/lib/oauth/claims";
import type { UserClaims } from "@/lib/oauth/store";
import { body, createEnv, get, USER, type Env } from "./helpers/fixtures";
import { exchangeCode, obtainCode, refresh, verifyJwt } from "./helpers/flows";

const FULL: UserClaims = {
  sub: "u-1",
  name: "Ada Lovelace",
  given_name: "Ada",
  family_name: "Lovelace",
  middle_name: "Augusta",
  nickname: "Ada",
  preferred_username: "ada",
  profile: "https://example.test/ada",
  picture: "https://example.test/ada.png",
  website: "https://ada.example.test",
  gender: "female",
  birthdate: "1815-12-10",
  zoneinfo: "Europe/London",
  locale: "en-GB",
  email: "ada@example.test",
  email_verified: true,
  phone_number: "+44 20 0000 0000",
  phone_number_verified: false,
  address: { locality: "London", country: "UK" },
  updated_at: 1_800_000_000,
};

describe("claims of a scope (OIDC Core §5.4)", () => {
  it("profile releases the fourteen profile claims, email, address and phone theirs, openid only sub", () => {
    expect(Object.keys(userinfoClaims(FULL, ["openid", "profile"])).sort()).toEqual(
      [
        "sub", "name", "family_name", "given_name", "middle_name", "nickname", "preferred_username", "profile", "picture",
        "website", "gender", "birthdate", "zoneinfo", "locale", "updated_at",
      ].sort(),
    );
    expect(userinfoClaims(FULL, ["openid", "email"])).toEqual({ sub: "u-1", email: "ada@example.test", email_verified: true });
    expect(userinfoClaims(FULL, ["openid", "address"])).toEqual({ sub: "u-1", address: { locality: "London", country: "UK" } });
    expect(userinfoClaims(FULL, ["openid", "phone"])).toEqual({
      sub: "u-1",
      phone_number: "+44 20 0000 0000",
      phone_number_verified: false,
    });
    expect(userinfoClaims(FULL, ["openid"])).toEqual({ sub: "u-1" });
  });

  it("leaves out claims the user has no value for", () => {
    expect(userinfoClaims({ sub: "u-2", name: "Bo", updated_at: 5 }, ["openid", "profile", "address", "phone"])).toEqual({
      sub: "u-2",
      name: "Bo",
      updated_at: 5,
    });
  });

  it("puts scope claims into the ID token only when no access token is issued", () => {
    const withAccessToken = idTokenUserClaims(FULL, { scope: ["openid", "profile", "email"], accessTokenIssued: true });
    expect(withAccessToken).toEqual({ sub: "u-1" });
    const idTokenOnly = idTokenUserClaims(FULL, { scope: ["openid", "email"], accessTokenIssued: false });
    expect(idTokenOnly).toEqual({ sub: "u-1", email: "ada@example.test", email_verified: true });
  });

  it("advertises every claim userinfo can return in claims_supported", () => {
    const all = userinfoClaims(FULL, ["openid", "profile", "email", "address", "phone"]);
    for (const claim of Object.keys(all)) expect(CLAIMS_SUPPORTED).toContain(claim);
  });
});

describe("the claims request parameter (OIDC Core §5.5)", () => {
  it("parses userinfo and id_token members with essential, value and values, ignoring other members", () => {
    const parsed = parseClaimsRequest(
      JSON.stringify({
        userinfo: { name: { essential: true }, email: null },
        id_token: { acr: { values: ["a", "b"] }, sub: { value: "u-1" } },
        unknown: { x: 1 },
      }),
    );
    expect(parsed).toEqual({
      userinfo: { name: { essential: true }, email: null },
      id_token: { acr: { values: ["a", "b"] }, sub: { value: "u-1" } },
    });
  });

  it("refuses malformed requests with invalid_request", () => {
    for (const raw of ["{not json", "[]", '"x"', '{"userinfo":[]}', '{"id_token":{"name":3}}', '{"userinfo":{"name":{"essential":"yes"}}}']) {
      expect(() => parseClaimsRequest(raw), raw).toThrow(expect.objectContaining({ error: "invalid_request" }));
    }
  });

  it("drops requested user claims whose scope the client may not use", () => {
    const limited = limitClaimsRequest(
      { userinfo: { name: null, phone_number: { essential: true } }, id_token: { acr: null, address: null } },
      ["openid", "profile"],
    );
    expect(limited).toEqual({ userinfo: { name: null }, id_token: { acr: null } });
  });

  it("adds individually requested claims to the ID token and to userinfo", () => {
    const context = { sessionId: null, acr: null, amr: [], claims: JSON.stringify({ id_token: { email: { essential: true } } }) };
    expect(idTokenUserClaims(FULL, { scope: ["openid"], accessTokenIssued: true, context })).toEqual({ sub: "u-1", email: "ada@example.test" });
    expect(userinfoClaims(FULL, ["openid"], ["name", "not_a_claim"])).toEqual({ sub: "u-1", name: "Ada Lovelace" });
  });

  it("records acr when acr_values or an acr claim asks for it, and amr always", () => {
    expect(authenticationContextFor([], {})).toEqual({ ok: true, acr: null, amr: ["pwd"] });
    expect(authenticationContextFor(["1", "2"], {})).toEqual({ ok: true, acr: ACR_PASSWORD, amr: ["pwd"] });
    expect(authenticationContextFor([], { id_token: { acr: null } })).toEqual({ ok: true, acr: ACR_PASSWORD, amr: ["pwd"] });
    expect(authenticationContextFor([], { id_token: { acr: { values: ["urn:other", ACR_PASSWORD], essential: true } } })).toMatchObject({ ok: true });
  });

  it("fails an essential acr request that names only values we cannot satisfy (§5.5.1.1)", () => {
    expect(authenticationContextFor([], { id_token: { acr: { essential: true, value: "urn:mace:incommon:iap:silver" } } })).toMatchObject({ ok: false });
    // Voluntary: the request succeeds with the acr we have.
    expect(authenticationContextFor([], { id_token: { acr: { value: "urn:mace:incommon:iap:silver" } } })).toMatchObject({ ok: true, acr: ACR_PASSWORD });
  });
});

describe("claims through the authorization endpoint, token endpoint and userinfo", () => {
  let env: Env;
  beforeEach(async () => {
    env = await createEnv();
  });

  const userinfo = async (token: string) => body(await env.provider.userinfo(await get("/oauth/userinfo", { authorization: `Bearer ${token}` })));

  it("returns a claim requested for userinfo although its scope was not requested", async () => {
    const claims = JSON.stringify({ userinfo: { name: { essential: true } } });
    const { code, verifier } = await obtainCode(env, { scope: "openid", extra: { claims } });
    const tokens = body(await exchangeCode(env, code, { verifier }));
    expect(await userinfo(String(tokens.access_token))).toEqual({ sub: USER.id, name: "Ada Lovelace" });
    const id = await verifyJwt(env, String(tokens.id_token));
    expect(id.payload.name).toBeUndefined();
  });

  it("puts an ID-token claim and acr into the ID token, and keeps them through a refresh", async () => {
    const claims = JSON.stringify({ id_token: { email: { essential: true }, acr: { essential: true, values: [ACR_PASSWORD] } } });
    const { code, verifier } = await obtainCode(env, { scope: "openid offline_access", extra: { claims } });
    const tokens = body(await exchangeCode(env, code, { verifier }));
    const id = await verifyJwt(env, String(tokens.id_token));
    expect(id.payload).toMatchObject({ email: "ada@example.test", acr: ACR_PASSWORD, amr: ["pwd"] });
    expect(await userinfo(String(tokens.access_token))).toEqual({ sub: USER.id });

    env.clock.advance(60);
    const refreshed = body(await refresh(env, String(tokens.refresh_token)));
    const again = await verifyJwt(env, String(refreshed.id_token));
    expect(again.payload).toMatchObject({ email: "ada@example.test", acr: ACR_PASSWORD, amr: ["pwd"] });
  });

  it("answers acr_values with the acr of a password sign-in", async () => {
    const { code, verifier } = await obtainCode(env, { scope: "openid", extra: { acr_values: `${ACR_PASSWORD} 1 2` } });
    const id = await verifyJwt(env, String(body(await exchangeCode(env, code, { verifier })).id_token));
    expect(id.payload.acr).toBe(ACR_PASSWORD);
    const plain = await obtainCode(env, { scope: "openid" });
    const plainId = await verifyJwt(env, String(body(await exchangeCode(env, plain.code, { verifier: plain.verifier })).id_token));
    expect(plainId.payload.acr).toBeUndefined();
    expect(plainId.payload.amr).toEqual(["pwd"]);
  });

  it("redirects invalid_request for a claims parameter that is not JSON, and access_denied for an unmet essential acr", async () => {
    const base = { client_id: "web-app", redirect_uri: "https://app.example/callback", response_type: "code", scope: "openid", state: "s1" };
    const pkce = { code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", code_challenge_method: "S256" };
    const invalid = await env.provider.authorize.validate(new URLSearchParams({ ...base, ...pkce, claims: "{oops" }));
    expect(invalid.type).toBe("redirect");
    if (invalid.type === "redirect") expect(new URL(invalid.url).searchParams.get("error")).toBe("invalid_request");
    const unmet = await env.provider.authorize.validate(
      new URLSearchParams({ ...base, ...pkce, claims: JSON.stringify({ id_token: { acr: { essential: true, values: ["urn:x:mfa"] } } }) }),
    );
    expect(unmet.type).toBe("redirect");
    if (unmet.type === "redirect") {
      const params = new URL(unmet.url).searchParams;
      expect(params.get("error")).toBe("access_denied");
      expect(params.get("state")).toBe("s1");
    }
  });
});

describe("a claims request for a specific sub (OIDC Core §5.5.1)", () => {
  let env: Env;
  beforeEach(async () => {
    env = await createEnv();
  });

  const request = async (sub: string, prompt?: string) => {
    const params = new URLSearchParams({
      client_id: "web-app", redirect_uri: "https://app.example/callback", response_type: "code", scope: "openid", state: "s2",
      code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", code_challenge_method: "S256",
      claims: JSON.stringify({ id_token: { sub: { value: sub } } }),
    });
    if (prompt) params.set("prompt", prompt);
    const result = await env.provider.authorize.validate(params);
    if (result.type !== "ok") throw new Error("request refused");
    return result.request;
  };

  it("answers for the requested user, and never with another user's tokens", async () => {
    const session = { userId: USER.id, authTime: env.clock.now() };
    const ok = await env.provider.authorize.approve(await request(USER.id), session);
    expect(new URL(ok.redirectUrl).searchParams.get("code")).toBeTruthy();

    const silent = await env.provider.authorize.decide(await request("someone-else", "none"), { session, grant: null });
    expect(silent.type === "redirect" && new URL(silent.url).searchParams.get("error")).toBe("login_required");
    env.clock.advance(5);
    const stale = await env.provider.authorize.decide(await request("someone-else"), { session, grant: null });
    expect(stale.type).toBe("login");
    const fresh = await env.provider.authorize.decide(await request("someone-else"), { session, grant: null, loginFresh: true });
    expect(fresh.type === "redirect" && new URL(fresh.url).searchParams.get("error")).toBe("access_denied");
  });
});
