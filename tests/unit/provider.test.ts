import { describe, expect, it } from "vitest";
import { body, createEnv, post } from "./helpers/fixtures";
import { WEB } from "./helpers/flows";

describe("createProvider", () => {
  it("turns a store failure into a 500 server_error that reveals nothing, and logs it", async () => {
    const env = await createEnv();
    env.store.getClient = async () => {
      throw new Error("connection to db.internal:5432 refused");
    };
    for (const endpoint of [env.provider.token, env.provider.revocation, env.provider.introspection]) {
      const res = await endpoint(await post("/x", { grant_type: "client_credentials", token: "t" }, { basic: WEB }));
      expect(res.status).toBe(500);
      expect(body(res)).toEqual({ error: "server_error", error_description: "An unexpected error occurred" });
      expect(res.body).not.toContain("5432");
    }
    expect(env.logged.some((e) => e.debug?.includes("5432"))).toBe(true);
  });

  it("turns a key provider failure into a 500 for discovery and JWKS", async () => {
    const env = await createEnv();
    env.keys.getJwks = async () => {
      throw new Error("kms down");
    };
    const res = await env.provider.jwks();
    expect(res.status).toBe(500);
    expect(body(res).error).toBe("server_error");
  });
});
