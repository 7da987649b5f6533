import { decodeJwt } from "jose";
import { beforeEach, describe, expect, it } from "vitest";
import { DEVICE_CODE_GRANT_TYPE, normalizeUserCode } from "@/lib/oauth/device-authorization";
import type { ClientRecord } from "@/lib/oauth/store";
import { body, createEnv, ISSUER, post, USER, type Env } from "./helpers/fixtures";
import { introspect, verifyJwt } from "./helpers/flows";

const TV: ClientRecord = {
  id: "tv-app",
  name: "TV App",
  type: "public",
  status: "active",
  grantTypes: [DEVICE_CODE_GRANT_TYPE, "refresh_token"],
  scopes: ["openid", "profile", "email", "offline_access", "read"],
  redirectUris: [],
  webOrigins: [],
  source: "portal",
  defaultScopes: ["read"],
  metadataExpiresAt: null,
  secrets: [],
};

let env: Env;
beforeEach(async () => {
  env = await createEnv();
  env.store.addClient(structuredClone(TV));
});

async function start(params: Record<string, string> = {}, basic?: [string, string]) {
  const res = await env.provider.deviceAuthorization(
    await post("/oauth/device_authorization", basic ? params : { client_id: TV.id, ...params }, basic ? { basic } : {}),
  );
  return { status: res.status, body: body(res), headers: res.headers };
}

async function poll(deviceCode: string, clientId = TV.id) {
  const res = await env.provider.token(
    await post("/oauth/token", { grant_type: DEVICE_CODE_GRANT_TYPE, device_code: deviceCode, client_id: clientId }),
  );
  return { status: res.status, body: body(res) };
}

const approve = (userCode: string) =>
  env.provider.device.decide(userCode, { allow: true, userId: USER.id, authTime: env.clock.now() });

describe("device authorization endpoint (RFC 8628 §3.1–3.2)", () => {
  it("answers a device code, a user code XXXX-XXXX and where the user goes, with no-store", async () => {
    const res = await start({ scope: "openid read" });
    expect(res.status).toBe(200);
    expect(res.headers["Cache-Control"]).toBe("no-store");
    expect(res.body).toMatchObject({
      verification_uri: `${ISSUER}/device`,
      expires_in: 600,
      interval: 5,
    });
    expect(String(res.body.device_code).length).toBeGreaterThan(40);
    expect(res.body.user_code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    expect(res.body.verification_uri_complete).toBe(`${ISSUER}/device?user_code=${res.body.user_code}`);
    const [stored] = [...env.store.deviceAuthorizations.values()];
    expect(stored).toMatchObject({ clientId: TV.id, scope: ["openid", "read"], status: "pending" });
    expect(env.store.deviceAuthorizations.has(String(res.body.device_code))).toBe(false);
  });

  it("grants the app's default scopes when the request names none", async () => {
    await start();
    expect([...env.store.deviceAuthorizations.values()][0]!.scope).toEqual(["read"]);
  });

  it("refuses scopes the app may not use, and apps without the grant type", async () => {
    expect((await start({ scope: "write" })).body.error).toBe("invalid_scope");
    const other = await start({}, ["web-app", "lk_secret_web-app-secret-value"]);
    expect(other.body.error).toBe("unauthorized_client");
  });

  it("authenticates confidential clients like the token endpoint", async () => {
    env.store.addClient({ ...structuredClone(env.clients.web), id: "web-device", grantTypes: [DEVICE_CODE_GRANT_TYPE] });
    const res = await env.provider.deviceAuthorization(await post("/oauth/device_authorization", { client_id: "web-device" }));
    expect(res.status).toBe(401);
    expect(body(res).error).toBe("invalid_client");
  });

  it("compares user codes case-insensitively, ignoring dashes and spaces (RFC 8628 §6.1)", async () => {
    const { body: b } = await start();
    const code = String(b.user_code);
    expect(normalizeUserCode(code.toLowerCase().replace("-", " "))).toBe(code.replace("-", ""));
    expect(normalizeUserCode("AEIO-U123")).toBeNull();
    const lookup = await env.provider.device.lookup(` ${code.toLowerCase().replace("-", "")} `);
    expect(lookup).toMatchObject({ ok: true, userCode: code, client: { id: TV.id } });
  });
});

describe("device_code grant (RFC 8628 §3.4–3.5)", () => {
  it("answers authorization_pending until the user decides", async () => {
    const { body: b } = await start();
    expect(await poll(String(b.device_code))).toMatchObject({ status: 400, body: { error: "authorization_pending" } });
  });

  it("answers slow_down to a poll sooner than the interval, and raises the interval by 5 s", async () => {
    const { body: b } = await start();
    const code = String(b.device_code);
    await poll(code);
    env.clock.advance(2);
    expect((await poll(code)).body.error).toBe("slow_down");
    env.clock.advance(9);
    expect((await poll(code)).body.error).toBe("slow_down");
    env.clock.advance(15);
    expect((await poll(code)).body.error).toBe("authorization_pending");
    expect([...env.store.deviceAuthorizations.values()][0]!.interval).toBe(15);
  });

  it("answers access_denied once the user denies", async () => {
    const { body: b } = await start();
    expect(await env.provider.device.decide(String(b.user_code), { allow: false })).toMatchObject({ ok: true, status: "denied" });
    expect(await poll(String(b.device_code))).toMatchObject({ status: 400, body: { error: "access_denied" } });
    expect((await approve(String(b.user_code))).ok).toBe(false);
  });

  it("answers expired_token after expires_in, and the user can no longer approve", async () => {
    const { body: b } = await start();
    env.clock.advance(601);
    expect(await env.provider.device.lookup(String(b.user_code))).toEqual({ ok: false, reason: "expired" });
    expect(await approve(String(b.user_code))).toEqual({ ok: false, reason: "expired" });
    expect((await poll(String(b.device_code))).body.error).toBe("expired_token");
  });

  it("issues tokens exactly once after approval, recording consent as a grant", async () => {
    const { body: b } = await start({ scope: "openid profile read" });
    expect(await approve(String(b.user_code))).toMatchObject({ ok: true, status: "approved" });
    const grant = await env.store.getGrant(USER.id, TV.id);
    expect(grant?.scopes).toEqual(["openid", "profile", "read"]);
    env.clock.advance(5);
    const first = await poll(String(b.device_code));
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ token_type: "Bearer", scope: "openid profile read" });
    const access = await verifyJwt(env, String(first.body.access_token));
    expect(access.payload).toMatchObject({ sub: USER.id, client_id: TV.id });
    expect(decodeJwt(String(first.body.id_token))).toMatchObject({ sub: USER.id, aud: TV.id, iss: ISSUER });
    // openid without offline_access: no refresh token (OIDC Core §11), as in the code flow.
    expect(first.body.refresh_token).toBeUndefined();
    env.clock.advance(5);
    expect(await poll(String(b.device_code))).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
  });

  it("issues a refresh token under the code flow's rules, and it refreshes", async () => {
    const { body: b } = await start({ scope: "openid offline_access read" });
    await approve(String(b.user_code));
    const tokens = (await poll(String(b.device_code))).body;
    expect(tokens.refresh_token).toMatch(/^lk_rt_/);
    const res = await env.provider.token(
      await post("/oauth/token", { grant_type: "refresh_token", refresh_token: String(tokens.refresh_token), client_id: TV.id }),
    );
    expect(res.status).toBe(200);
    expect(body(res).scope).toBe("openid offline_access read");
    // Without openid, the app's refresh_token grant type decides.
    const plain = await start({ scope: "read" });
    await approve(String(plain.body.user_code));
    expect((await poll(String(plain.body.device_code))).body.refresh_token).toMatch(/^lk_rt_/);
  });

  it("refuses a device code presented by another client without touching its state", async () => {
    env.store.addClient({ ...structuredClone(TV), id: "tv-other" });
    const { body: b } = await start();
    await approve(String(b.user_code));
    expect((await poll(String(b.device_code), "tv-other")).body.error).toBe("invalid_grant");
    expect((await poll(String(b.device_code))).status).toBe(200);
  });

  it("refuses tokens when the user removed access between approval and the poll", async () => {
    const { body: b } = await start();
    await approve(String(b.user_code));
    env.store.revokeGrant((await env.store.getGrant(USER.id, TV.id))!.id);
    expect((await poll(String(b.device_code))).body.error).toBe("invalid_grant");
  });

  it("requires device_code and refuses unknown ones with invalid_grant", async () => {
    const res = await env.provider.token(await post("/oauth/token", { grant_type: DEVICE_CODE_GRANT_TYPE, client_id: TV.id }));
    expect(body(res).error).toBe("invalid_request");
    expect((await poll("lk_dc_unknown")).body.error).toBe("invalid_grant");
  });

  it("lets only the first of concurrent polls after approval have tokens", async () => {
    const { body: b } = await start();
    await approve(String(b.user_code));
    const results = await Promise.all(Array.from({ length: 8 }, () => poll(String(b.device_code))));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
  });
});

describe("a device code redeemed twice (RFC 8628, RFC 9700 §4.5)", () => {
  it("refuses the second redemption and revokes the tokens the first one issued", async () => {
    const started = await start({ scope: "openid offline_access read" });
    await approve(String(started.body.user_code));
    const first = await poll(String(started.body.device_code));
    expect(first.body.refresh_token).toMatch(/^lk_rt_/);

    env.clock.advance(10);
    const second = await poll(String(started.body.device_code));
    expect(second.status).toBe(400);
    expect(second.body.error).toBe("invalid_grant");

    const refreshed = await env.provider.token(
      await post("/oauth/token", { grant_type: "refresh_token", refresh_token: String(first.body.refresh_token), client_id: TV.id }),
    );
    expect(body(refreshed).error).toBe("invalid_grant");
    expect((await introspect(env, String(first.body.access_token))).active).toBe(false);
  });
});
