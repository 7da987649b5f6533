// RFC 6749 §3.3 default scopes for requests that name none, and the OAuth 2.1 profile.
import { describe, expect, it } from "vitest";
import { body, createEnv, post, SECRETS, type Env } from "./helpers/fixtures";
import { pkcePair } from "./helpers/flows";

function params(extra: Record<string, string | null> = {}) {
  const p = new URLSearchParams({
    client_id: "web-app",
    redirect_uri: "https://app.example/callback",
    response_type: "code",
    state: "s1",
  });
  for (const [k, v] of Object.entries(extra)) {
    if (v === null) p.delete(k);
    else p.set(k, v);
  }
  return p;
}

async function requestedScope(env: Env, extra: Record<string, string | null> = {}) {
  const result = await env.provider.authorize.validate(params(extra));
  if (result.type === "ok") return result.request.scope;
  return new URL((result as { url: string }).url).searchParams.get("error");
}

describe("scopes when the request names none", () => {
  it("uses the app's default scopes", async () => {
    const env = await createEnv({ defaultScopes: ["openid"] });
    env.store.clients.get("web-app")!.defaultScopes = ["read", "profile"];
    expect(await requestedScope(env)).toEqual(["read", "profile"]);
  });

  it("falls back to the server's default scopes the app may use", async () => {
    const env = await createEnv({ defaultScopes: ["openid", "not-allowed-for-app"] });
    expect(await requestedScope(env)).toEqual(["openid"]);
  });

  it("answers invalid_scope when neither the app nor the server has a default", async () => {
    const env = await createEnv({ defaultScopes: [] });
    expect(await requestedScope(env)).toBe("invalid_scope");
  });

  it("still uses the scope the request names", async () => {
    const env = await createEnv({ defaultScopes: ["openid"] });
    expect(await requestedScope(env, { scope: "read" })).toEqual(["read"]);
  });
});

describe("LATCHKEY_PROFILE=oauth2.1", () => {
  it("requires PKCE from confidential clients too", async () => {
    const env = await createEnv({ profile: "oauth2.1" });
    expect(await requestedScope(env, { scope: "read" })).toBe("invalid_request");
    const { challenge } = pkcePair();
    expect(await requestedScope(env, { scope: "read", code_challenge: challenge, code_challenge_method: "S256" })).toEqual(["read"]);
    // The default profile keeps PKCE optional for confidential clients.
    expect(await requestedScope(await createEnv(), { scope: "read" })).toEqual(["read"]);
  });

  it("offers no implicit flow, even to an app that has it, and says so with iss", async () => {
    const env = await createEnv({ profile: "oauth2.1" });
    const result = await env.provider.authorize.validate(
      new URLSearchParams({
        client_id: "legacy-implicit",
        redirect_uri: "https://legacy.example/cb",
        response_type: "token",
        scope: "read",
        state: "s2",
      }),
    );
    expect(result.type).toBe("redirect");
    const fragment = new URLSearchParams(new URL((result as { url: string }).url).hash.slice(1));
    expect(fragment.get("error")).toBe("unsupported_response_type");
    expect(fragment.get("iss")).toBe(env.ctx.config.issuer);
    expect(fragment.get("state")).toBe("s2");
  });

  it("offers no password grant, even to an app that has it", async () => {
    const env = await createEnv({ profile: "oauth2.1" });
    const res = await env.provider.token(
      await post(
        "/oauth/token",
        { grant_type: "password", username: "ada@example.test", password: "correct horse battery staple" },
        { basic: ["first-party", SECRETS.password] },
      ),
    );
    expect(res.status).toBe(400);
    expect(body(res).error).toBe("unsupported_grant_type");
  });

  it("leaves implicit and password out of discovery, even while an app has them", async () => {
    const features = { registration: false, clientIdMetadataDocuments: false, implicit: true, password: true };
    const strict = body(await (await createEnv({ profile: "oauth2.1", features })).provider.discovery("oauth"));
    expect(strict.grant_types_supported).not.toContain("implicit");
    expect(strict.grant_types_supported).not.toContain("password");
    expect(strict.response_types_supported).toEqual(["code"]);
    expect(strict.authorization_response_iss_parameter_supported).toBe(true);
    const loose = body(await (await createEnv({ features })).provider.discovery("oauth"));
    expect(loose.grant_types_supported).toEqual(expect.arrayContaining(["implicit", "password"]));
    expect(loose.response_types_supported).toEqual(["code", "token"]);
  });

  it("advertises implicit and password only while some app may use them", async () => {
    const none = body(
      await (await createEnv({ features: { registration: false, clientIdMetadataDocuments: false } })).provider.discovery("oauth"),
    );
    expect(none.grant_types_supported).not.toContain("implicit");
    expect(none.grant_types_supported).not.toContain("password");
    expect(none.response_types_supported).toEqual(["code"]);
  });
});

describe("discovery of registration and metadata documents", () => {
  it("advertises what is turned on", async () => {
    const on = body(
      await (await createEnv({ features: { registration: true, clientIdMetadataDocuments: true } })).provider.discovery("oauth"),
    );
    expect(on.client_id_metadata_document_supported).toBe(true);
    expect(on.registration_endpoint).toBe("https://auth.example.test/oauth/register");
    const off = body(
      await (await createEnv({ features: { registration: false, clientIdMetadataDocuments: false } })).provider.discovery("openid"),
    );
    expect(off.client_id_metadata_document_supported).toBe(false);
    expect(off).not.toHaveProperty("registration_endpoint");
  });
});
