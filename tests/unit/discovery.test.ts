import { importJWK, jwtVerify } from "jose";
import { beforeEach, describe, expect, it } from "vitest";
import { body, createEnv, createSigningKey, type Env } from "./helpers/fixtures";
import { obtainTokens } from "./helpers/flows";

let env: Env;
beforeEach(async () => {
  env = await createEnv();
});

describe("discovery", () => {
  it("publishes OpenID Provider metadata with absolute endpoint URLs", async () => {
    const res = await env.provider.discovery("openid");
    expect(res.status).toBe(200);
    expect(res.headers["Cache-Control"]).toBe("public, max-age=300");
    expect(body(res)).toMatchObject({
      issuer: "https://auth.example.test",
      authorization_endpoint: "https://auth.example.test/oauth/authorize",
      token_endpoint: "https://auth.example.test/oauth/token",
      jwks_uri: "https://auth.example.test/oauth/jwks",
      userinfo_endpoint: "https://auth.example.test/oauth/userinfo",
      revocation_endpoint: "https://auth.example.test/oauth/revoke",
      introspection_endpoint: "https://auth.example.test/oauth/introspect",
      service_documentation: "https://auth.example.test/docs",
      scopes_supported: ["openid", "profile", "email", "offline_access", "read", "write"],
      response_types_supported: ["code", "token"],
      response_modes_supported: ["query", "fragment"],
      grant_types_supported: ["authorization_code", "refresh_token", "client_credentials", "implicit", "password"],
      token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post", "none"],
      introspection_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
      code_challenge_methods_supported: ["S256"],
      subject_types_supported: ["public"],
      id_token_signing_alg_values_supported: ["ES256"],
      prompt_values_supported: ["none", "login", "consent"],
      authorization_response_iss_parameter_supported: true,
      claims_parameter_supported: false,
      request_parameter_supported: false,
      request_uri_parameter_supported: false,
    });
    expect(body(res).claims_supported).toEqual(
      expect.arrayContaining(["sub", "iss", "auth_time", "nonce", "at_hash", "azp", "name", "email", "email_verified"]),
    );
  });

  it("publishes the same issuer and endpoints as RFC 8414 metadata", async () => {
    const oauth = body(await env.provider.discovery("oauth"));
    const openid = body(await env.provider.discovery("openid"));
    expect(oauth.issuer).toBe(openid.issuer);
    expect(oauth.token_endpoint).toBe(openid.token_endpoint);
    expect(oauth.code_challenge_methods_supported).toEqual(["S256"]);
  });

  it("the JWKS verifies the tokens we issue", async () => {
    const tokens = await obtainTokens(env);
    const res = await env.provider.jwks();
    expect(res.status).toBe(200);
    expect(res.headers["Cache-Control"]).toBe("public, max-age=300");
    const { keys } = body(res) as { keys: Record<string, unknown>[] };
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: "EC", crv: "P-256", kid: "key-1", alg: "ES256" });
    expect(keys[0]).not.toHaveProperty("d");
    const key = await importJWK(keys[0]!, "ES256");
    const { protectedHeader } = await jwtVerify(tokens.access_token, key, { currentDate: env.clock.now() });
    expect(protectedHeader.kid).toBe("key-1");
  });

  it("tokens signed with a retiring key stay valid while it is published", async () => {
    const tokens = await obtainTokens(env);
    const next = await createSigningKey("key-2");
    env.keys.published = [next, env.key];
    env.keys.signing = next;
    expect((await env.provider.verifyBearer(`Bearer ${tokens.access_token}`, [])).ok).toBe(true);
    env.keys.published = [next];
    expect((await env.provider.verifyBearer(`Bearer ${tokens.access_token}`, [])).ok).toBe(false);
  });
});
