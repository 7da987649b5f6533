import { beforeEach, describe, expect, it } from "vitest";
import { issuesRefreshToken } from "@/lib/oauth/grants/issue";
import { body, createEnv, post, SECRETS, USER, type Env } from "./helpers/fixtures";
import { obtainTokens, refresh } from "./helpers/flows";

let env: Env;
beforeEach(async () => {
  env = await createEnv();
});

describe("refresh tokens follow offline_access when openid is asked for (OIDC Core §11)", () => {
  it("issues no refresh token for openid without offline_access, but still the ID token", async () => {
    const tokens = await obtainTokens(env, { scope: "openid profile read" });
    expect(tokens.refresh_token).toBeUndefined();
    expect(tokens.id_token).toBeDefined();
    expect(tokens.scope).toBe("openid profile read");
    expect(env.store.refreshTokens.size).toBe(0);
  });

  it("issues a refresh token for openid with offline_access", async () => {
    const tokens = await obtainTokens(env, { scope: "openid offline_access read" });
    expect(tokens.refresh_token).toMatch(/^lk_rt_/);
    expect(tokens.id_token).toBeDefined();
  });

  it("keeps plain OAuth as it was: without openid, the client's refresh_token grant decides", async () => {
    const tokens = await obtainTokens(env, { scope: "read" });
    expect(tokens.refresh_token).toMatch(/^lk_rt_/);
    expect(tokens.id_token).toBeUndefined();

    env.clients.web.grantTypes = ["authorization_code"];
    expect((await obtainTokens(env, { scope: "read" })).refresh_token).toBeUndefined();
  });

  it("issues none for offline_access to a client without the refresh_token grant", async () => {
    env.clients.web.grantTypes = ["authorization_code"];
    expect((await obtainTokens(env, { scope: "openid offline_access read" })).refresh_token).toBeUndefined();
  });

  it("a refresh token obtained with offline_access still rotates when the refresh narrows the scope", async () => {
    const first = await obtainTokens(env, { scope: "openid offline_access read" });
    const narrowed = body(await refresh(env, first.refresh_token!, { scope: "openid read" }));
    expect(narrowed.scope).toBe("openid read");
    expect(String(narrowed.refresh_token)).toMatch(/^lk_rt_/);
    const again = body(await refresh(env, String(narrowed.refresh_token)));
    expect(again.scope).toBe("openid offline_access read");
  });

  describe("password grant", () => {
    const passwordGrant = async (scope: string) =>
      body(
        await env.provider.token(
          await post("/oauth/token", { grant_type: "password", username: USER.username, password: USER.password, scope }, { basic: ["first-party", SECRETS.password] }),
        ),
      );

    it("follows the same rule", async () => {
      expect((await passwordGrant("openid email")).refresh_token).toBeUndefined();
      expect(String((await passwordGrant("openid email offline_access")).refresh_token)).toMatch(/^lk_rt_/);
      expect(String((await passwordGrant("read")).refresh_token)).toMatch(/^lk_rt_/);
    });
  });

  it("issuesRefreshToken states the rule the consent screen shows", () => {
    const refreshing = ["authorization_code", "refresh_token"];
    expect(issuesRefreshToken(refreshing, ["openid", "profile"])).toBe(false);
    expect(issuesRefreshToken(refreshing, ["openid", "offline_access"])).toBe(true);
    expect(issuesRefreshToken(refreshing, ["read"])).toBe(true);
    expect(issuesRefreshToken(refreshing, ["offline_access"])).toBe(true);
    expect(issuesRefreshToken(["authorization_code"], ["openid", "offline_access"])).toBe(false);
    expect(issuesRefreshToken(["authorization_code"], ["read"])).toBe(false);
  });
});
