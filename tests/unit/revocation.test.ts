import { beforeEach, describe, expect, it } from "vitest";
import { body, createEnv, get, post, type Env } from "./helpers/fixtures";
import { exchangeCode, introspect, obtainCode, obtainTokens, OTHER, refresh, WEB } from "./helpers/flows";

let env: Env;
beforeEach(async () => {
  env = await createEnv();
});

const revoke = async (params: Record<string, string>, basic: [string, string] | null = WEB) =>
  env.provider.revocation(await post("/oauth/revoke", params, basic === null ? {} : { basic }));

describe("revocation endpoint (RFC 7009)", () => {
  it("revoking a refresh token revokes its family, access tokens included", async () => {
    const tokens = await obtainTokens(env);
    const res = await revoke({ token: tokens.refresh_token!, token_type_hint: "refresh_token" });
    expect(res.status).toBe(200);
    // RFC 7009 §2.2 ignores the body; an empty JSON object keeps JSON-only clients (simple-oauth2) happy.
    expect(body(res)).toEqual({});
    expect(res.headers["Cache-Control"]).toBe("no-store");
    expect(body(await refresh(env, tokens.refresh_token!)).error).toBe("invalid_grant");
    expect(await introspect(env, tokens.access_token)).toEqual({ active: false });
  });

  it("revokes an access token by itself, leaving the refresh token usable", async () => {
    const tokens = await obtainTokens(env);
    const res = await revoke({ token: tokens.access_token });
    expect(res.status).toBe(200);
    expect(await introspect(env, tokens.access_token)).toEqual({ active: false });
    expect((await refresh(env, tokens.refresh_token!)).status).toBe(200);
  });

  it("finds the token whatever the hint says", async () => {
    const tokens = await obtainTokens(env);
    await revoke({ token: tokens.access_token, token_type_hint: "refresh_token" });
    expect(await introspect(env, tokens.access_token)).toEqual({ active: false });
    await revoke({ token: tokens.refresh_token!, token_type_hint: "access_token" });
    expect(body(await refresh(env, tokens.refresh_token!)).error).toBe("invalid_grant");
  });

  it("ignores unknown hint values", async () => {
    const tokens = await obtainTokens(env);
    expect((await revoke({ token: tokens.access_token, token_type_hint: "id_token" })).status).toBe(200);
    expect(await introspect(env, tokens.access_token)).toEqual({ active: false });
  });

  it("revokes an expired access token too", async () => {
    const tokens = await obtainTokens(env);
    env.clock.advance(601);
    expect((await revoke({ token: tokens.access_token })).status).toBe(200);
    expect(env.store.revokedAccessTokens.size).toBe(1);
  });

  it("answers 200 for an unknown or malformed token", async () => {
    expect((await revoke({ token: "lk_rt_nothing" })).status).toBe(200);
    expect((await revoke({ token: "not-a-token" })).status).toBe(200);
    expect((await revoke({ token: "a.b.c" })).status).toBe(200);
  });

  it("refuses to revoke another client's tokens and leaves them untouched (RFC 7009 §2.1)", async () => {
    const tokens = await obtainTokens(env);
    for (const token of [tokens.refresh_token!, tokens.access_token]) {
      const res = await revoke({ token }, OTHER);
      expect(res.status).toBe(400);
      expect(body(res).error).toBe("unauthorized_client");
    }
    expect(await introspect(env, tokens.access_token)).toMatchObject({ active: true });
    expect((await refresh(env, tokens.refresh_token!)).status).toBe(200);
  });

  it("lets a public client revoke its tokens with client_id alone", async () => {
    const { code, verifier } = await obtainCode(env, { clientId: "spa", redirectUri: "https://spa.example/cb" });
    const spa = body(
      await exchangeCode(env, code, { verifier, redirectUri: "https://spa.example/cb", basic: null, extra: { client_id: "spa" } }),
    );
    const res = await revoke({ token: String(spa.refresh_token), client_id: "spa" }, null);
    expect(res.status).toBe(200);
    const again = await env.provider.token(
      await post("/oauth/token", { grant_type: "refresh_token", refresh_token: String(spa.refresh_token), client_id: "spa" }),
    );
    expect(body(again).error).toBe("invalid_grant");
  });

  it("requires the token parameter", async () => {
    const res = await revoke({});
    expect(res.status).toBe(400);
    expect(body(res).error).toBe("invalid_request");
  });

  it("requires client authentication", async () => {
    const res = await revoke({ token: "x" }, ["web-app", "wrong"]);
    expect(res.status).toBe(401);
    expect(body(res).error).toBe("invalid_client");
    expect(res.headers["WWW-Authenticate"]).toContain("Basic");
  });

  it("answers 405 to GET", async () => {
    const res = await env.provider.revocation(await get("/oauth/revoke"));
    expect(res.status).toBe(405);
    expect(res.headers.Allow).toBe("POST");
  });
});
