import { beforeEach, describe, expect, it } from "vitest";
import { DEVICE_CODE_GRANT_TYPE } from "@/lib/oauth/device-authorization";
import type { ClientRecord } from "@/lib/oauth/store";
import { body, createEnv, post, USER, type Env } from "./helpers/fixtures";
import { introspect } from "./helpers/flows";

const TV: ClientRecord = {
  id: "tv-app",
  name: "TV App",
  type: "public",
  status: "active",
  grantTypes: [DEVICE_CODE_GRANT_TYPE, "refresh_token"],
  scopes: ["openid", "offline_access", "read"],
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

const token = async (params: Record<string, string>) =>
  env.provider.token(await post("/oauth/token", { client_id: TV.id, ...params }));

describe("a device code redeemed twice (RFC 8628, RFC 9700 §4.5)", () => {
  it("refuses the second redemption and revokes the tokens the first one issued", async () => {
    const started = body(await env.provider.deviceAuthorization(await post("/oauth/device_authorization", { client_id: TV.id, scope: "openid offline_access read" })));
    await env.provider.device.decide(String(started.user_code), { allow: true, userId: USER.id, authTime: env.clock.now() });
    const first = body(await token({ grant_type: DEVICE_CODE_GRANT_TYPE, device_code: String(started.device_code) }));
    expect(first.refresh_token).toMatch(/^lk_rt_/);

    env.clock.advance(10);
    const second = await token({ grant_type: DEVICE_CODE_GRANT_TYPE, device_code: String(started.device_code) });
    expect(second.status).toBe(400);
    expect(body(second).error).toBe("invalid_grant");

    const refreshed = await token({ grant_type: "refresh_token", refresh_token: String(first.refresh_token) });
    expect(body(refreshed).error).toBe("invalid_grant");
    expect((await introspect(env, String(first.access_token))).active).toBe(false);
  });
});
