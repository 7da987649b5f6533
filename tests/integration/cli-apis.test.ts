// The CLI contract operators script against: `apis`, `registration-tokens` and `settings`,
// with their --json shapes, exit codes and messages, run against a real server's database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliJson as cliJsonOf } from "./helpers/cli-json";
import { startServer, type RunningServer } from "./helpers/server";

let server: RunningServer;

beforeAll(async () => {
  server = await startServer();
}, 400_000);

afterAll(async () => {
  await server?.stop();
});

function cli(args: string[]) {
  return server.cli(args);
}

function cliJson<T>(args: string[]): T {
  return cliJsonOf<T>(server, args);
}

interface ApiJson {
  identifier: string;
  name: string;
  scopes: string[];
  accessTokenTtl: number | null;
}

const basic = () => `Basic ${Buffer.from(`${server.demo.clientId}:${server.demo.clientSecret}`).toString("base64")}`;

async function clientCredentials(resource: string) {
  const res = await fetch(`${server.issuer}/oauth/token`, {
    method: "POST",
    headers: { authorization: basic(), "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "client_credentials", scope: "account:read", resource }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

function audienceOf(accessToken: string): unknown {
  return JSON.parse(Buffer.from(accessToken.split(".")[1]!, "base64url").toString()).aud;
}

describe("apis", () => {
  const identifier = "https://mcp.example.test/mcp";

  it("apis create --json prints the API; scopes missing from the catalog join it under the API's name", async () => {
    const api = cliJson<ApiJson>(["apis", "create", "--identifier", identifier, "--name", "Example MCP", "--scopes", "mcp:tools account:read", "--access-token-ttl", "600"]);
    expect(api).toEqual({ identifier, name: "Example MCP", scopes: ["mcp:tools", "account:read"], accessTokenTtl: 600 });
    const [scope] = await server.query<{ category: string; restricted: number | boolean; description: string }>(
      `SELECT "category", "restricted", "description" FROM "Scope" WHERE "name" = ?`, ["mcp:tools"]);
    expect(scope).toMatchObject({ category: "Example MCP" });
    expect(Boolean(scope!.restricted)).toBe(false);
    expect(scope!.description.length).toBeGreaterThan(0);
    const audit = await server.query<{ actor: string }>(`SELECT "actor" FROM "AuditLog" WHERE "action" = 'api.created' AND "target" = ?`, [identifier]);
    expect(audit).toEqual([{ actor: "cli" }]);
  });

  it("apis list --json lists it with the same shape; the default token lifetime is null", () => {
    cliJson(["apis", "create", "--identifier", "http://127.0.0.1:9000/mcp", "--name", "Local MCP", "--scopes", "account:read"]);
    const apis = cliJson<ApiJson[]>(["apis", "list"]);
    expect(apis).toContainEqual({ identifier, name: "Example MCP", scopes: ["mcp:tools", "account:read"], accessTokenTtl: 600 });
    expect(apis).toContainEqual({ identifier: "http://127.0.0.1:9000/mcp", name: "Local MCP", scopes: ["account:read"], accessTokenTtl: null });
    for (const api of apis) expect(Object.keys(api).sort()).toEqual(["accessTokenTtl", "identifier", "name", "scopes"]);
  });

  it("stores the identifier in its canonical form, which is what the server matches", () => {
    const api = cliJson<ApiJson>(["apis", "create", "--identifier", "https://Other.Example.TEST", "--name", "Other", "--scopes", "account:read"]);
    expect(api.identifier).toBe("https://other.example.test/");
  });

  it.each([
    ["http://mcp.example.test/mcp", /plain http is only allowed for loopback hosts/],
    ["https://mcp.example.test/mcp#tools", /fragment/],
    ["/mcp", /absolute URI/],
    [`https://mcp.example.test/${"a".repeat(600)}`, /At most 500 characters/],
  ])("refuses identifier %s with a message and exit code 2", (bad, message) => {
    const r = cli(["apis", "create", "--identifier", bad, "--name", "Bad", "--scopes", "account:read", "--json"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--identifier: /);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe("");
  });

  it("refuses a duplicate identifier, a missing name and a bad token lifetime", () => {
    const duplicate = cli(["apis", "create", "--identifier", identifier, "--name", "Again", "--scopes", "account:read"]);
    expect(duplicate.status).toBe(2);
    expect(duplicate.stderr).toContain(`an API with identifier ${identifier} already exists`);
    const noName = cli(["apis", "create", "--identifier", "https://new.example.test/", "--scopes", "account:read"]);
    expect(noName.status).toBe(2);
    expect(noName.stderr).toContain("--name is required");
    const ttl = cli(["apis", "create", "--identifier", "https://new.example.test/", "--name", "New", "--access-token-ttl", "59"]);
    expect(ttl.status).toBe(2);
    expect(ttl.stderr).toMatch(/--access-token-ttl: .*60 to 86400/);
  });

  it("the server issues tokens for a created API (aud is its identifier) and refuses it once deleted", async () => {
    const created = "https://tokens.example.test/api";
    cliJson(["apis", "create", "--identifier", created, "--name", "Token API", "--scopes", "account:read"]);
    await expect.poll(async () => (await clientCredentials(created)).status, { timeout: 5_000 }).toBe(200);
    const { body } = await clientCredentials(created);
    expect(audienceOf(String(body.access_token))).toBe(created);

    expect(cliJson<{ identifier: string; deleted: boolean }>(["apis", "delete", "--identifier", created])).toEqual({ identifier: created, deleted: true });
    await expect.poll(async () => (await clientCredentials(created)).body.error, { timeout: 5_000 }).toBe("invalid_target");
    const again = cli(["apis", "delete", "--identifier", created]);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain(`no API with identifier ${created}`);
  });
});

describe("registration-tokens", () => {
  it("create prints the token once; list never shows it; revoke ends it, and a second revoke is an error", async () => {
    const created = cliJson<{ id: string; token: string; label: string; expiresAt: string | null }>(
      ["registration-tokens", "create", "--label", "Acme MCP client", "--expires-in-days", "7"]);
    expect(created.label).toBe("Acme MCP client");
    expect(created.token.length).toBeGreaterThan(30);
    const days = (Date.parse(created.expiresAt!) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThan(7.1);

    const text = cli(["registration-tokens", "create", "--label", "No expiry"]);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^token: \S+$/m);
    expect(text.stdout).toContain("shown only once");

    const listed = cli(["registration-tokens", "list", "--json"]);
    expect(listed.stdout).not.toContain(created.token);
    const rows = JSON.parse(listed.stdout) as { id: string; label: string; status: string; expiresAt: string | null }[];
    expect(rows.find((t) => t.id === created.id)).toMatchObject({ label: "Acme MCP client", status: "active" });
    expect(rows.find((t) => t.label === "No expiry")).toMatchObject({ status: "active", expiresAt: null });

    const revoked = cli(["registration-tokens", "revoke", created.id]);
    expect(revoked.status).toBe(0);
    expect(revoked.stdout).toContain(`Revoked registration token ${created.id}`);
    const after = JSON.parse(cli(["registration-tokens", "list", "--json"]).stdout) as { id: string; status: string }[];
    expect(after.find((t) => t.id === created.id)?.status).toBe("revoked");
    const twice = cli(["registration-tokens", "revoke", created.id]);
    expect(twice.status).toBe(2);
    expect(twice.stderr).toContain("already revoked");
    const unknown = cli(["registration-tokens", "revoke", "no-such-id"]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("no registration token with id no-such-id");
  });

  it("refuses a missing label and a bad expiry", () => {
    expect(cli(["registration-tokens", "create"]).stderr).toContain("--label is required");
    const bad = cli(["registration-tokens", "create", "--label", "x", "--expires-in-days", "soon"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--expires-in-days: /);
  });
});

describe("settings", () => {
  it("set changes each setting and show --json reports them", () => {
    expect(cli(["settings", "set", "registration", "token"]).status).toBe(0);
    expect(cli(["settings", "set", "metadata-documents", "listed"]).status).toBe(0);
    expect(cli(["settings", "set", "metadata-document-domains", "Apps.Example.com *.example.org"]).status).toBe(0);
    expect(cliJson(["settings", "show"])).toEqual({
      registration: "token",
      metadataDocuments: "listed",
      metadataDocumentDomains: ["apps.example.com", "*.example.org"],
    });
    expect(cli(["settings", "set", "metadata-document-domains", ""]).status).toBe(0);
    expect(cli(["settings", "set", "registration", "public"]).status).toBe(0);
    expect(cliJson(["settings", "show"])).toMatchObject({ registration: "public", metadataDocumentDomains: [] });
  });

  it.each([
    [["registration", "sometimes"], /registration: "sometimes" is not one of off, open, public, token/],
    [["metadata-document-domains", "https://a.example.com"], /a host name only/],
    [["metadata-document-domains", "*.com"], /wildcard needs at least two labels/],
    [["colour", "blue"], /unknown setting "colour"/],
  ])("settings set %j exits 2 with a clear message", (args, message) => {
    const r = cli(["settings", "set", ...args]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});
