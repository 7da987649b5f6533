import { signAccessToken } from "@/lib/oauth/access-token";
import { beforeEach, describe, expect, it } from "vitest";
import { body, createEnv, get, post, type Env } from "./helpers/fixtures";
import { obtainTokens, WEB } from "./helpers/flows";

let env: Env;
beforeEach(async () => {
  env = await createEnv();
});

const userinfo = async (token: string, method: "GET" | "POST" = "GET") =>
  env.provider.userinfo(
    method === "GET"
      ? await get("/oauth/userinfo", { authorization: `Bearer ${token}` })
      : await post("/oauth/userinfo", {}, { headers: { authorization: `Bearer ${token}` } }),
  );

describe("userinfo endpoint (OIDC Core §5.3)", () => {
  it("takes the access token from a form body too (RFC 6750 §2.2), but not from two places at once", async () => {
    const tokens = await obtainTokens(env, { scope: "openid email" });
    const inBody = await env.provider.userinfo(await post("/oauth/userinfo", { access_token: tokens.access_token }));
    expect(inBody.status).toBe(200);
    expect(body(inBody)).toMatchObject({ sub: "user-1", email: "ada@example.test" });
    const both = await env.provider.userinfo(
      await post("/oauth/userinfo", { access_token: tokens.access_token }, { headers: { authorization: `Bearer ${tokens.access_token}` } }),
    );
    expect(both.status).toBe(400);
    expect(body(both).error).toBe("invalid_request");
    // RFC 6750 §3: the error comes with the Bearer challenge too.
    expect(both.headers["WWW-Authenticate"]).toMatch(/^Bearer realm="[^"]+", error="invalid_request", error_description="Send the access token in exactly one place"$/);
  });

  it("returns sub, profile and email claims when those scopes were granted", async () => {
    const tokens = await obtainTokens(env, { scope: "openid profile email" });
    const res = await userinfo(tokens.access_token);
    expect(res.status).toBe(200);
    expect(res.headers["Cache-Control"]).toBe("no-store");
    expect(body(res)).toEqual({
      sub: "user-1",
      name: "Ada Lovelace",
      updated_at: 1_800_000_000,
      email: "ada@example.test",
      email_verified: true,
    });
  });

  it("returns only sub for openid alone", async () => {
    const tokens = await obtainTokens(env, { scope: "openid" });
    expect(body(await userinfo(tokens.access_token))).toEqual({ sub: "user-1" });
  });

  it("returns email claims but not profile ones for openid email", async () => {
    const tokens = await obtainTokens(env, { scope: "openid email" });
    expect(body(await userinfo(tokens.access_token, "POST"))).toEqual({
      sub: "user-1",
      email: "ada@example.test",
      email_verified: true,
    });
  });

  it("answers 403 insufficient_scope for a token without openid", async () => {
    const tokens = await obtainTokens(env, { scope: "profile read" });
    const res = await userinfo(tokens.access_token);
    expect(res.status).toBe(403);
    expect(res.headers["WWW-Authenticate"]).toContain('error="insufficient_scope"');
  });

  it("refuses a client_credentials token with 403: it can never carry openid", async () => {
    const cc = body(
      await env.provider.token(await post("/oauth/token", { grant_type: "client_credentials" }, { basic: WEB })),
    );
    const res = await userinfo(String(cc.access_token));
    expect(res.status).toBe(403);
    expect(res.headers["WWW-Authenticate"]).toContain('error="insufficient_scope"');
  });

  it("refuses with 401 invalid_token a token issued to no user, even with openid", async () => {
    const { token } = await signAccessToken(env.ctx, { clientId: "web-app", userId: null, scope: ["openid"] });
    const res = await userinfo(token);
    expect(res.status).toBe(401);
    expect(body(res)).toMatchObject({ error: "invalid_token", error_description: "The access token was not issued to a user" });
  });

  it("answers 401 without a token", async () => {
    const res = await env.provider.userinfo(await get("/oauth/userinfo"));
    expect(res.status).toBe(401);
    expect(res.headers["WWW-Authenticate"]).toBe('Bearer realm="https://auth.example.test"');
  });

  it("answers 401 invalid_token when the user no longer exists", async () => {
    const tokens = await obtainTokens(env, { scope: "openid" });
    env.store.users.clear();
    const res = await userinfo(tokens.access_token);
    expect(res.status).toBe(401);
    expect(body(res).error).toBe("invalid_token");
  });

  it("answers 405 to other methods", async () => {
    const res = await env.provider.userinfo(await post("/oauth/userinfo", {}, { method: "PUT" }));
    expect(res.status).toBe(405);
    expect(res.headers.Allow).toBe("GET, POST");
  });
});
