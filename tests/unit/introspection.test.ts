import { SignJWT } from "jose";
import { beforeEach, describe, expect, it } from "vitest";
import { body, createEnv, createSigningKey, post, SECRETS, type Env } from "./helpers/fixtures";
import { introspect, obtainTokens, OTHER, refresh, verifyJwt, WEB } from "./helpers/flows";

let env: Env;
beforeEach(async () => {
  env = await createEnv();
});

describe("introspection endpoint (RFC 7662)", () => {
  it("describes an active access token", async () => {
    const tokens = await obtainTokens(env);
    const { payload } = await verifyJwt(env, tokens.access_token);
    const res = await env.provider.introspection(await post("/oauth/introspect", { token: tokens.access_token }, { basic: WEB }));
    expect(res.status).toBe(200);
    expect(res.headers["Cache-Control"]).toBe("no-store");
    expect(body(res)).toEqual({
      active: true,
      scope: "openid profile email offline_access read",
      client_id: "web-app",
      sub: "user-1",
      aud: "https://api.example.test",
      iss: "https://auth.example.test",
      exp: payload.exp,
      iat: payload.iat,
      jti: payload.jti,
      token_type: "Bearer",
    });
  });

  it("lets another confidential client (a resource server) introspect an access token", async () => {
    const tokens = await obtainTokens(env);
    expect(await introspect(env, tokens.access_token, {}, OTHER)).toMatchObject({ active: true, client_id: "web-app" });
  });

  it("describes an active refresh token to its own client", async () => {
    const tokens = await obtainTokens(env);
    const result = await introspect(env, tokens.refresh_token!, { token_type_hint: "refresh_token" });
    expect(result).toMatchObject({
      active: true,
      token_type: "refresh_token",
      client_id: "web-app",
      sub: "user-1",
      scope: "openid profile email offline_access read",
      exp: Math.floor(env.clock.now().getTime() / 1000) + 86_400,
    });
  });

  it("does not disclose a refresh token to another client", async () => {
    const tokens = await obtainTokens(env);
    expect(await introspect(env, tokens.refresh_token!, {}, OTHER)).toEqual({ active: false });
  });

  it("hint is only a search order: a wrong hint still finds the token", async () => {
    const tokens = await obtainTokens(env);
    expect(await introspect(env, tokens.access_token, { token_type_hint: "refresh_token" })).toMatchObject({ active: true });
    expect(await introspect(env, tokens.refresh_token!, { token_type_hint: "access_token" })).toMatchObject({ active: true });
  });

  describe("answers only active:false for", () => {
    it("garbage", async () => {
      expect(await introspect(env, "garbage")).toEqual({ active: false });
      expect(await introspect(env, "lk_rt_garbage")).toEqual({ active: false });
    });

    it("a token signed by a key we do not publish", async () => {
      const foreign = await createSigningKey("key-1");
      const token = await new SignJWT({ client_id: "web-app", scope: "read", jti: "x", sub: "web-app" })
        .setProtectedHeader({ alg: "ES256", typ: "at+jwt", kid: "key-1" })
        .setIssuer("https://auth.example.test")
        .setAudience("https://api.example.test")
        .setIssuedAt()
        .setExpirationTime("1h")
        .sign(foreign.privateKey);
      expect(await introspect(env, token)).toEqual({ active: false });
    });

    it("an ID token (typ JWT, not at+jwt)", async () => {
      const tokens = await obtainTokens(env);
      expect(await introspect(env, tokens.id_token!)).toEqual({ active: false });
    });

    it("an expired access token", async () => {
      const tokens = await obtainTokens(env);
      env.clock.advance(599);
      expect(await introspect(env, tokens.access_token)).toMatchObject({ active: true });
      env.clock.advance(1);
      expect(await introspect(env, tokens.access_token)).toEqual({ active: false });
    });

    it("an access token seen before, once its signing key is retired", async () => {
      const tokens = await obtainTokens(env);
      expect(await introspect(env, tokens.access_token)).toMatchObject({ active: true });
      const next = await createSigningKey("key-2");
      env.keys.signing = [next, env.rsaKey];
      env.keys.published = [next, env.rsaKey];
      expect(await introspect(env, tokens.access_token)).toEqual({ active: false });
    });

    it("a revoked access token, though it was introspected (and found active) before", async () => {
      const tokens = await obtainTokens(env);
      expect(await introspect(env, tokens.access_token)).toMatchObject({ active: true });
      await env.provider.revocation(await post("/oauth/revoke", { token: tokens.access_token }, { basic: WEB }));
      expect(await introspect(env, tokens.access_token)).toEqual({ active: false });
    });

    it("a revoked access token", async () => {
      const tokens = await obtainTokens(env);
      await env.provider.revocation(await post("/oauth/revoke", { token: tokens.access_token }, { basic: WEB }));
      expect(await introspect(env, tokens.access_token)).toEqual({ active: false });
    });

    it("an access token of a revoked family", async () => {
      const tokens = await obtainTokens(env);
      const fid = (await verifyJwt(env, tokens.access_token)).payload.fid as string;
      await env.store.revokeTokenFamily(fid, env.clock.now());
      expect(await introspect(env, tokens.access_token)).toEqual({ active: false });
      expect(await introspect(env, tokens.refresh_token!)).toEqual({ active: false });
    });

    it("tokens of a grant the user removed", async () => {
      const tokens = await obtainTokens(env);
      for (const grant of env.store.grants.values()) env.store.revokeGrant(grant.id);
      expect(await introspect(env, tokens.access_token)).toEqual({ active: false });
      expect(await introspect(env, tokens.refresh_token!)).toEqual({ active: false });
    });

    it("tokens of a client that was suspended", async () => {
      const tokens = await obtainTokens(env);
      env.clients.web.status = "suspended";
      expect(await introspect(env, tokens.access_token, {}, OTHER)).toEqual({ active: false });
    });

    it("client-credentials tokens issued before a suspension, after the app is reactivated; later ones are active", async () => {
      const clientCredentials = async () =>
        (body(await env.provider.token(await post("/oauth/token", { grant_type: "client_credentials" }, { basic: WEB }))) as { access_token: string }).access_token;
      const before = await clientCredentials();
      // What the app's suspension records (reactivating leaves it), in the second `before` was issued in:
      // iat has whole seconds, so that token counts as ended, and the next second's are active.
      env.clients.web.tokensEndedAt = new Date(Math.floor(env.clock.now().getTime() / 1000) * 1000 + 999);
      env.clock.advance(1);
      const after = await clientCredentials();
      expect(await introspect(env, before, {}, OTHER)).toEqual({ active: false });
      expect(await introspect(env, after, {}, OTHER)).toMatchObject({ active: true, client_id: "web-app" });
    });

    it("a rotated refresh token", async () => {
      const tokens = await obtainTokens(env);
      await refresh(env, tokens.refresh_token!);
      expect(await introspect(env, tokens.refresh_token!)).toEqual({ active: false });
    });

    it("an expired refresh token", async () => {
      const tokens = await obtainTokens(env);
      env.clock.advance(86_400);
      expect(await introspect(env, tokens.refresh_token!)).toEqual({ active: false });
    });
  });

  it("rejects public clients with 401 invalid_client", async () => {
    const res = await env.provider.introspection(await post("/oauth/introspect", { token: "x", client_id: "spa" }));
    expect(res.status).toBe(401);
    expect(body(res).error).toBe("invalid_client");
  });

  it("rejects unauthenticated callers with 401 invalid_client", async () => {
    const res = await env.provider.introspection(await post("/oauth/introspect", { token: "x" }));
    expect(res.status).toBe(401);
    const bad = await env.provider.introspection(
      await post("/oauth/introspect", { token: "x" }, { basic: ["web-app", `${SECRETS.web}x`] }),
    );
    expect(bad.status).toBe(401);
    expect(bad.headers["WWW-Authenticate"]).toBe('Basic realm="https://auth.example.test"');
  });

  it("requires the token parameter", async () => {
    const res = await env.provider.introspection(await post("/oauth/introspect", {}, { basic: WEB }));
    expect(body(res).error).toBe("invalid_request");
  });
});
