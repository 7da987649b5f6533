import { describe, expect, it } from "vitest";
import { apiIdentifierProblem, apiSchema, canonicalApiIdentifier } from "@/lib/validation/api";
import { appSchema } from "@/lib/validation/app";
import { domainListSchema } from "@/lib/validation/settings";

const app = {
  name: "MCP client",
  type: "public",
  redirectUris: ["http://127.0.0.1/callback"],
  grantTypes: ["authorization_code"],
  scopes: ["openid", "notes:read"],
};

describe("the app form's default scopes", () => {
  it("default to none", () => {
    expect(appSchema.parse(app).defaultScopes).toEqual([]);
  });

  it("accept a subset of the app's scopes, without duplicates", () => {
    expect(appSchema.parse({ ...app, defaultScopes: ["notes:read", "notes:read"] }).defaultScopes).toEqual(["notes:read"]);
  });

  it("refuse a scope the app does not have, naming it", () => {
    const result = appSchema.safeParse({ ...app, defaultScopes: ["notes:read", "notes:write"] });
    expect(result.success).toBe(false);
    const issue = result.error!.issues.find((i) => i.path[0] === "defaultScopes");
    expect(issue?.message).toContain("notes:write");
  });
});

describe("API identifiers", () => {
  it.each([
    ["https://mcp.example.com/mcp", null],
    ["http://localhost:8080/mcp", null],
    ["http://127.0.0.1/mcp", null],
    ["http://[::1]:3000/", null],
    ["http://mcp.example.com/mcp", /loopback/],
    ["https://mcp.example.com/mcp#x", /fragment/],
    ["https://user:pw@mcp.example.com/", /user name/],
    ["urn:example:api", /https/],
    ["mcp.example.com", /absolute URI/],
    ["https://mcp.example.com/a b", /spaces/],
  ])("%s", (identifier, problem) => {
    const found = apiIdentifierProblem(identifier);
    if (problem === null) expect(found).toBeNull();
    else expect(found).toMatch(problem);
  });

  it("are stored in their WHATWG serialization, as MCP clients send them", () => {
    expect(canonicalApiIdentifier(" HTTPS://MCP.Example.com:443 ")).toBe("https://mcp.example.com/");
    expect(apiSchema.parse({ identifier: "https://mcp.example.com/mcp", name: "MCP", scopes: [] }).identifier).toBe("https://mcp.example.com/mcp");
  });

  it("take a token lifetime from 60 to 86400 seconds, or none", () => {
    const base = { identifier: "https://mcp.example.com/mcp", name: "MCP" };
    expect(apiSchema.parse({ ...base, accessTokenTtl: "" }).accessTokenTtl).toBeNull();
    expect(apiSchema.parse({ ...base, accessTokenTtl: "600" }).accessTokenTtl).toBe(600);
    expect(apiSchema.safeParse({ ...base, accessTokenTtl: "59" }).success).toBe(false);
    expect(apiSchema.safeParse({ ...base, accessTokenTtl: 86_401 }).success).toBe(false);
  });
});

describe("metadata document domains", () => {
  it("split on spaces, commas and lines, lowercased and deduplicated", () => {
    expect(domainListSchema.parse("A.example.com, *.Tools.example.com\na.example.com")).toEqual(["a.example.com", "*.tools.example.com"]);
  });

  it.each(["https://a.example.com", "a.example.com/x", "*.com", "bad_host.example.com", "*"])("refuse %s", (list) => {
    expect(domainListSchema.safeParse(list).success).toBe(false);
  });
});
