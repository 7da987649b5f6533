// Serves the machine-to-machine endpoints straight from node:http, without Next's
// page pipeline (see README, "Performance"). Everything else goes to Next.
import type { IncomingMessage, ServerResponse } from "node:http";
import { isFormContentType, type OAuthRequest, type OAuthResponse } from "../oauth/http";
import { serveLiveness, serveReadiness } from "./health";
import { countTokenIssued, serveMetrics } from "./metrics";
import { OAUTH_PATHS, oauth } from "./provider";

const MAX_BODY = 64 * 1024;

type Handler = (req: OAuthRequest) => Promise<OAuthResponse>;

const METHOD_NOT_ALLOWED: OAuthResponse = {
  status: 405,
  headers: { "Content-Type": "application/json", "Cache-Control": "no-store", Allow: "GET, HEAD" },
  body: JSON.stringify({ error: "method_not_allowed" }),
};

function readOnly(handler: Handler): Handler {
  return (r) => (r.method === "GET" || r.method === "HEAD" ? handler(r) : Promise.resolve(METHOD_NOT_ALLOWED));
}

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
    ["/healthz", readOnly(serveLiveness)],
    ["/readyz", readOnly(serveReadiness)],
    ["/metrics", readOnly(serveMetrics)],
  ]);
}

const TOO_LARGE = JSON.stringify({ error: "invalid_request", error_description: "Request body too large" });

/** The body as text, or null when it exceeds MAX_BODY (the request is then answered 413). */
function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"]);
    if (declared > MAX_BODY) {
      resolve(null);
      return;
    }
    let text = "";
    let size = 0;
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => {
      size += Buffer.byteLength(chunk);
      if (size > MAX_BODY) {
        req.removeAllListeners("data");
        req.resume();
        resolve(null);
        return;
      }
      text += chunk;
    });
    req.on("end", () => resolve(text));
    req.on("error", reject);
  });
}

function headerGetter(req: IncomingMessage): OAuthRequest["headers"] {
  const headers = req.headers;
  return {
    get: (name) => {
      const v = headers[name.toLowerCase()];
      return v === undefined ? null : Array.isArray(v) ? v.join(", ") : v;
    },
  };
}

async function serve(route: string, handler: Handler, origin: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = req.method ?? "GET";
  let body: URLSearchParams | null = null;
  if (method === "POST") {
    const raw = await readBody(req);
    if (raw === null) {
      res.writeHead(413, { "content-type": "application/json", "cache-control": "no-store", connection: "close" });
      res.end(TOO_LARGE);
      return;
    }
    if (isFormContentType(req.headers["content-type"] ?? null)) body = new URLSearchParams(raw);
  }
  let url: URL | undefined;
  const request: OAuthRequest = {
    method,
    get url() {
      url ??= new URL(req.url ?? "/", origin);
      return url;
    },
    headers: headerGetter(req),
    body,
  };
  const response = await handler(request);
  if (response.status === 200 && route === OAUTH_PATHS.token) countTokenIssued(body?.get("grant_type"));
  res.writeHead(response.status, response.headers);
  res.end(response.body);
}

export function pathnameOf(url: string | undefined): string {
  const raw = url ?? "/";
  const q = raw.indexOf("?");
  return q === -1 ? raw : raw.slice(0, q);
}

export interface FastPath {
  /** The table path that serves `pathname` (also its metrics label), or null when Next does. */
  route(pathname: string): string | null;
  serve(route: string, req: IncomingMessage, res: ServerResponse): Promise<void>;
}

export function createFastPath(origin: string): FastPath {
  let table: Map<string, Handler> | undefined;
  return {
    route(pathname) {
      table ??= routes();
      return table.has(pathname) ? pathname : null;
    },
    serve(route, req, res) {
      table ??= routes();
      return serve(route, table.get(route)!, origin, req, res);
    },
  };
}
