import { createHash } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { body, createEnv, post, SECRETS, USER, type Env } from "./helpers/fixtures";
import { exchangeCode, introspect, obtainCode, OTHER, pkcePair, refresh, verifyJwt } from "./helpers/flows";

let env: Env;
beforeEach(async () => {
  env = await createEnv();
});

describe("authorization_code grant", () => {
  it("issues an RFC 9068 access token, a refresh token and an ID token", async () => {
    const { code, verifier } = await obtainCode(env, { nonce: "n-0S6_WzA2Mj" });
    const res = await exchangeCode(env, code, { verifier });
    expect(res.status).toBe(200);
    const tokens = body(res);
    expect(tokens).toMatchObject({ token_type: "Bearer", expires_in: 600, scope: "openid profile email offline_access read" });
    expect(String(tokens.refresh_token)).toMatch(/^lk_rt_/);

    const access = await verifyJwt(env, String(tokens.access_token));
    expect(access.typ).toBe("at+jwt");
    expect(access.payload).toMatchObject({
      iss: "https://auth.example.test",
      sub: USER.id,
      aud: "https://api.example.test",
      client_id: "web-app",
      scope: "openid profile email offline_access read",
      auth_time: Math.floor(env.clock.now().getTime() / 1000),
    });
    expect(access.payload.exp! - access.payload.iat!).toBe(600);
    expect(typeof access.payload.jti).toBe("string");
    expect(typeof access.payload.fid).toBe("string");
    expect(typeof access.payload.gid).toBe("string");

    const id = await verifyJwt(env, String(tokens.id_token));
    expect(id.typ).toBe("JWT");
    const atHash = createHash("sha256").update(String(tokens.access_token)).digest().subarray(0, 16).toString("base64url");
    expect(id.payload).toMatchObject({
      iss: "https://auth.example.test",
      sub: USER.id,
      aud: "web-app",
      azp: "web-app",
      nonce: "n-0S6_WzA2Mj",
      at_hash: atHash,
      amr: ["pwd"],
    });
    // OIDC Core §5.4: with an access token, scope claims come from userinfo, not the ID token.
    for (const claim of ["name", "updated_at", "email", "email_verified"]) expect(id.payload).not.toHaveProperty(claim);
    expect(id.payload.exp! - id.payload.iat!).toBe(300);
  });

  it("ID token claims follow the scopes: openid alone gives no profile or email", async () => {
    const { code, verifier } = await obtainCode(env, { scope: "openid" });
    const tokens = body(await exchangeCode(env, code, { verifier }));
    const id = await verifyJwt(env, String(tokens.id_token));
    expect(id.payload.name).toBeUndefined();
    expect(id.payload.email).toBeUndefined();
    expect(id.payload.nonce).toBeUndefined();
  });

  it("issues no ID token without the openid scope", async () => {
    const { code, verifier } = await obtainCode(env, { scope: "read" });
    const tokens = body(await exchangeCode(env, code, { verifier }));
    expect(tokens.id_token).toBeUndefined();
    expect(tokens.access_token).toBeDefined();
  });

  it("issues no refresh token to a client without the refresh_token grant", async () => {
    env.clients.web.grantTypes = ["authorization_code"];
    const { code, verifier } = await obtainCode(env);
    const tokens = body(await exchangeCode(env, code, { verifier }));
    expect(tokens.refresh_token).toBeUndefined();
  });

  it("lets a public client exchange with client_id and code_verifier only", async () => {
    const { code, verifier } = await obtainCode(env, { clientId: "spa", redirectUri: "https://spa.example/cb" });
    const res = await exchangeCode(env, code, {
      verifier,
      redirectUri: "https://spa.example/cb",
      basic: null,
      extra: { client_id: "spa" },
    });
    expect(res.status).toBe(200);
    expect(body(res).refresh_token).toBeDefined();
  });

  it("accepts a confidential client's code issued without PKCE", async () => {
    const { code } = await obtainCode(env, { pkce: false });
    expect((await exchangeCode(env, code)).status).toBe(200);
  });

  it("requires code", async () => {
    const res = await env.provider.token(
      await post("/oauth/token", { grant_type: "authorization_code", redirect_uri: "https://app.example/callback" }, {
        basic: ["web-app", SECRETS.web],
      }),
    );
    expect(body(res).error).toBe("invalid_request");
  });

  it("rejects an unknown code with invalid_grant", async () => {
    const res = await exchangeCode(env, "lk_code_nope");
    expect(res.status).toBe(400);
    expect(body(res).error).toBe("invalid_grant");
  });
});

describe("authorization_code grant: PKCE", () => {
  it("rejects a wrong code_verifier", async () => {
    const { code } = await obtainCode(env);
    const res = await exchangeCode(env, code, { verifier: pkcePair().verifier });
    expect(res.status).toBe(400);
    expect(body(res).error).toBe("invalid_grant");
  });

  it("rejects a missing code_verifier when the code has a challenge", async () => {
    const { code } = await obtainCode(env);
    const res = await exchangeCode(env, code);
    expect(body(res)).toMatchObject({ error: "invalid_grant", error_description: "code_verifier is required" });
  });

  it("rejects a code_verifier for a code issued without a challenge (downgrade, RFC 9700 §2.1.1)", async () => {
    const { code } = await obtainCode(env, { pkce: false });
    const res = await exchangeCode(env, code, { verifier: pkcePair().verifier });
    expect(res.status).toBe(400);
    expect(body(res).error).toBe("invalid_grant");
  });

  it("rejects a malformed code_verifier with invalid_request", async () => {
    const { code } = await obtainCode(env);
    const res = await exchangeCode(env, code, { verifier: "too-short" });
    expect(body(res).error).toBe("invalid_request");
  });
});

describe("authorization_code grant: binding and lifetime", () => {
  it("rejects a code issued to another client", async () => {
    const { code, verifier } = await obtainCode(env);
    const res = await exchangeCode(env, code, { verifier, basic: OTHER });
    expect(res.status).toBe(400);
    expect(body(res).error).toBe("invalid_grant");
  });

  it("requires the redirect_uri the authorization request named (RFC 6749 §4.1.3)", async () => {
    const { code, verifier } = await obtainCode(env);
    const res = await env.provider.token(
      await post("/oauth/token", { grant_type: "authorization_code", code, code_verifier: verifier! }, {
        basic: ["web-app", SECRETS.web],
      }),
    );
    expect(body(res)).toMatchObject({ error: "invalid_grant", error_description: "redirect_uri is required: the authorization request named it" });
  });

  it("rejects a redirect_uri different from the authorization request's", async () => {
    const { code, verifier } = await obtainCode(env);
    const res = await exchangeCode(env, code, { verifier, redirectUri: "https://app.example/other?x=1" });
    expect(res.status).toBe(400);
    expect(body(res).error).toBe("invalid_grant");
  });

  it("rejects a code after its 60 second lifetime", async () => {
    const { code, verifier } = await obtainCode(env);
    env.clock.advance(60);
    const res = await exchangeCode(env, code, { verifier });
    expect(body(res)).toMatchObject({ error: "invalid_grant", error_description: "The authorization code expired" });
  });

  it("accepts a code just before it expires", async () => {
    const { code, verifier } = await obtainCode(env);
    env.clock.advance(59);
    expect((await exchangeCode(env, code, { verifier })).status).toBe(200);
  });

  it("rejects a code whose grant the user revoked", async () => {
    const { code, verifier } = await obtainCode(env);
    for (const grant of env.store.grants.values()) env.store.revokeGrant(grant.id);
    const res = await exchangeCode(env, code, { verifier });
    expect(body(res).error).toBe("invalid_grant");
  });
});

describe("authorization_code grant: code reuse", () => {
  it("refuses a second exchange and revokes every token the first one issued", async () => {
    const { code, verifier } = await obtainCode(env);
    const first = body(await exchangeCode(env, code, { verifier }));
    expect(await introspect(env, String(first.access_token))).toMatchObject({ active: true });

    const second = await exchangeCode(env, code, { verifier });
    expect(second.status).toBe(400);
    expect(body(second)).toMatchObject({ error: "invalid_grant", error_description: "The authorization code was already used" });

    expect(await introspect(env, String(first.access_token))).toEqual({ active: false });
    expect(await introspect(env, String(first.refresh_token))).toEqual({ active: false });
    const refreshed = await refresh(env, String(first.refresh_token));
    expect(refreshed.status).toBe(400);
    expect(body(refreshed).error).toBe("invalid_grant");
  });
});
