import { describe, expect, it } from "vitest";
import {
  clientIdUrlProblem,
  isClientIdUrl,
  metadataLifetimeSeconds,
  parseClientMetadataDocument,
  type ClientMetadataDocument,
} from "@/lib/oauth/client-metadata-document";

const URL_ID = "https://app.example/oauth/client.json";
const valid = {
  client_id: URL_ID,
  client_name: "Example MCP Client",
  redirect_uris: ["http://127.0.0.1:33418/callback", "https://app.example/callback"],
  grant_types: ["authorization_code", "refresh_token"],
  response_types: ["code"],
  token_endpoint_auth_method: "none",
};

function accepted(doc: unknown, url = URL_ID): ClientMetadataDocument {
  const result = parseClientMetadataDocument(url, doc);
  if ("problem" in result) throw new Error(`refused: ${result.problem}`);
  return result.document;
}

function problem(doc: unknown, url = URL_ID): string {
  const result = parseClientMetadataDocument(url, doc);
  if ("document" in result) throw new Error("accepted");
  return result.problem;
}

describe("Client Identifier URLs (draft §3)", () => {
  it("treats only https client_ids as metadata document URLs", () => {
    expect(isClientIdUrl(URL_ID)).toBe(true);
    expect(isClientIdUrl("latchkey-demo")).toBe(false);
    expect(isClientIdUrl("http://app.example/client.json")).toBe(false);
  });

  it.each([URL_ID, "https://app.example:8443/client", "https://app.example/client?v=2", "https://127.0.0.1:4443/c.json"])(
    "accepts %s",
    (url) => expect(clientIdUrlProblem(url)).toBeNull(),
  );

  it.each([
    ["http://app.example/client.json", "https"],
    ["https://app.example/client.json#x", "fragment"],
    ["https://app.example/client.json#", "fragment"],
    ["https://user:pw@app.example/client.json", "user name or password"],
    ["https://@app.example/client.json", "user name or password"],
    ["https://app.example/a/../client.json", ". or .. path segments"],
    ["https://app.example/a/./client.json", ". or .. path segments"],
    ["https://app.example/a/%2e%2e/client.json", ". or .. path segments"],
    ["https://app.example/", "must have a path"],
    ["https://app.example", "canonical form (https://app.example/)"],
    ["https://APP.example/client.json", "canonical form (https://app.example/client.json)"],
    ["https://app.example:443/client.json", "canonical form (https://app.example/client.json)"],
    ["https://app.example/client json", "spaces"],
    ["not a url", "spaces"],
    ["https://", "not a valid URL"],
  ])("refuses %s (%s)", (url, message) => {
    expect(clientIdUrlProblem(url)).toContain(message);
  });

  it("refuses very long URLs", () => {
    expect(clientIdUrlProblem(`https://app.example/${"a".repeat(3000)}`)).toContain("longer than");
  });
});

describe("Client ID Metadata Documents (draft §4)", () => {
  it("normalizes a valid document", () => {
    const doc = accepted({
      ...valid,
      scope: "openid profile openid",
      logo_uri: "https://app.example/logo.png",
      client_uri: "https://app.example/",
      policy_uri: "https://app.example/privacy",
      tos_uri: "https://app.example/terms",
      contacts: ["dev@app.example"],
    });
    expect(doc).toEqual({
      clientId: URL_ID,
      name: "Example MCP Client",
      redirectUris: valid.redirect_uris,
      grantTypes: ["authorization_code", "refresh_token"],
      scopes: ["openid", "profile"],
      logoUri: "https://app.example/logo.png",
      clientUri: "https://app.example/",
      policyUri: "https://app.example/privacy",
      tosUri: "https://app.example/terms",
      contacts: ["dev@app.example"],
    });
  });

  it("falls back to the URL's host for the name, authorization_code for grant types, no scope list", () => {
    const doc = accepted({ client_id: "https://tools.example:8443/c.json", redirect_uris: ["http://localhost:9000/cb"] }, "https://tools.example:8443/c.json");
    expect(doc.name).toBe("tools.example:8443");
    expect(doc.grantTypes).toEqual(["authorization_code"]);
    expect(doc.scopes).toBeNull();
    expect(doc.contacts).toEqual([]);
  });

  it("treats a missing token_endpoint_auth_method as none", () => {
    const { token_endpoint_auth_method: _, ...withoutMethod } = valid;
    expect(accepted(withoutMethod).clientId).toBe(URL_ID);
  });

  it("requires client_id to equal the URL the document was fetched from, exactly", () => {
    expect(problem({ ...valid, client_id: "https://other.example/client.json" })).toMatch(
      /client_id "https:\/\/other\.example\/client\.json" is not the URL it was fetched from \(https:\/\/app\.example\/oauth\/client\.json\)/,
    );
    expect(problem({ ...valid, client_id: "https://app.example:443/oauth/client.json" })).toContain("is not the URL it was fetched from");
    expect(problem({ ...valid, client_id: undefined })).toContain("no client_id");
  });

  it("refuses a document fetched from an invalid Client Identifier URL", () => {
    expect(problem({ ...valid, client_id: "https://app.example/x#f" }, "https://app.example/x#f")).toContain("fragment");
  });

  it.each([[null], [[]], ["text"], [42]])("refuses a document that is not a JSON object (%j)", (json) => {
    expect(problem(json)).toContain("not a JSON object");
  });

  it.each(["client_secret_basic", "client_secret_post", "client_secret_jwt"])(
    "refuses %s: a document cannot hold a shared secret (draft §4.1)",
    (method) => {
      expect(problem({ ...valid, token_endpoint_auth_method: method })).toContain("needs a shared secret");
    },
  );

  it("refuses private_key_jwt as not supported by this server", () => {
    expect(problem({ ...valid, token_endpoint_auth_method: "private_key_jwt", jwks_uri: "https://app.example/jwks" })).toContain(
      "private_key_jwt is not supported by this server",
    );
  });

  it("refuses client_secret and private key material (draft §4.1)", () => {
    expect(problem({ ...valid, client_secret: "s3cret" })).toContain("client_secret");
    expect(problem({ ...valid, client_secret_expires_at: 0 })).toContain("client_secret");
    expect(problem({ ...valid, jwks: { keys: [{ kty: "EC", crv: "P-256", x: "x", y: "y", d: "private" }] } })).toContain("private or symmetric");
    expect(problem({ ...valid, jwks: { keys: [{ kty: "oct", k: "c2VjcmV0" }] } })).toContain("private or symmetric");
    expect(accepted({ ...valid, jwks: { keys: [{ kty: "EC", crv: "P-256", x: "x", y: "y" }] } }).clientId).toBe(URL_ID);
  });

  it.each([
    [{ redirect_uris: undefined }, "no redirect_uris"],
    [{ redirect_uris: [] }, "redirect_uris is empty"],
    [{ redirect_uris: "https://app.example/cb" }, "array of strings"],
    [{ redirect_uris: ["https://app.example/cb", 7] }, "array of strings"],
    [{ redirect_uris: ["https://app.example/cb#x"] }, "fragment"],
    [{ redirect_uris: ["http://app.example/cb"] }, "Plain http is only allowed for loopback"],
    [{ redirect_uris: ["javascript:alert(1)"] }, "javascript: scheme"],
    [{ redirect_uris: ["https://app.example/cb", "https://app.example/cb"] }, "twice"],
    [{ redirect_uris: Array.from({ length: 11 }, (_, i) => `https://app.example/cb${i}`) }, "more than 10"],
  ])("refuses invalid redirect_uris %j", (change, message) => {
    expect(problem({ ...valid, ...change })).toContain(message);
  });

  it("accepts a reverse-domain private-use redirect scheme (native apps, RFC 8252 §7.1)", () => {
    expect(accepted({ ...valid, redirect_uris: ["com.example.app:/callback"] }).redirectUris).toEqual(["com.example.app:/callback"]);
  });

  it.each([
    [["client_credentials"], "client_credentials not supported"],
    [["authorization_code", "implicit"], "implicit not supported"],
    [["authorization_code", "password"], "password not supported"],
    [["refresh_token"], "must include authorization_code"],
  ])("limits grant_types to authorization_code and refresh_token (%j)", (grantTypes, message) => {
    expect(problem({ ...valid, grant_types: grantTypes })).toContain(message);
  });

  it("allows only the code response type", () => {
    expect(problem({ ...valid, response_types: ["code", "token"] })).toContain("response_types");
  });

  it.each([
    [{ scope: ["openid"] }, "space-separated string"],
    [{ scope: 'openid "quoted"' }, "characters a scope cannot have"],
    [{ client_name: 5 }, "client_name must be a string"],
    [{ client_name: "x".repeat(201) }, "longer than 200"],
    [{ logo_uri: "javascript:alert(1)" }, "logo_uri must be an https URL"],
    [{ client_uri: "http://app.example/" }, "client_uri must be an https URL"],
    [{ policy_uri: "not a url" }, "policy_uri is not a valid URL"],
    [{ tos_uri: 1 }, "tos_uri must be a string"],
    [{ contacts: "dev@app.example" }, "contacts must be an array"],
  ])("refuses malformed optional metadata %j", (change, message) => {
    expect(problem({ ...valid, ...change })).toContain(message);
  });
});

describe("how long a fetched document is used (draft §5.2)", () => {
  const now = new Date("2026-11-30T12:00:00Z");
  const headers = (h: Partial<Record<"cacheControl" | "expires" | "date" | "age", string>>) => ({
    cacheControl: h.cacheControl ?? null,
    expires: h.expires ?? null,
    date: h.date ?? null,
    age: h.age ?? null,
  });

  it("is 1 hour when the response has no caching headers", () => {
    expect(metadataLifetimeSeconds(headers({}), now)).toBe(3600);
  });

  it("follows max-age less Age, within 5 minutes and 24 hours", () => {
    expect(metadataLifetimeSeconds(headers({ cacheControl: "public, max-age=7200" }), now)).toBe(7200);
    expect(metadataLifetimeSeconds(headers({ cacheControl: "max-age=7200", age: "200" }), now)).toBe(7000);
    expect(metadataLifetimeSeconds(headers({ cacheControl: "max-age=10" }), now)).toBe(300);
    expect(metadataLifetimeSeconds(headers({ cacheControl: "max-age=31536000" }), now)).toBe(86400);
  });

  it("counts no-store and no-cache as the minimum", () => {
    expect(metadataLifetimeSeconds(headers({ cacheControl: "no-store" }), now)).toBe(300);
    expect(metadataLifetimeSeconds(headers({ cacheControl: "no-cache, max-age=9000" }), now)).toBe(300);
  });

  it("falls back to Expires less Date", () => {
    expect(
      metadataLifetimeSeconds(headers({ expires: "Mon, 30 Nov 2026 14:00:00 GMT", date: "Mon, 30 Nov 2026 12:00:00 GMT" }), now),
    ).toBe(7200);
    expect(metadataLifetimeSeconds(headers({ expires: "Mon, 30 Nov 2026 13:00:00 GMT" }), now)).toBe(3600);
    expect(metadataLifetimeSeconds(headers({ expires: "0" }), now)).toBe(300);
  });
});
