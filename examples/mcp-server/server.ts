// An MCP server protected by Latchkey: the official TypeScript SDK (McpServer over the
// Streamable HTTP transport, stateless) behind lib/resource-server on plain node:http.
//
//   GET  /.well-known/oauth-protected-resource/mcp  RFC 9728 metadata: "ask Latchkey"
//   POST /mcp                                       MCP; 401 without a token for this server,
//                                                   403 insufficient_scope for a tool it does not cover
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import type { AuthInfo } from "@modelcontextprotocol/sdk/server/auth/types.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import {
  authenticateRequest,
  createAccessTokenVerifier,
  insufficientScope,
  metadataAnswer,
  protectedResourceMetadata,
  protectedResourceMetadataUrl,
  sendAnswer,
  type AccessTokenVerifier,
} from "../../lib/resource-server";

export interface McpServerOptions {
  /** Latchkey's issuer, e.g. http://localhost:3000. */
  issuer: string;
  /** 0 picks a free port. */
  port?: number;
  /** Default: every interface. */
  host?: string;
  /**
   * The canonical URL clients use, registered in Latchkey as the API's identifier and found
   * in the tokens' `aud`. Default: http://localhost:<port>/mcp.
   */
  url?: string;
  /** Default: <issuer>/oauth/jwks. */
  jwksUri?: string;
}

export interface RunningMcpServer {
  url: string;
  port: number;
  resourceMetadataUrl: string;
  close(): Promise<void>;
}

interface Tool {
  name: string;
  description: string;
  /** Scopes a token needs to call the tool. */
  scopes: string[];
  run(auth: AuthInfo): CallToolResult;
}

const text = (value: unknown): CallToolResult => ({ content: [{ type: "text", text: JSON.stringify(value, null, 2) }] });

const TOOLS: Tool[] = [
  {
    name: "whoami",
    description: "Who the access token belongs to: user, client and granted scopes.",
    scopes: [],
    run: (auth) => text({ sub: auth.extra?.sub, client_id: auth.clientId, scope: auth.scopes.join(" ") }),
  },
  {
    name: "notes",
    description: "Lists the signed-in user's notes (needs the notes:read scope).",
    scopes: ["notes:read"],
    run: (auth) =>
      text({
        owner: auth.extra?.sub,
        notes: [
          { id: 1, title: "Welcome", body: "This server trusts tokens from Latchkey." },
          { id: 2, title: "Scopes", body: "This tool needs notes:read." },
        ],
      }),
  },
];

const SCOPES_SUPPORTED = [...new Set(TOOLS.flatMap((t) => t.scopes))];
const MAX_BODY = 1024 * 1024;

function buildMcpServer(): McpServer {
  const server = new McpServer({ name: "latchkey-example-mcp-server", version: "1.0.0" });
  for (const tool of TOOLS) {
    server.registerTool(tool.name, { description: tool.description }, (extra) => {
      const auth = extra.authInfo;
      if (!auth || !tool.scopes.every((s) => auth.scopes.includes(s))) {
        return { isError: true, content: [{ type: "text", text: `Needs scope ${tool.scopes.join(" ")}` }] };
      }
      return tool.run(auth);
    });
  }
  return server;
}

/** The scopes the JSON-RPC message(s) need: those of every tool called. */
function scopesFor(body: unknown): string[] {
  const messages = Array.isArray(body) ? body : [body];
  const needed = new Set<string>();
  for (const m of messages) {
    if (typeof m !== "object" || m === null || (m as { method?: unknown }).method !== "tools/call") continue;
    const name = (m as { params?: { name?: unknown } }).params?.name;
    for (const scope of TOOLS.find((t) => t.name === name)?.scopes ?? []) needed.add(scope);
  }
  return [...needed];
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new Error("body too large");
    chunks.push(chunk);
  }
  return JSON.parse(Buffer.concat(chunks).toString("utf8"));
}

function jsonRpcError(res: ServerResponse, status: number, code: number, message: string, headers: Record<string, string> = {}) {
  const body = JSON.stringify({ jsonrpc: "2.0", error: { code, message }, id: null });
  res.writeHead(status, { "Content-Type": "application/json", ...headers }).end(body);
}

const CORS = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Expose-Headers": "WWW-Authenticate, Mcp-Session-Id",
};

async function handleMcp(verifier: AccessTokenVerifier, resource: string, req: IncomingMessage, res: ServerResponse) {
  const token = await authenticateRequest(verifier, req, res);
  if (!token) return;
  if (req.method !== "POST") return jsonRpcError(res, 405, -32000, "Method not allowed", { Allow: "POST" });

  let body: unknown;
  try {
    body = await readJson(req);
  } catch {
    return jsonRpcError(res, 400, -32700, "Parse error");
  }
  // MCP step-up: a tool the token's scopes do not cover gets an HTTP 403 naming the scopes.
  const needed = scopesFor(body);
  if (!needed.every((s) => token.scopes.includes(s))) {
    const description = "The access token lacks a required scope";
    return sendAnswer(res, insufficientScope({ resourceMetadata: verifier.resourceMetadata, scope: needed, description }));
  }

  (req as IncomingMessage & { auth?: AuthInfo }).auth = {
    token: token.token,
    clientId: token.clientId,
    scopes: token.scopes,
    expiresAt: token.expiresAt,
    resource: new URL(resource),
    extra: { sub: token.subject },
  };
  const server = buildMcpServer();
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  res.on("close", () => {
    void transport.close();
    void server.close();
  });
  await server.connect(transport);
  await transport.handleRequest(req, res, body);
}

export async function startMcpServer(options: McpServerOptions): Promise<RunningMcpServer> {
  const issuer = options.issuer.replace(/\/+$/, "");
  let verifier: AccessTokenVerifier | undefined;
  let resource = "";
  let metadataPath = "";
  let mcpPath = "";
  let metadataBody: ReturnType<typeof metadataAnswer> | undefined;

  const http = createServer(async (req, res) => {
    for (const [name, value] of Object.entries(CORS)) res.setHeader(name, value);
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    try {
      if (req.method === "OPTIONS") {
        return void res
          .writeHead(204, {
            "Access-Control-Allow-Methods": "GET, POST, DELETE",
            "Access-Control-Allow-Headers": "Authorization, Content-Type, Mcp-Session-Id, Mcp-Protocol-Version, Last-Event-Id",
            "Access-Control-Max-Age": "600",
          })
          .end();
      }
      if (path === metadataPath && req.method === "GET") return sendAnswer(res, metadataBody!);
      if (path === mcpPath) return await handleMcp(verifier!, resource, req, res);
      res.writeHead(404, { "Content-Type": "text/plain" }).end("Not found");
    } catch (err) {
      console.error("[mcp-server]", err);
      if (!res.headersSent) jsonRpcError(res, 500, -32603, "Internal error");
      else res.end();
    }
  });

  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(options.port ?? 3001, options.host, () => resolve());
  });
  const port = (http.address() as AddressInfo).port;
  resource = options.url ?? `http://localhost:${port}/mcp`;
  const resourceMetadataUrl = protectedResourceMetadataUrl(resource);
  mcpPath = new URL(resource).pathname;
  metadataPath = new URL(resourceMetadataUrl).pathname;
  metadataBody = metadataAnswer(
    protectedResourceMetadata({
      resource,
      authorizationServers: [issuer],
      scopesSupported: SCOPES_SUPPORTED,
      resourceName: "Latchkey example MCP server",
    }),
  );
  verifier = createAccessTokenVerifier({ issuer, audience: resource, jwksUri: options.jwksUri, resourceMetadata: resourceMetadataUrl });

  return {
    url: resource,
    port,
    resourceMetadataUrl,
    close: () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}
