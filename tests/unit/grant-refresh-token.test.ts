import { beforeEach, describe, expect, it } from "vitest";
import { body, createEnv, post, USER, type Env } from "./helpers/fixtures";
import { introspect, obtainTokens, OTHER, refresh, verifyJwt } from "./helpers/flows";

let env: Env;
beforeEach(async () => {
  env = await createEnv();
});

describe("refresh_token grant", () => {
  it("rotates: returns a new refresh token and a new access token of the same family", async () => {
    const first = await obtainTokens(env, { nonce: "abc" });
    env.clock.advance(30);
    const res = await refresh(env, first.refresh_token!);
    expect(res.status).toBe(200);
    const next = body(res);
    expect(next.refresh_token).not.toBe(first.refresh_token);
    expect(next).toMatchObject({ token_type: "Bearer", expires_in: 600, scope: "openid profile email offline_access read" });
    const a1 = await verifyJwt(env, first.access_token);
    const a2 = await verifyJwt(env, String(next.access_token));
    expect(a2.typ).toBe("at+jwt");
    expect(a2.payload.fid).toBe(a1.payload.fid);
    expect(a2.payload.auth_time).toBe(a1.payload.auth_time);
    expect(a2.payload.iat).toBe(a1.payload.iat! + 30);
  });

  it("issues a new ID token without nonce, keeping auth_time (OIDC Core §12.2)", async () => {
    const first = await obtainTokens(env, { nonce: "abc" });
    const authTime = (await verifyJwt(env, first.id_token!)).payload.auth_time;
    env.clock.advance(100);
    const next = body(await refresh(env, first.refresh_token!));
    const id = await verifyJwt(env, String(next.id_token));
    expect(id.payload).toMatchObject({ sub: USER.id, aud: "web-app", auth_time: authTime });
    expect(id.payload.nonce).toBeUndefined();
  });

  it("narrows the access token's scope while the new refresh token keeps the original scope (RFC 6749 §6)", async () => {
    const first = await obtainTokens(env);
    const narrowed = body(await refresh(env, first.refresh_token!, { scope: "read" }));
    expect(narrowed.scope).toBe("read");
    expect(narrowed.id_token).toBeUndefined();
    expect((await verifyJwt(env, String(narrowed.access_token))).payload.scope).toBe("read");
    const again = body(await refresh(env, String(narrowed.refresh_token)));
    expect(again.scope).toBe("openid profile email offline_access read");
  });

  it("refuses to widen the scope with invalid_scope", async () => {
    const first = await obtainTokens(env, { scope: "openid offline_access read" });
    const res = await refresh(env, first.refresh_token!, { scope: "openid offline_access read write" });
    expect(res.status).toBe(400);
    expect(body(res).error).toBe("invalid_scope");
  });

  it("requires refresh_token", async () => {
    const res = await env.provider.token(
      await post("/oauth/token", { grant_type: "refresh_token" }, { basic: ["web-app", "lk_secret_web-app-secret-value"] }),
    );
    expect(body(res).error).toBe("invalid_request");
  });

  it("rejects an unknown refresh token with invalid_grant", async () => {
    const res = await refresh(env, "lk_rt_unknown");
    expect(res.status).toBe(400);
    expect(body(res).error).toBe("invalid_grant");
  });

  it("rejects a refresh token presented by another client", async () => {
    const first = await obtainTokens(env);
    const res = await refresh(env, first.refresh_token!, {}, OTHER);
    expect(body(res).error).toBe("invalid_grant");
    expect((await refresh(env, first.refresh_token!)).status).toBe(200);
  });

  it("rejects an expired refresh token", async () => {
    const first = await obtainTokens(env);
    env.clock.advance(86_400);
    const res = await refresh(env, first.refresh_token!);
    expect(body(res)).toMatchObject({ error: "invalid_grant", error_description: "The refresh token expired" });
  });

  it("a rotated refresh token gets a fresh lifetime", async () => {
    const first = await obtainTokens(env);
    env.clock.advance(80_000);
    const next = body(await refresh(env, first.refresh_token!));
    env.clock.advance(80_000);
    expect((await refresh(env, String(next.refresh_token))).status).toBe(200);
  });

  it("reuse of a rotated token revokes the whole family (RFC 9700 §4.14.2)", async () => {
    const first = await obtainTokens(env);
    const second = body(await refresh(env, first.refresh_token!));

    const replay = await refresh(env, first.refresh_token!);
    expect(replay.status).toBe(400);
    expect(body(replay)).toMatchObject({ error: "invalid_grant", error_description: "The refresh token was already used" });

    const res = await refresh(env, String(second.refresh_token));
    expect(body(res).error).toBe("invalid_grant");
    expect(await introspect(env, String(second.access_token))).toEqual({ active: false });
    expect(await introspect(env, first.access_token)).toEqual({ active: false });
  });

  it("a concurrent rotation that loses the race is treated as reuse", async () => {
    const first = await obtainTokens(env);
    const [a, b] = await Promise.all([refresh(env, first.refresh_token!), refresh(env, first.refresh_token!)]);
    expect([a.status, b.status].sort()).toEqual([200, 400]);
    const winner = body(a.status === 200 ? a : b);
    expect((await refresh(env, String(winner.refresh_token))).status).toBe(400);
  });

  it("rejects a refresh token whose grant the user revoked", async () => {
    const first = await obtainTokens(env);
    for (const grant of env.store.grants.values()) env.store.revokeGrant(grant.id);
    const res = await refresh(env, first.refresh_token!);
    expect(body(res).error).toBe("invalid_grant");
  });

  it("rejects a refresh token whose family was revoked", async () => {
    const first = await obtainTokens(env);
    const fid = (await verifyJwt(env, first.access_token)).payload.fid as string;
    await env.store.revokeTokenFamily(fid, env.clock.now());
    expect(body(await refresh(env, first.refresh_token!)).error).toBe("invalid_grant");
  });

  it("answers unauthorized_client when the client lost the refresh_token grant", async () => {
    const first = await obtainTokens(env);
    env.clients.web.grantTypes = ["authorization_code"];
    expect(body(await refresh(env, first.refresh_token!)).error).toBe("unauthorized_client");
  });
});
