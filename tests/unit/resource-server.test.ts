import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  authenticateRequest,
  createAccessTokenVerifier,
  insufficientScope,
  invalidToken,
  metadataAnswer,
  missingCredentials,
  protectedResourceMetadata,
  protectedResourceMetadataUrl,
  sendAnswer,
  type AccessTokenVerifier,
} from "@/lib/resource-server";

const RESOURCE = "https://mcp.example.test/mcp";
const METADATA_URL = "https://mcp.example.test/.well-known/oauth-protected-resource/mcp";
const KID = "key-1";

let jwksServer: Server;
let issuer: string;
let signingKey: CryptoKey;
let strangerKey: CryptoKey;
let verifier: AccessTokenVerifier;

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

beforeAll(async () => {
  const pair = await generateKeyPair("ES256");
  signingKey = pair.privateKey;
  strangerKey = (await generateKeyPair("ES256")).privateKey;
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(pair.publicKey)), kid: KID, alg: "ES256", use: "sig" }] });
  jwksServer = createServer((req, res) => {
    if (req.url !== "/oauth/jwks") return void res.writeHead(404).end();
    res.writeHead(200, { "content-type": "application/json" }).end(jwks);
  });
  issuer = await listen(jwksServer);
  verifier = createAccessTokenVerifier({ issuer, audience: RESOURCE });
});

afterAll(() => new Promise<void>((resolve) => jwksServer.close(() => resolve())));

interface TokenOptions {
  claims?: JWTPayload;
  typ?: string;
  key?: CryptoKey;
  expiresIn?: number;
}

async function accessToken({ claims = {}, typ = "at+jwt", key = signingKey, expiresIn = 300 }: TokenOptions = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const payload = { iss: issuer, sub: "user-1", aud: RESOURCE, client_id: "client-1", scope: "notes:read profile", jti: crypto.randomUUID(), iat: now - 10, exp: now + expiresIn, ...claims };
  return new SignJWT(payload).setProtectedHeader({ alg: "ES256", typ, kid: KID }).sign(key);
}

describe("protected resource metadata (RFC 9728)", () => {
  it("puts the well-known path between the host and the resource's path", () => {
    expect(protectedResourceMetadataUrl(RESOURCE)).toBe(METADATA_URL);
    expect(protectedResourceMetadataUrl("https://api.example.test")).toBe("https://api.example.test/.well-known/oauth-protected-resource");
    expect(protectedResourceMetadataUrl("https://api.example.test/")).toBe("https://api.example.test/.well-known/oauth-protected-resource");
    expect(protectedResourceMetadataUrl("http://127.0.0.1:8080/a/b?tenant=1")).toBe(
      "http://127.0.0.1:8080/.well-known/oauth-protected-resource/a/b?tenant=1",
    );
  });

  it("refuses a resource identifier with a fragment or that is not a URL", () => {
    expect(() => protectedResourceMetadataUrl("https://api.example.test/mcp#x")).toThrow(/fragment/);
    expect(() => protectedResourceMetadataUrl("/mcp")).toThrow(/absolute/);
  });

  it("builds the document with snake_case fields, header-only bearer tokens by default", () => {
    const doc = protectedResourceMetadata({
      resource: RESOURCE,
      authorizationServers: ["https://auth.example.test"],
      scopesSupported: ["notes:read"],
      resourceName: "Notes",
    });
    expect(doc).toEqual({
      resource: RESOURCE,
      authorization_servers: ["https://auth.example.test"],
      bearer_methods_supported: ["header"],
      scopes_supported: ["notes:read"],
      resource_name: "Notes",
    });
    const answer = metadataAnswer(doc);
    expect(answer.status).toBe(200);
    expect(answer.headers["Access-Control-Allow-Origin"]).toBe("*");
    expect(JSON.parse(answer.body)).toEqual(doc);
  });
});

describe("error answers (RFC 6750 §3)", () => {
  it("names the metadata URL and no error code when credentials are missing", () => {
    const answer = missingCredentials({ resourceMetadata: METADATA_URL });
    expect(answer.status).toBe(401);
    expect(answer.headers["WWW-Authenticate"]).toBe(`Bearer resource_metadata="${METADATA_URL}"`);
  });

  it("answers invalid_token with a description stripped of quotes", () => {
    const answer = invalidToken({ resourceMetadata: METADATA_URL, description: 'bad "token"\\' });
    expect(answer.status).toBe(401);
    expect(answer.headers["WWW-Authenticate"]).toBe(
      `Bearer error="invalid_token", error_description="bad token", resource_metadata="${METADATA_URL}"`,
    );
    expect(JSON.parse(answer.body)).toEqual({ error: "invalid_token", error_description: 'bad "token"\\' });
  });

  it("answers 403 insufficient_scope with the scopes the request needs", () => {
    const answer = insufficientScope({ resourceMetadata: METADATA_URL, scope: ["notes:read", "notes:write"] });
    expect(answer.status).toBe(403);
    expect(answer.headers["WWW-Authenticate"]).toBe(
      `Bearer error="insufficient_scope", scope="notes:read notes:write", resource_metadata="${METADATA_URL}"`,
    );
  });
});

describe("createAccessTokenVerifier", () => {
  it("accepts a token for this resource and returns who it is for", async () => {
    const token = await accessToken();
    const result = await verifier.verify(`Bearer ${token}`, ["notes:read"]);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.token).toMatchObject({ token, subject: "user-1", clientId: "client-1", scopes: ["notes:read", "profile"], audience: [RESOURCE] });
    expect(verifier.resourceMetadata).toBe(METADATA_URL);
  });

  it("accepts a token for several resources when this one is among them, and the scheme in any case", async () => {
    const token = await accessToken({ claims: { aud: ["https://other.example.test/api", RESOURCE] } });
    const result = await verifier.verify(`bearer ${token}`);
    expect(result.ok && result.token.audience).toEqual(["https://other.example.test/api", RESOURCE]);
  });

  it("answers 401 without an error code when there is no bearer token", async () => {
    for (const header of [undefined, null, "", "Basic dXNlcjpwYXNz", "Bearer"]) {
      const result = await verifier.verify(header);
      expect(result.ok).toBe(false);
      if (result.ok) continue;
      expect(result.error).toBe("missing_credentials");
      expect(result.answer.status).toBe(401);
      expect(result.answer.headers["WWW-Authenticate"]).toBe(`Bearer resource_metadata="${METADATA_URL}"`);
    }
  });

  it.each([
    ["a token for another resource", { claims: { aud: "https://other.example.test/api" } }, "The access token is for another resource"],
    ["a token from another issuer", { claims: { iss: "https://evil.example.test" } }, "The access token is from another issuer"],
    ["an expired token", { expiresIn: -60 }, "The access token expired"],
    ["an ID token (typ JWT)", { typ: "JWT" }, "The token is not an access token"],
    ["a token signed by another key", { key: undefined as CryptoKey | undefined, stranger: true }, "The access token is invalid"],
    ["a token without client_id", { claims: { client_id: undefined } }, "The access token is invalid"],
  ])("answers 401 invalid_token for %s", async (_name, options, description) => {
    const { stranger, ...rest } = options as TokenOptions & { stranger?: boolean };
    const token = await accessToken({ ...rest, key: stranger ? strangerKey : signingKey });
    const result = await verifier.verify(`Bearer ${token}`);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toBe("invalid_token");
    expect(result.description).toBe(description);
    expect(result.answer.status).toBe(401);
    expect(result.answer.headers["WWW-Authenticate"]).toBe(
      `Bearer error="invalid_token", error_description="${description}", resource_metadata="${METADATA_URL}"`,
    );
  });

  it("answers 401 invalid_token for a malformed or unsigned token", async () => {
    const unsigned = `${Buffer.from('{"alg":"none","typ":"at+jwt"}').toString("base64url")}.${Buffer.from("{}").toString("base64url")}.`;
    for (const token of ["not a token", "a.b.c", unsigned]) {
      const result = await verifier.verify(`Bearer ${token}`);
      expect(result.ok || result.answer.status).toBe(401);
      expect(result.ok || result.error).toBe("invalid_token");
    }
  });

  it("answers 403 insufficient_scope naming every scope the request needs", async () => {
    const token = await accessToken({ claims: { scope: "profile" } });
    const result = await verifier.verify(`Bearer ${token}`, ["notes:read", "profile"]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toBe("insufficient_scope");
    expect(result.answer.status).toBe(403);
    expect(result.answer.headers["WWW-Authenticate"]).toBe(
      `Bearer error="insufficient_scope", error_description="The access token lacks a required scope", scope="notes:read profile", resource_metadata="${METADATA_URL}"`,
    );
  });

  it("answers 503, not invalid_token, when the authorization server's keys cannot be fetched", async () => {
    const down = createServer();
    const url = await listen(down);
    await new Promise((r) => down.close(r));
    const unreachable = createAccessTokenVerifier({ issuer, audience: RESOURCE, jwksUri: `${url}/oauth/jwks` });
    const result = await unreachable.verify(`Bearer ${await accessToken()}`);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toBe("keys_unavailable");
    expect(result.answer.status).toBe(503);
  });

  it("takes its metadata URL and JWKS location from the options", async () => {
    const custom = createAccessTokenVerifier({
      issuer,
      audience: RESOURCE,
      jwksUri: `${issuer}/oauth/jwks`,
      resourceMetadata: "https://docs.example.test/prm",
    });
    const result = await custom.verify(null);
    expect(result.ok || result.answer.headers["WWW-Authenticate"]).toBe('Bearer resource_metadata="https://docs.example.test/prm"');
  });
});

describe("node:http adapter", () => {
  it("guards a request: the answer on failure, the token on success", async () => {
    const server = createServer(async (req, res) => {
      const token = await authenticateRequest(verifier, req, res, ["notes:read"]);
      if (token) sendAnswer(res, { status: 200, headers: { "Content-Type": "text/plain" }, body: token.subject });
    });
    const base = await listen(server);
    try {
      const none = await fetch(base);
      expect(none.status).toBe(401);
      expect(none.headers.get("www-authenticate")).toBe(`Bearer resource_metadata="${METADATA_URL}"`);
      expect(await none.text()).toBe("");

      const narrow = await fetch(base, { headers: { authorization: `Bearer ${await accessToken({ claims: { scope: "profile" } })}` } });
      expect(narrow.status).toBe(403);
      expect(await narrow.json()).toMatchObject({ error: "insufficient_scope" });

      const ok = await fetch(base, { headers: { authorization: `Bearer ${await accessToken()}` } });
      expect(ok.status).toBe(200);
      expect(await ok.text()).toBe("user-1");
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
