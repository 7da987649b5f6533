// RFC 8707 resource indicators: tokens bound to the API they were requested for.
import { decodeJwt } from "jose";
import { beforeEach, describe, expect, it } from "vitest";
import { AUDIENCE, body, ISSUER, post, type Env, createEnv, get } from "./helpers/fixtures";
import { exchangeCode, introspect, obtainCode, refresh, WEB } from "./helpers/flows";

const NOTES = { identifier: "https://notes.example.test/mcp", name: "Notes", scopes: ["read"], accessTokenTtl: 120 };
const CALENDAR = { identifier: "https://calendar.example.test/", name: "Calendar", scopes: [], accessTokenTtl: null };
const UNGRANTED = { identifier: "https://other.example.test/api", name: "Other", scopes: [], accessTokenTtl: null };

let env: Env;
beforeEach(async () => {
  env = await createEnv();
  for (const api of [NOTES, CALENDAR, UNGRANTED]) env.store.addApi(api);
});

async function authorize(extra: [string, string][]) {
  const params = new URLSearchParams({
    client_id: "web-app",
    redirect_uri: "https://app.example/callback",
    response_type: "code",
    scope: "read offline_access",
    state: "s1",
  });
  for (const [k, v] of extra) params.append(k, v);
  return env.provider.authorize.validate(params);
}

async function codeFor(resources: string[]) {
  const result = await authorize(resources.map((r) => ["resource", r]));
  if (result.type !== "ok") throw new Error(JSON.stringify(result));
  expect(result.request.resource).toEqual(resources);
  const { redirectUrl } = await env.provider.authorize.approve(result.request, { userId: "user-1", authTime: env.clock.now() });
  return new URL(redirectUrl).searchParams.get("code")!;
}

async function tokens(code: string, resources: string[] = []) {
  const params: [string, string][] = [
    ["grant_type", "authorization_code"],
    ["code", code],
    ["redirect_uri", "https://app.example/callback"],
    ...resources.map((r): [string, string] => ["resource", r]),
  ];
  return env.provider.token(await post("/oauth/token", params, { basic: WEB }));
}

describe("resource indicators (RFC 8707)", () => {
  it("binds the access token's audience and lifetime to the one API requested", async () => {
    const res = await tokens(await codeFor([NOTES.identifier]));
    expect(res.status).toBe(200);
    const answer = body(res) as { access_token: string; expires_in: number };
    const claims = decodeJwt(answer.access_token);
    expect(claims.aud).toBe(NOTES.identifier);
    expect(answer.expires_in).toBe(120);
    expect(claims.exp! - claims.iat!).toBe(120);
    expect(await introspect(env, answer.access_token)).toMatchObject({ active: true, aud: NOTES.identifier });
  });

  it("names every requested API in aud, and lets the token request narrow them", async () => {
    const both = await tokens(await codeFor([NOTES.identifier, CALENDAR.identifier]));
    expect(decodeJwt((body(both) as { access_token: string }).access_token).aud).toEqual([NOTES.identifier, CALENDAR.identifier]);

    const narrowed = await tokens(await codeFor([NOTES.identifier, CALENDAR.identifier]), [CALENDAR.identifier]);
    expect(decodeJwt((body(narrowed) as { access_token: string }).access_token).aud).toBe(CALENDAR.identifier);
  });

  it("refuses a token request for an API the authorization did not name", async () => {
    const res = await tokens(await codeFor([NOTES.identifier]), [UNGRANTED.identifier]);
    expect(res.status).toBe(400);
    expect(body(res).error).toBe("invalid_target");
  });

  it("refuses a token request naming an API when the authorization named none (the user saw no API)", async () => {
    const res = await tokens(await codeFor([]), [NOTES.identifier]);
    expect(res.status).toBe(400);
    expect(body(res)).toMatchObject({ error: "invalid_target", error_description: expect.stringContaining("named no resource") });
    const plain = await tokens(await codeFor([]));
    expect(decodeJwt((body(plain) as { access_token: string }).access_token).aud).toBe(AUDIENCE);
  });

  it("lets a refresh narrow the resources, never widen them", async () => {
    const first = body(await tokens(await codeFor([NOTES.identifier, CALENDAR.identifier]), [NOTES.identifier])) as {
      refresh_token: string;
    };
    const narrowed = await refresh(env, first.refresh_token, { resource: CALENDAR.identifier });
    expect(narrowed.status).toBe(200);
    const second = body(narrowed) as { access_token: string; refresh_token: string };
    expect(decodeJwt(second.access_token).aud).toBe(CALENDAR.identifier);

    // The grant keeps both: the next refresh may ask for either, or get both back.
    const all = body(await refresh(env, second.refresh_token)) as { access_token: string; refresh_token: string };
    expect(decodeJwt(all.access_token).aud).toEqual([NOTES.identifier, CALENDAR.identifier]);

    const widened = await refresh(env, all.refresh_token, { resource: UNGRANTED.identifier });
    expect(widened.status).toBe(400);
    expect(body(widened).error).toBe("invalid_target");
  });

  it("answers invalid_target to a refresh whose grant names a removed API, and the token still refreshes for the APIs that remain", async () => {
    const first = body(await tokens(await codeFor([NOTES.identifier, CALENDAR.identifier]))) as { refresh_token: string };
    env.store.apis.delete(CALENDAR.identifier);
    const plain = await refresh(env, first.refresh_token);
    expect(plain.status).toBe(400);
    expect(body(plain).error).toBe("invalid_target");
    const narrowed = await refresh(env, first.refresh_token, { resource: NOTES.identifier });
    expect(narrowed.status).toBe(200);
    expect(decodeJwt((body(narrowed) as { access_token: string }).access_token).aud).toBe(NOTES.identifier);
  });

  it("answers invalid_target to a code whose API was removed, and leaves no token of that exchange usable", async () => {
    const code = await codeFor([NOTES.identifier, CALENDAR.identifier]);
    env.store.apis.delete(CALENDAR.identifier);
    const res = await tokens(code);
    expect(res.status).toBe(400);
    expect(body(res).error).toBe("invalid_target");
    // The code was used up by that attempt: RFC 6749 §4.1.2.
    expect(body(await tokens(code)).error).toBe("invalid_grant");
  });

  it("revokes the exchange's refresh token when the API lookup refuses a resource the store still had", async () => {
    // An instance whose API cache is a moment behind a re-registration: the store redeems the
    // code (the API is registered), the cached lookup does not find it.
    const code = await codeFor([NOTES.identifier]);
    const getApi = env.store.getApi.bind(env.store);
    env.store.getApi = async (identifier) => (identifier === NOTES.identifier ? null : getApi(identifier));
    const res = await tokens(code);
    expect(res.status).toBe(400);
    expect(body(res).error).toBe("invalid_target");
    const stored = [...env.store.refreshTokens.keys()];
    expect(stored).toHaveLength(1);
    expect((await env.store.findRefreshTokenUse(stored[0]!))!.familyRevoked).toBe(true);
  });

  it("answers invalid_target at the authorization endpoint for an unknown or malformed resource, with iss", async () => {
    for (const resource of ["https://unknown.example.test/", "https://notes.example.test/mcp#frag", "not a uri"]) {
      const result = await authorize([["resource", resource]]);
      expect(result.type).toBe("redirect");
      const url = new URL((result as { url: string }).url);
      expect(url.searchParams.get("error")).toBe("invalid_target");
      expect(url.searchParams.get("iss")).toBe(ISSUER);
      expect(url.searchParams.get("state")).toBe("s1");
    }
  });

  it("asks for consent again when an app the user allowed names an API the user has not allowed it", async () => {
    const session = { userId: "user-1", authTime: env.clock.now() };
    const decide = async (resources: string[], prompt?: string) => {
      const result = await authorize([...resources.map((r): [string, string] => ["resource", r]), ...(prompt ? [["prompt", prompt] as [string, string]] : [])]);
      if (result.type !== "ok") throw new Error(JSON.stringify(result));
      return { request: result.request, decision: await env.provider.authorize.decide(result.request, { session, grant: await env.store.getGrant("user-1", "web-app") }) };
    };
    await codeFor([NOTES.identifier]);
    expect((await decide([NOTES.identifier])).decision.type).toBe("redirect");

    const other = await decide([CALENDAR.identifier]);
    expect(other.decision).toEqual({ type: "consent", newScopes: [] });
    const silent = (await decide([CALENDAR.identifier], "none")).decision;
    expect(silent.type === "redirect" && new URL(silent.url).searchParams.get("error")).toBe("consent_required");

    await env.provider.authorize.approve(other.request, session);
    expect((await env.store.getGrant("user-1", "web-app"))!.resources.sort()).toEqual([CALENDAR.identifier, NOTES.identifier].sort());
    expect((await decide([CALENDAR.identifier], "none")).decision.type).toBe("redirect");
    expect((await decide([])).decision.type).toBe("redirect");
  });

  it("keeps the default audience when no resource is named", async () => {
    const { code, verifier } = await obtainCode(env);
    const answer = body(await exchangeCode(env, code, { verifier })) as { access_token: string };
    expect(decodeJwt(answer.access_token).aud).toBe(AUDIENCE);
  });

  it("gives client_credentials tokens for a named API, and invalid_target for an unknown one", async () => {
    const ok = await env.provider.token(
      await post("/oauth/token", { grant_type: "client_credentials", resource: NOTES.identifier }, { basic: WEB }),
    );
    expect(decodeJwt((body(ok) as { access_token: string }).access_token).aud).toBe(NOTES.identifier);
    const unknown = await env.provider.token(
      await post("/oauth/token", { grant_type: "client_credentials", resource: "https://nope.example.test/" }, { basic: WEB }),
    );
    expect(unknown.status).toBe(400);
    expect(body(unknown).error).toBe("invalid_target");
  });

  it("lets a resource accept only tokens meant for it", async () => {
    const forNotes = (body(await tokens(await codeFor([NOTES.identifier]))) as { access_token: string }).access_token;
    const atNotes = await env.provider.verifyBearer(`Bearer ${forNotes}`, ["read"], { audiences: [NOTES.identifier] });
    expect(atNotes.ok).toBe(true);
    const atCalendar = await env.provider.verifyBearer(`Bearer ${forNotes}`, [], {
      audiences: [CALENDAR.identifier],
      resourceMetadata: "https://calendar.example.test/.well-known/oauth-protected-resource",
    });
    expect(atCalendar.ok).toBe(false);
    if (atCalendar.ok) return;
    expect(atCalendar.response.status).toBe(401);
    expect(atCalendar.response.headers["WWW-Authenticate"]).toContain('error="invalid_token"');
    expect(atCalendar.response.headers["WWW-Authenticate"]).toContain(
      'resource_metadata="https://calendar.example.test/.well-known/oauth-protected-resource"',
    );
    // The default audience (the server's own APIs) refuses it too.
    expect((await env.provider.verifyBearer(`Bearer ${forNotes}`, [])).ok).toBe(false);
  });

  it("does not answer userinfo for a token requested for another API", async () => {
    const result = await authorize([["resource", NOTES.identifier]]);
    if (result.type !== "ok") throw new Error("authorize failed");
    result.request.scope = ["openid"];
    const { redirectUrl } = await env.provider.authorize.approve(result.request, { userId: "user-1", authTime: env.clock.now() });
    const code = new URL(redirectUrl).searchParams.get("code")!;
    const answer = body(await tokens(code)) as { access_token: string };
    const res = await env.provider.userinfo(await get("/oauth/userinfo", { authorization: `Bearer ${answer.access_token}` }));
    expect(res.status).toBe(401);
  });
});
