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
      // No app has the implicit or password grant here: discovery does not offer them.
      response_types_supported: ["code"],
      response_modes_supported: ["query", "fragment"],
      grant_types_supported: [
        "authorization_code",
        "refresh_token",
        "client_credentials",
        "urn:ietf:params:oauth:grant-type:device_code",
      ],
      device_authorization_endpoint: "https://auth.example.test/oauth/device_authorization",
      token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post", "none"],
      introspection_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
      code_challenge_methods_supported: ["S256"],
      subject_types_supported: ["public"],
      id_token_signing_alg_values_supported: ["RS256", "ES256"],
      prompt_values_supported: ["none", "login", "consent"],
      authorization_response_iss_parameter_supported: true,
      claims_parameter_supported: true,
      acr_values_supported: ["urn:latchkey:acr:password"],
      request_parameter_supported: false,
      request_uri_parameter_supported: false,
    });
    expect(body(res).claims_supported).toEqual(
      expect.arrayContaining(["sub", "iss", "auth_time", "nonce", "at_hash", "azp", "acr", "amr", "name", "email", "email_verified"]),
    );
    // OIDC Core §5.1: every standard claim, those of the address and phone scopes included.
    expect(body(res).claims_supported).toEqual(
      expect.arrayContaining(["given_name", "family_name", "picture", "birthdate", "address", "phone_number", "phone_number_verified"]),
    );
  });

  it("publishes the same issuer and endpoints as RFC 8414 metadata", async () => {
    const oauth = body(await env.provider.discovery("oauth"));
    const openid = body(await env.provider.discovery("openid"));
    expect(oauth.issuer).toBe(openid.issuer);
    expect(oauth.token_endpoint).toBe(openid.token_endpoint);
    expect(oauth.code_challenge_methods_supported).toEqual(["S256"]);
  });

  it("the JWKS verifies the tokens we issue: ES256 access tokens, RS256 ID tokens", async () => {
    const tokens = await obtainTokens(env);
    const res = await env.provider.jwks();
    expect(res.status).toBe(200);
    // Well below the key activation delay (600 s by default): see lib/data/signing-keys.ts.
    expect(res.headers["Cache-Control"]).toBe("public, max-age=60");
    const { keys } = body(res) as { keys: Record<string, unknown>[] };
    expect(keys).toHaveLength(2);
    const ec = keys.find((k) => k.alg === "ES256")!;
    const rsa = keys.find((k) => k.alg === "RS256")!;
    expect(ec).toMatchObject({ kty: "EC", crv: "P-256", kid: "key-1", use: "sig" });
    expect(rsa).toMatchObject({ kty: "RSA", kid: "key-rs-1", use: "sig" });
    for (const k of keys) expect(k).not.toHaveProperty("d");
    const access = await jwtVerify(tokens.access_token, await importJWK(ec, "ES256"), { currentDate: env.clock.now() });
    expect(access.protectedHeader).toMatchObject({ alg: "ES256", kid: "key-1", typ: "at+jwt" });
    const id = await jwtVerify(tokens.id_token!, await importJWK(rsa, "RS256"), { currentDate: env.clock.now() });
    expect(id.protectedHeader).toMatchObject({ alg: "RS256", kid: "key-rs-1", typ: "JWT" });
  });

  it("advertises only the ID token algorithms it has keys for", async () => {
    env.keys.signing = [env.key];
    env.keys.published = [env.key];
    expect(body(await env.provider.discovery("openid")).id_token_signing_alg_values_supported).toEqual(["ES256"]);
  });

  it("tokens signed with a retiring key stay valid while it is published", async () => {
    const tokens = await obtainTokens(env);
    const next = await createSigningKey("key-2");
    env.keys.published = [next, env.key, env.rsaKey];
    env.keys.signing = [next, env.rsaKey];
    expect((await env.provider.verifyBearer(`Bearer ${tokens.access_token}`, [])).ok).toBe(true);
    env.keys.published = [next, env.rsaKey];
    expect((await env.provider.verifyBearer(`Bearer ${tokens.access_token}`, [])).ok).toBe(false);
  });
});
