import { beforeEach, describe, expect, it } from "vitest";
import { body, createEnv, post, type Env } from "./helpers/fixtures";
import { obtainTokens, WEB } from "./helpers/flows";

let env: Env;
beforeEach(async () => {
  env = await createEnv();
});

const REALM = 'Bearer realm="https://auth.example.test"';

describe("verifyBearer (RFC 6750)", () => {
  it("accepts a valid token with the required scopes and returns its claims", async () => {
    const tokens = await obtainTokens(env);
    const result = await env.provider.verifyBearer(`Bearer ${tokens.access_token}`, ["read"]);
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.token).toMatchObject({ sub: "user-1", client_id: "web-app", scope: "openid profile email offline_access read" });
  });

  it("accepts the scheme in any case", async () => {
    const tokens = await obtainTokens(env);
    expect((await env.provider.verifyBearer(`bearer ${tokens.access_token}`, [])).ok).toBe(true);
  });

  it("answers 401 with a bare challenge, no error code, when there are no credentials", async () => {
    for (const header of [null, "", "Basic abc"]) {
      const result = await env.provider.verifyBearer(header, ["read"]);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.response.status).toBe(401);
        expect(result.response.headers["WWW-Authenticate"]).toBe(REALM);
      }
    }
  });

  it("answers 401 invalid_token for a malformed token", async () => {
    const result = await env.provider.verifyBearer("Bearer not a token", []);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.response.status).toBe(401);
      expect(result.response.headers["WWW-Authenticate"]).toBe(
        `${REALM}, error="invalid_token", error_description="The access token is malformed"`,
      );
      expect(body(result.response).error).toBe("invalid_token");
    }
  });

  it("answers 401 invalid_token for a token that is not ours", async () => {
    const result = await env.provider.verifyBearer("Bearer abc.def.ghi", []);
    expect(!result.ok && result.response.headers["WWW-Authenticate"]).toBe(
      `${REALM}, error="invalid_token", error_description="The access token is invalid"`,
    );
  });

  it("answers 401 invalid_token once the token expired", async () => {
    const tokens = await obtainTokens(env);
    env.clock.advance(600);
    const result = await env.provider.verifyBearer(`Bearer ${tokens.access_token}`, []);
    expect(!result.ok && result.response.status).toBe(401);
    expect(!result.ok && result.response.headers["WWW-Authenticate"]).toBe(
      `${REALM}, error="invalid_token", error_description="The access token expired"`,
    );
  });

  it("answers 401 invalid_token for a revoked token", async () => {
    const tokens = await obtainTokens(env);
    await env.provider.revocation(await post("/oauth/revoke", { token: tokens.refresh_token! }, { basic: WEB }));
    const result = await env.provider.verifyBearer(`Bearer ${tokens.access_token}`, []);
    expect(!result.ok && result.response.headers["WWW-Authenticate"]).toContain('error="invalid_token"');
  });

  it("answers 401 invalid_token for an ID token", async () => {
    const tokens = await obtainTokens(env);
    const result = await env.provider.verifyBearer(`Bearer ${tokens.id_token}`, []);
    expect(!result.ok && result.response.status).toBe(401);
  });

  it("answers 403 insufficient_scope naming the required scopes", async () => {
    const tokens = await obtainTokens(env, { scope: "openid read" });
    const result = await env.provider.verifyBearer(`Bearer ${tokens.access_token}`, ["read", "write"]);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.response.status).toBe(403);
      expect(result.response.headers["WWW-Authenticate"]).toBe(
        `${REALM}, error="insufficient_scope", error_description="The access token lacks a required scope", scope="read write"`,
      );
      expect(body(result.response)).toMatchObject({ error: "insufficient_scope", scope: "read write" });
    }
  });
});
