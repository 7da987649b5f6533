// The official MCP TypeScript SDK against Latchkey and the example MCP server
// (examples/mcp-server): discovery from a 401, a client ID metadata document or dynamic
// registration, PKCE and the resource indicator, audience-bound tokens, refresh, step-up.
// The browser step (sign-in and consent) is driven over HTTP by the browserless helpers.
import type { IncomingMessage, ServerResponse } from "node:http";
import { randomBytes } from "node:crypto";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { auth, UnauthorizedError, type OAuthClientProvider } from "@modelcontextprotocol/sdk/client/auth.js";
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from "@modelcontextprotocol/sdk/shared/auth.js";
import { startMcpServer, type RunningMcpServer } from "../../examples/mcp-server/server";
import { answerConsent, follow, signIn } from "./helpers/browserless-login";
import { postForm } from "./helpers/code-flow";
import { startHttpsServer, type HttpsTestServer } from "./helpers/https-server";
import { freePort, startServer, type RunningServer } from "./helpers/server";

const CIMD_PATH = "/clients/mcp-sdk-test.json";
const OTHER_API = "http://localhost:9/reports";

let https: HttpsTestServer;
let server: RunningServer;
let mcp: RunningMcpServer;
let redirectUrl: string;

function serveMetadataDocument(req: IncomingMessage, res: ServerResponse): void {
  if (req.url !== CIMD_PATH) return void res.writeHead(404).end();
  res.writeHead(200, { "content-type": "application/json" }).end(
    JSON.stringify({
      client_id: `${https.url}${CIMD_PATH}`,
      client_name: "MCP SDK test client",
      redirect_uris: [redirectUrl],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "none",
      scope: "notes:read",
    }),
  );
}

function cli(args: string[]): string {
  const r = server.cli(args);
  if (r.status !== 0) throw new Error(`latchkey ${args.join(" ")} failed:\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

beforeAll(async () => {
  redirectUrl = `http://127.0.0.1:${await freePort()}/callback`;
  https = await startHttpsServer(serveMetadataDocument);
  server = await startServer({
    LATCHKEY_REGISTRATION: "open",
    LATCHKEY_CIMD_ALLOW_LOOPBACK: "true",
    NODE_EXTRA_CA_CERTS: https.certPath,
  });
  const port = await freePort();
  mcp = await startMcpServer({ issuer: server.issuer, port, host: "127.0.0.1", url: `http://127.0.0.1:${port}/mcp` });
  cli(["apis", "create", "--identifier", mcp.url, "--name", "Example MCP server", "--scopes", "notes:read notes:write"]);
  cli(["apis", "create", "--identifier", OTHER_API, "--name", "Reports", "--scopes", "account:read"]);
}, 300_000);

afterAll(async () => {
  await mcp?.close();
  await server?.stop();
  await https?.close();
});

/** An OAuthClientProvider that keeps everything in memory and records the authorization URL. */
class TestProvider implements OAuthClientProvider {
  authorizationUrl: URL | undefined;
  private info: OAuthClientInformationMixed | undefined;
  private saved: OAuthTokens | undefined;
  private verifier = "";

  constructor(readonly clientMetadataUrl?: string) {}

  get redirectUrl(): string {
    return redirectUrl;
  }

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: "MCP SDK test client",
      redirect_uris: [redirectUrl],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "none",
    };
  }

  state(): string {
    return randomBytes(16).toString("base64url");
  }

  clientInformation() {
    return this.info;
  }

  saveClientInformation(info: OAuthClientInformationMixed): void {
    this.info = info;
  }

  tokens() {
    return this.saved;
  }

  saveTokens(tokens: OAuthTokens): void {
    this.saved = tokens;
  }

  redirectToAuthorization(url: URL): void {
    this.authorizationUrl = url;
  }

  saveCodeVerifier(verifier: string): void {
    this.verifier = verifier;
  }

  codeVerifier(): string {
    return this.verifier;
  }
}

/** The browser's part: sign in as the demo user, allow on the consent page, read the code. */
async function approve(authorizationUrl: URL): Promise<string> {
  const jar = await signIn(server.issuer, "user@latchkey.local", "latchkey-user");
  let step = await follow(server.issuer, authorizationUrl.href, jar);
  if (step.html?.includes("/oauth/consent/decide")) step = { url: await answerConsent(server.issuer, step.html, jar, "allow") };
  const landed = new URL(step.url);
  const code = landed.searchParams.get("code");
  if (!code || !step.url.startsWith(redirectUrl)) {
    throw new Error(`no code: ended at ${step.url}${step.html ? `\n${step.html.slice(0, 500)}` : ""}`);
  }
  return code;
}

async function connect(provider: TestProvider): Promise<Client> {
  const client = new Client({ name: "latchkey-mcp-test", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(mcp.url), { authProvider: provider }));
  return client;
}

/** What an MCP host does on first use: connect, get a 401, authorize, finish, reconnect. */
async function authorizeWithSdk(provider: TestProvider): Promise<Client> {
  const transport = new StreamableHTTPClientTransport(new URL(mcp.url), { authProvider: provider });
  const first = new Client({ name: "latchkey-mcp-test", version: "1.0.0" });
  await expect(first.connect(transport)).rejects.toBeInstanceOf(UnauthorizedError);
  const authorizationUrl = provider.authorizationUrl;
  expect(authorizationUrl?.href.startsWith(`${server.issuer}/oauth/authorize?`)).toBe(true);
  expect(authorizationUrl!.searchParams.get("resource")).toBe(mcp.url);
  expect(authorizationUrl!.searchParams.get("code_challenge_method")).toBe("S256");
  await transport.finishAuth(await approve(authorizationUrl!));
  await first.close();
  return connect(provider);
}

async function callTool(client: Client, name: string): Promise<Record<string, unknown>> {
  const result = await client.callTool({ name, arguments: {} });
  expect(result.isError ?? false).toBe(false);
  const [content] = result.content as { type: string; text: string }[];
  return JSON.parse(content!.text) as Record<string, unknown>;
}

/** The whole journey for one way of identifying the client. */
async function exerciseSdkClient(provider: TestProvider): Promise<string> {
  const client = await authorizeWithSdk(provider);
  const clientId = provider.clientInformation()!.client_id;

  const tokens = provider.tokens()!;
  expect(decodeJwt(tokens.access_token).aud).toBe(mcp.url);
  expect(tokens.refresh_token).toBeTruthy();

  expect((await client.listTools()).tools.map((t) => t.name).sort()).toEqual(["notes", "whoami"]);
  const me = await callTool(client, "whoami");
  expect(me.client_id).toBe(clientId);
  expect(me.sub).toEqual(expect.any(String));
  expect(me.sub).not.toBe(clientId);
  expect((await callTool(client, "notes")).owner).toBe(me.sub);
  await client.close();

  // Refresh: the SDK presents the refresh token with the same resource.
  expect(await auth(provider, { serverUrl: mcp.url })).toBe("AUTHORIZED");
  const refreshed = provider.tokens()!;
  expect(refreshed.access_token).not.toBe(tokens.access_token);
  expect(decodeJwt(refreshed.access_token).aud).toBe(mcp.url);
  const again = await connect(provider);
  expect((await callTool(again, "whoami")).sub).toBe(me.sub);
  await again.close();
  return clientId;
}

async function mcpRequest(token: string | null, body: unknown): Promise<Response> {
  return fetch(mcp.url, {
    method: "POST",
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
    },
    body: JSON.stringify(body),
  });
}

const callNotes = { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "notes", arguments: {} } };
const callWhoami = { jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "whoami", arguments: {} } };

async function clientCredentialsToken(resource: string, scope: string): Promise<string> {
  const answer = await postForm(server.issuer, "/oauth/token", server.demo, { grant_type: "client_credentials", resource, scope });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body.access_token!;
}

describe("the example MCP server, protected by Latchkey", () => {
  it("answers 401 pointing to its RFC 9728 metadata, which names Latchkey", async () => {
    const res = await mcpRequest(null, callWhoami);
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe(`Bearer resource_metadata="${mcp.resourceMetadataUrl}"`);
    expect(mcp.resourceMetadataUrl).toBe(mcp.url.replace("/mcp", "/.well-known/oauth-protected-resource/mcp"));
    const metadata = await (await fetch(mcp.resourceMetadataUrl)).json();
    expect(metadata).toMatchObject({ resource: mcp.url, authorization_servers: [server.issuer], scopes_supported: ["notes:read"] });
  });

  it("Latchkey's own example API points clients to its metadata too", async () => {
    const res = await fetch(`${server.issuer}/api/v1/me`);
    expect(res.status).toBe(401);
    const metadataUrl = `${server.issuer}/.well-known/oauth-protected-resource/api/v1`;
    expect(res.headers.get("www-authenticate")).toContain(`resource_metadata="${metadataUrl}"`);
    const metadata = await (await fetch(metadataUrl)).json();
    expect(metadata).toMatchObject({ resource: `${server.issuer}/api/v1`, authorization_servers: [server.issuer], scopes_supported: ["account:read"] });
  });

  it("an SDK client with a client ID metadata document signs in with no registration step, refreshes and calls tools", async () => {
    const documentUrl = `${https.url}${CIMD_PATH}`;
    const clientId = await exerciseSdkClient(new TestProvider(documentUrl));
    expect(clientId).toBe(documentUrl);
  });

  it("an SDK client without a metadata document registers itself dynamically, refreshes and calls tools", async () => {
    const provider = new TestProvider();
    const clientId = await exerciseSdkClient(provider);
    expect(clientId).toEqual(expect.any(String));
    expect(clientId.startsWith("https://")).toBe(false);
  });

  it("refuses with 401 a valid token issued for another API", async () => {
    const token = await clientCredentialsToken(OTHER_API, "account:read");
    expect(decodeJwt(token).aud).toBe(OTHER_API);
    const res = await mcpRequest(token, callWhoami);
    expect(res.status).toBe(401);
    const challenge = res.headers.get("www-authenticate");
    expect(challenge).toContain('error="invalid_token"');
    expect(challenge).toContain(`resource_metadata="${mcp.resourceMetadataUrl}"`);
  });

  it("answers 403 insufficient_scope, naming notes:read, to a token for this server without it", async () => {
    const token = await clientCredentialsToken(mcp.url, "notes:write");
    expect(decodeJwt(token).aud).toBe(mcp.url);
    expect((await mcpRequest(token, callWhoami)).status).toBe(200);
    const res = await mcpRequest(token, callNotes);
    expect(res.status).toBe(403);
    expect(res.headers.get("www-authenticate")).toBe(
      `Bearer error="insufficient_scope", error_description="The access token lacks a required scope", scope="notes:read", resource_metadata="${mcp.resourceMetadataUrl}"`,
    );
    expect(await res.json()).toMatchObject({ error: "insufficient_scope" });
  });
});
