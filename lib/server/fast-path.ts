// Serves the machine-to-machine endpoints straight from node:http, without Next's
// page pipeline (see README, "Performance"). Everything else goes to Next.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { OAuthRequest, OAuthResponse } from "../oauth/http";
import { OAUTH_PATHS, oauth } from "./provider";

const MAX_BODY = 64 * 1024;

type Handler = (req: OAuthRequest) => Promise<OAuthResponse>;

function routes(): Map<string, Handler> {
  const p = oauth();
  return new Map<string, Handler>([
    [OAUTH_PATHS.token, (r) => p.token(r)],
    [OAUTH_PATHS.revocation, (r) => p.revocation(r)],
    [OAUTH_PATHS.introspection, (r) => p.introspection(r)],
    [OAUTH_PATHS.userinfo, (r) => p.userinfo(r)],
    [OAUTH_PATHS.jwks, () => p.jwks()],
    ["/.well-known/jwks.json", () => p.jwks()],
    ["/.well-known/openid-configuration", () => p.discovery("openid")],
    ["/.well-known/oauth-authorization-server", () => p.discovery("oauth")],
  ]);
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        resolve(null);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

export function createFastPath(origin: string) {
  let table: Map<string, Handler> | undefined;
  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const url = new URL(req.url ?? "/", origin);
    table ??= routes();
    const handler = table.get(url.pathname);
    if (!handler) return false;
    let body: URLSearchParams | null = null;
    const type = req.headers["content-type"] ?? "";
    if (req.method === "POST") {
      const raw = await readBody(req);
      if (raw === null) {
        res.writeHead(413, { "content-type": "application/json", "cache-control": "no-store" });
        res.end(JSON.stringify({ error: "invalid_request", error_description: "Request body too large" }));
        return true;
      }
      body = type.toLowerCase().startsWith("application/x-www-form-urlencoded") ? new URLSearchParams(raw) : null;
    }
    const headers = req.headers;
    const request: OAuthRequest = {
      method: req.method ?? "GET",
      url,
      headers: { get: (name) => {
        const v = headers[name.toLowerCase()];
        return v === undefined ? null : Array.isArray(v) ? v.join(", ") : v;
      } },
      body,
    };
    const response = await handler(request);
    res.writeHead(response.status, response.headers);
    res.end(response.body);
    return true;
  };
}
