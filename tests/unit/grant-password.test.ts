import { beforeEach, describe, expect, it } from "vitest";
import { body, createEnv, post, SECRETS, USER, type Env } from "./helpers/fixtures";
import { refresh, verifyJwt } from "./helpers/flows";

let env: Env;
beforeEach(async () => {
  env = await createEnv();
});

const FIRST_PARTY: [string, string] = ["first-party", SECRETS.password];

const passwordGrant = (params: Record<string, string>) =>
  post("/oauth/token", { grant_type: "password", ...params }, { basic: FIRST_PARTY });

describe("password grant", () => {
  it("issues access, refresh and ID tokens for the right password", async () => {
    const res = await env.provider.token(
      await passwordGrant({ username: USER.username, password: USER.password, scope: "openid email offline_access" }),
    );
    expect(res.status).toBe(200);
    const tokens = body(res);
    expect(tokens.scope).toBe("openid email offline_access");
    expect(String(tokens.refresh_token)).toMatch(/^lk_rt_/);
    const access = await verifyJwt(env, String(tokens.access_token));
    expect(access.payload).toMatchObject({ sub: USER.id, client_id: "first-party" });
    expect(typeof access.payload.fid).toBe("string");
    expect(access.payload.gid).toBeUndefined();
    const id = await verifyJwt(env, String(tokens.id_token));
    expect(id.payload).toMatchObject({ sub: USER.id, aud: "first-party" });
    // OIDC Core §5.4: an access token is issued, so the email claims come from userinfo.
    expect(id.payload.email).toBeUndefined();
    expect(id.payload.name).toBeUndefined();

    const refreshed = await refresh(env, String(tokens.refresh_token), {}, FIRST_PARTY);
    expect(refreshed.status).toBe(200);
  });

  it("defaults to the client's scopes", async () => {
    const tokens = body(await env.provider.token(await passwordGrant({ username: USER.username, password: USER.password })));
    expect(tokens.scope).toBe("openid profile email offline_access read");
  });

  it("rejects a wrong password with invalid_grant", async () => {
    const res = await env.provider.token(await passwordGrant({ username: USER.username, password: "nope" }));
    expect(res.status).toBe(400);
    expect(body(res).error).toBe("invalid_grant");
  });

  it("requires username and password", async () => {
    expect(body(await env.provider.token(await passwordGrant({ password: "x" }))).error).toBe("invalid_request");
    expect(body(await env.provider.token(await passwordGrant({ username: "x" }))).error).toBe("invalid_request");
  });

  it("rejects a scope outside the client's", async () => {
    const res = await env.provider.token(
      await passwordGrant({ username: USER.username, password: USER.password, scope: "write" }),
    );
    expect(body(res).error).toBe("invalid_scope");
  });

  it("is refused to clients that do not have it enabled", async () => {
    const res = await env.provider.token(
      await post("/oauth/token", { grant_type: "password", username: USER.username, password: USER.password }, {
        basic: ["web-app", SECRETS.web],
      }),
    );
    expect(body(res).error).toBe("unauthorized_client");
  });

  it("is refused to a public client even when its settings still list it (no secret stands between attackers and passwords)", async () => {
    env.store.addClient({ ...env.clients.spa, grantTypes: [...env.clients.spa.grantTypes, "password"] });
    const res = await env.provider.token(
      await post("/oauth/token", { grant_type: "password", client_id: "spa", username: USER.username, password: USER.password }),
    );
    expect(res.status).toBe(400);
    expect(body(res)).toMatchObject({ error: "unauthorized_client", error_description: "Only confidential clients may use the password grant" });
  });
});
