import { beforeEach, describe, expect, it } from "vitest";
import { basicAuth, body, createEnv, get, post, SECRETS, type Env } from "./helpers/fixtures";

let env: Env;
beforeEach(async () => {
  env = await createEnv();
});

const cc = { grant_type: "client_credentials" };

describe("token endpoint: request shape", () => {
  it("answers GET with 405, an Allow header and invalid_request", async () => {
    const res = await env.provider.token(await get("/oauth/token"));
    expect(res.status).toBe(405);
    expect(res.headers.Allow).toBe("POST");
    expect(body(res).error).toBe("invalid_request");
  });

  it("rejects a JSON body with invalid_request", async () => {
    const req = await post("/oauth/token", JSON.stringify(cc), {
      contentType: "application/json",
      basic: ["web-app", SECRETS.web],
    });
    const res = await env.provider.token(req);
    expect(res.status).toBe(400);
    expect(body(res).error).toBe("invalid_request");
  });

  it("requires grant_type", async () => {
    const res = await env.provider.token(await post("/oauth/token", {}, { basic: ["web-app", SECRETS.web] }));
    expect(res.status).toBe(400);
    expect(body(res)).toMatchObject({ error: "invalid_request" });
  });

  it("answers unsupported_grant_type for an unknown grant", async () => {
    const res = await env.provider.token(
      await post("/oauth/token", { grant_type: "urn:example:magic" }, { basic: ["web-app", SECRETS.web] }),
    );
    expect(res.status).toBe(400);
    expect(body(res).error).toBe("unsupported_grant_type");
  });

  it("rejects repeated parameters with invalid_request", async () => {
    const res = await env.provider.token(
      await post("/oauth/token", [["grant_type", "client_credentials"], ["scope", "read"], ["scope", "write"]], {
        basic: ["web-app", SECRETS.web],
      }),
    );
    expect(res.status).toBe(400);
    expect(body(res)).toMatchObject({ error: "invalid_request", error_description: "Parameter scope is repeated" });
  });

  it("rejects a repeated grant_type with invalid_request", async () => {
    const res = await env.provider.token(
      await post("/oauth/token", [["grant_type", "client_credentials"], ["grant_type", "client_credentials"]], {
        basic: ["web-app", SECRETS.web],
      }),
    );
    expect(body(res).error).toBe("invalid_request");
  });

  it("answers unauthorized_client when the client may not use the grant", async () => {
    const res = await env.provider.token(
      await post("/oauth/token", { grant_type: "password", username: "u", password: "p" }, {
        basic: ["web-app", SECRETS.web],
      }),
    );
    expect(res.status).toBe(400);
    expect(body(res).error).toBe("unauthorized_client");
  });

  it("success responses carry no-store caching headers and count the issuance", async () => {
    const res = await env.provider.token(await post("/oauth/token", cc, { basic: ["web-app", SECRETS.web] }));
    expect(res.status).toBe(200);
    expect(res.headers["Cache-Control"]).toBe("no-store");
    expect(res.headers.Pragma).toBe("no-cache");
    expect(res.headers["Content-Type"]).toBe("application/json");
    expect(env.store.tokensIssued).toHaveLength(1);
    expect(env.store.tokensIssued[0]?.clientId).toBe("web-app");
  });

  it("error responses carry no-store caching headers", async () => {
    const res = await env.provider.token(await post("/oauth/token", cc));
    expect(res.headers["Cache-Control"]).toBe("no-store");
    expect(env.store.tokensIssued).toHaveLength(0);
  });
});

describe("token endpoint: client authentication", () => {
  it("accepts client_secret_basic and records the secret's use", async () => {
    const res = await env.provider.token(await post("/oauth/token", cc, { basic: ["web-app", SECRETS.web] }));
    expect(res.status).toBe(200);
    expect(env.store.secretUses.map((u) => u.secretId)).toEqual(["sec-web"]);
  });

  it("accepts client_secret_post", async () => {
    const res = await env.provider.token(
      await post("/oauth/token", { ...cc, client_id: "web-app", client_secret: SECRETS.web }),
    );
    expect(res.status).toBe(200);
  });

  it("decodes form-encoded Basic credentials (client_id with ':', secret with '+', '%' and space)", async () => {
    const res = await env.provider.token(await post("/oauth/token", cc, { basic: ["svc:reports", SECRETS.service] }));
    expect(res.status).toBe(200);
    expect(body(res).scope).toBe("read write");
  });

  it("rejects Basic credentials that were not form-encoded when they contain reserved characters", async () => {
    const raw = `Basic ${btoa(`svc:reports:${SECRETS.service}`)}`;
    const res = await env.provider.token(await post("/oauth/token", cc, { headers: { authorization: raw } }));
    expect(res.status).toBe(401);
    expect(body(res).error).toBe("invalid_client");
  });

  it("answers 401 invalid_client with a Basic challenge for a wrong secret sent in the header", async () => {
    const res = await env.provider.token(await post("/oauth/token", cc, { basic: ["web-app", "wrong"] }));
    expect(res.status).toBe(401);
    expect(body(res).error).toBe("invalid_client");
    expect(res.headers["WWW-Authenticate"]).toBe('Basic realm="https://auth.example.test"');
  });

  it("answers 401 invalid_client with a Basic challenge also for a wrong secret sent in the body (RFC 7235 §3.1)", async () => {
    const res = await env.provider.token(
      await post("/oauth/token", { ...cc, client_id: "web-app", client_secret: "wrong" }),
    );
    expect(res.status).toBe(401);
    expect(body(res).error).toBe("invalid_client");
    expect(res.headers["WWW-Authenticate"]).toBe('Basic realm="https://auth.example.test"');
    const none = await env.provider.token(await post("/oauth/token", cc));
    expect(none.status).toBe(401);
    expect(none.headers["WWW-Authenticate"]).toBe('Basic realm="https://auth.example.test"');
  });

  it("rejects an unknown client with invalid_client", async () => {
    const res = await env.provider.token(await post("/oauth/token", cc, { basic: ["nobody", "x"] }));
    expect(res.status).toBe(401);
    expect(body(res).error).toBe("invalid_client");
  });

  it("rejects an expired secret and a revoked secret", async () => {
    for (const secret of [SECRETS.webOld, SECRETS.webRevoked]) {
      const res = await env.provider.token(await post("/oauth/token", cc, { basic: ["web-app", secret] }));
      expect(res.status).toBe(401);
      expect(body(res).error).toBe("invalid_client");
    }
  });

  it("rejects a secret once it expires on the clock", async () => {
    const web = env.clients.web;
    web.secrets[0] = { ...web.secrets[0]!, expiresAt: new Date(env.clock.now().getTime() + 10_000) };
    expect((await env.provider.token(await post("/oauth/token", cc, { basic: ["web-app", SECRETS.web] }))).status).toBe(200);
    env.clock.advance(10);
    expect((await env.provider.token(await post("/oauth/token", cc, { basic: ["web-app", SECRETS.web] }))).status).toBe(401);
  });

  it("rejects a suspended client even with the right secret", async () => {
    const res = await env.provider.token(await post("/oauth/token", cc, { basic: ["suspended-app", "lk_secret_suspended"] }));
    expect(res.status).toBe(401);
    expect(body(res).error).toBe("invalid_client");
  });

  it("rejects a confidential client that sends no secret", async () => {
    const res = await env.provider.token(await post("/oauth/token", { ...cc, client_id: "web-app" }));
    expect(res.status).toBe(401);
    expect(body(res).error).toBe("invalid_client");
  });

  it("rejects a request with no client identification", async () => {
    const res = await env.provider.token(await post("/oauth/token", cc));
    expect(res.status).toBe(401);
    expect(body(res).error).toBe("invalid_client");
  });

  it("rejects a public client that sends a secret", async () => {
    const res = await env.provider.token(
      await post("/oauth/token", { grant_type: "refresh_token", refresh_token: "x", client_id: "spa", client_secret: "x" }),
    );
    expect(res.status).toBe(401);
    expect(body(res).error).toBe("invalid_client");
  });

  it("rejects two authentication methods at once with invalid_request", async () => {
    const res = await env.provider.token(
      await post("/oauth/token", { ...cc, client_id: "web-app", client_secret: SECRETS.web }, {
        basic: ["web-app", SECRETS.web],
      }),
    );
    expect(res.status).toBe(400);
    expect(body(res).error).toBe("invalid_request");
  });

  it("rejects a body client_id that differs from the Basic one", async () => {
    const res = await env.provider.token(
      await post("/oauth/token", { ...cc, client_id: "other-app" }, { basic: ["web-app", SECRETS.web] }),
    );
    expect(res.status).toBe(400);
    expect(body(res).error).toBe("invalid_request");
  });

  it("accepts a body client_id equal to the Basic one", async () => {
    const res = await env.provider.token(
      await post("/oauth/token", { ...cc, client_id: "web-app" }, { basic: ["web-app", SECRETS.web] }),
    );
    expect(res.status).toBe(200);
  });

  it("rejects client assertions as an unsupported method", async () => {
    const res = await env.provider.token(
      await post("/oauth/token", {
        ...cc,
        client_id: "web-app",
        client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        client_assertion: "x.y.z",
      }),
    );
    expect(res.status).toBe(401);
    expect(body(res).error).toBe("invalid_client");
  });

  it("accepts a Basic header whose scheme is lower case", async () => {
    const header = basicAuth("web-app", SECRETS.web).replace("Basic", "basic");
    const res = await env.provider.token(await post("/oauth/token", cc, { headers: { authorization: header } }));
    expect(res.status).toBe(200);
  });
});
