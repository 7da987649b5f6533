import { beforeEach, describe, expect, it } from "vitest";
import { body, createEnv, post, SECRETS, type Env } from "./helpers/fixtures";
import { verifyJwt, WEB } from "./helpers/flows";

let env: Env;
beforeEach(async () => {
  env = await createEnv();
});

const cc = (extra: Record<string, string> = {}) => post("/oauth/token", { grant_type: "client_credentials", ...extra }, { basic: WEB });

describe("client_credentials grant", () => {
  it("issues an access token whose subject is the client, with no refresh or ID token", async () => {
    const res = await env.provider.token(await cc({ scope: "read" }));
    expect(res.status).toBe(200);
    const tokens = body(res);
    expect(tokens).toMatchObject({ token_type: "Bearer", expires_in: 600, scope: "read" });
    expect(tokens.refresh_token).toBeUndefined();
    expect(tokens.id_token).toBeUndefined();
    const { payload, typ } = await verifyJwt(env, String(tokens.access_token));
    expect(typ).toBe("at+jwt");
    expect(payload).toMatchObject({ sub: "web-app", client_id: "web-app", scope: "read", aud: "https://api.example.test" });
    expect(payload.auth_time).toBeUndefined();
    expect(payload.fid).toBeUndefined();
    expect(payload.gid).toBeUndefined();
  });

  it("defaults the scope to the client's scopes without user-only ones", async () => {
    const tokens = body(await env.provider.token(await cc()));
    expect(tokens.scope).toBe("read write");
  });

  it("rejects a scope the client may not request", async () => {
    const res = await env.provider.token(await cc({ scope: "read admin" }));
    expect(res.status).toBe(400);
    expect(body(res).error).toBe("invalid_scope");
  });

  it("rejects user-only scopes such as openid", async () => {
    const res = await env.provider.token(await cc({ scope: "openid" }));
    expect(body(res).error).toBe("invalid_scope");
  });

  it("rejects a malformed scope", async () => {
    const res = await env.provider.token(await cc({ scope: 'read "x"' }));
    expect(body(res).error).toBe("invalid_scope");
  });

  it("answers unauthorized_client for a public client", async () => {
    env.clients.spa.grantTypes.push("client_credentials");
    const res = await env.provider.token(await post("/oauth/token", { grant_type: "client_credentials", client_id: "spa" }));
    expect(res.status).toBe(400);
    expect(body(res).error).toBe("unauthorized_client");
  });

  it("answers unauthorized_client when the grant is not enabled for the client", async () => {
    const res = await env.provider.token(
      await post("/oauth/token", { grant_type: "client_credentials" }, { basic: ["first-party", SECRETS.password] }),
    );
    expect(body(res).error).toBe("unauthorized_client");
  });

  it("access tokens expire after accessTokenTtl", async () => {
    const tokens = body(await env.provider.token(await cc()));
    const { payload } = await verifyJwt(env, String(tokens.access_token));
    expect(payload.exp! - payload.iat!).toBe(600);
  });
});
