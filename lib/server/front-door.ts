// The one entry point of every request, in development, tests and production: request
// id, client address, size limits, methods, security headers, CORS, rate limits on
// client authentication, the access log and one error boundary. Machine endpoints
// (endpoints.ts) are answered here straight from the protocol core; every other path
// goes to Next (pages, the authorization endpoint, server actions, sign-in).
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { env } from "../env";
import { isFormContentType, parseBasicAuth, type OAuthRequest, type OAuthResponse } from "../oauth/http";
import { logRequest } from "./access-log";
import { CLIENT_IP_HEADER } from "./client-ip";
import { preflight, responseCorsHeaders } from "./cors";
import { endpointTable, lookupEndpoint, type Endpoint, type EndpointMethod } from "./endpoints";
import { countTokenIssued, nextRouteLabel, trackRequest } from "./metrics";
import { OAUTH_PATHS } from "./provider";
import { clientAuthBlocked, recordClientAuthFailure, tooManyRequests } from "./rate-limits";
import { baseHeaders, contentSecurityPolicy, LOGO_CSP, newNonce, pageHeaders } from "./security-headers";

export type NextHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

const MAX_URL = 8 * 1024;
const PAGE_METHODS = new Set(["GET", "HEAD", "POST"]);
/** Pages that are protocol endpoints: their errors are RFC 6749 JSON, their limit the protocol one. */
const PROTOCOL_PAGES = new Set(["/oauth/authorize"]);

function reply(res: ServerResponse, r: OAuthResponse, headOnly = false): void {
  res.writeHead(r.status, { ...r.headers, "Content-Length": String(Buffer.byteLength(r.body)) });
  res.end(headOnly ? undefined : r.body);
}

function jsonError(status: number, error: string, description: string, extra: Record<string, string> = {}): OAuthResponse {
  return {
    status,
    headers: { "Content-Type": "application/json", "Cache-Control": "no-store", ...extra },
    body: JSON.stringify({ error, error_description: description }),
  };
}

export function pathnameOf(url: string | undefined): string {
  const raw = url ?? "/";
  const q = raw.indexOf("?");
  return q === -1 ? raw : raw.slice(0, q);
}

/** The socket's address, or the one our own proxy saw (the last X-Forwarded-For entry). */
function clientIp(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = req.headers["x-forwarded-for"];
    const list = (Array.isArray(forwarded) ? forwarded.join(",") : (forwarded ?? "")).split(",");
    const last = list[list.length - 1]!.trim();
    if (last !== "") return last;
  }
  return req.socket.remoteAddress ?? "unknown";
}

/** The body as text, or null when it exceeds `limit` bytes. */
function readBody(req: IncomingMessage, limit: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers["content-length"]) > limit) {
      req.resume();
      resolve(null);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners("data");
        req.resume();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** The request's headers as the core reads them (a class: no closure per request). */
class HeaderView {
  constructor(private readonly headers: IncomingMessage["headers"]) {}

  get(name: string): string | null {
    const v = this.headers[name.toLowerCase()];
    return v === undefined ? null : Array.isArray(v) ? v.join(", ") : v;
  }
}

/** The client a request names (Basic credentials or client_id), for CORS, limits and the log. */
function namedClient(req: IncomingMessage, body: URLSearchParams | null): string | null {
  try {
    const basic = parseBasicAuth(req.headers.authorization ?? null);
    if (basic !== null) return basic.clientId;
  } catch {
    // malformed credentials: the endpoint answers invalid_client
  }
  const id = body?.get("client_id");
  return id ? id.slice(0, 200) : null;
}

interface Served {
  clientId: string | null;
}

async function serveEndpoint(
  endpoint: Endpoint,
  pathname: string,
  req: IncomingMessage,
  res: ServerResponse,
  ip: string,
  origin: string,
  served: Served,
): Promise<void> {
  const method = req.method ?? "GET";
  const browserOrigin = req.headers.origin ?? null;
  if (method === "OPTIONS") return reply(res, await preflight(endpoint, browserOrigin));
  const headOnly = method === "HEAD" && endpoint.methods.includes("GET");
  if (!headOnly && !endpoint.methods.includes(method as EndpointMethod)) {
    const allow = [...endpoint.methods, ...(endpoint.methods.includes("GET") ? ["HEAD"] : []), "OPTIONS"].join(", ");
    return reply(res, jsonError(405, "invalid_request", `Use ${endpoint.methods.join(" or ")}`, { Allow: allow }));
  }
  let body: URLSearchParams | null = null;
  let rawBody: string | null = null;
  if (method === "POST" || method === "PUT") {
    rawBody = await readBody(req, env().maxBody);
    if (rawBody === null) {
      res.shouldKeepAlive = false;
      return reply(res, jsonError(413, "invalid_request", "The request body is too large"));
    }
    if (isFormContentType(req.headers["content-type"] ?? null)) body = new URLSearchParams(rawBody);
  }
  const clientId = namedClient(req, body);
  served.clientId = clientId;
  if (endpoint.authenticatesClient) {
    // Only the address is refused up front. A client_id under attack is refused only for
    // failed attempts (below), so that nobody can lock a client out by knowing its id.
    const wait = clientAuthBlocked(ip, null);
    if (wait !== null) return reply(res, tooManyRequests(wait));
  }
  let url: URL | undefined;
  const request: OAuthRequest = {
    method: headOnly ? "GET" : method,
    get url() {
      url ??= new URL(req.url ?? "/", origin);
      return url;
    },
    headers: new HeaderView(req.headers),
    body,
  };
  let response = await endpoint.handle(request, rawBody);
  if (endpoint.authenticatesClient && response.status === 401) {
    const wait = await recordClientAuthFailure(ip, clientId);
    if (wait !== null) response = tooManyRequests(wait);
  }
  if (response.status === 200 && pathname === OAUTH_PATHS.token) countTokenIssued(body?.get("grant_type"));
  const cors = await responseCorsHeaders(endpoint, browserOrigin, clientId);
  reply(res, { ...response, headers: { ...response.headers, ...cors } }, headOnly);
}

async function servePage(
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  handleNext: NextHandler,
  dev: boolean,
): Promise<void> {
  const method = req.method ?? "GET";
  const protocolPage = PROTOCOL_PAGES.has(pathname);
  if (!PAGE_METHODS.has(method)) {
    return reply(res, jsonError(405, "invalid_request", "Use GET or POST", { Allow: "GET, HEAD, POST" }));
  }
  if (method === "POST") {
    const declared = req.headers["content-length"];
    const limit = protocolPage ? env().maxBody : env().maxPageBody;
    // Node stops reading a body at its Content-Length, so checking the header bounds it.
    if (declared === undefined && req.headers["transfer-encoding"] !== undefined) {
      res.shouldKeepAlive = false;
      return reply(res, jsonError(411, "invalid_request", "Send the body with a Content-Length"));
    }
    if (Number(declared) > limit) {
      res.shouldKeepAlive = false;
      return reply(res, jsonError(413, "invalid_request", "The request body is too large"));
    }
  }
  // A POST to a page is a form or a server action (Next parses multipart bodies to find one).
  if (method === "POST" || req.headers["next-action"] !== undefined || pathname.startsWith("/api/auth/")) {
    if (!/^[0-9a-f]{1,64}$/i.test(String(req.headers["next-action"] ?? "0"))) {
      return reply(res, jsonError(400, "invalid_request", "Malformed server action id"));
    }
    answerBadInputAs400(res);
  }
  if (pathname.startsWith("/logos/")) {
    // Uploaded images (app/logos): nothing in them may run, even when opened on their own.
    res.setHeader("Content-Security-Policy", LOGO_CSP);
  } else if (!pathname.startsWith("/_next/")) {
    const csp = contentSecurityPolicy(newNonce(), dev);
    // Next reads the nonce from the request's CSP header and puts it on its scripts.
    req.headers["content-security-policy"] = csp;
    for (const [name, value] of Object.entries(pageHeaders(csp))) res.setHeader(name, value);
  }
  await handleNext(req, res);
}

/**
 * Next throws on a form or server action payload it cannot decode, and next-auth on requests
 * its routes do not take; both answer 500 for what is the client's mistake. The error
 * is still logged by Next.
 */
function answerBadInputAs400(res: ServerResponse): void {
  const writeHead = res.writeHead.bind(res) as (status: number, ...rest: unknown[]) => ServerResponse;
  res.writeHead = ((status: number, ...rest: unknown[]) => writeHead(status === 500 ? 400 : status, ...rest)) as typeof res.writeHead;
}

/** CONNECT never reaches a request handler in Node: answer it here rather than drop it. */
export function refuseConnect(_req: IncomingMessage, socket: Duplex): void {
  socket.end("HTTP/1.1 405 Method Not Allowed\r\nAllow: GET, HEAD, POST\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", () =>
    socket.destroy(),
  );
}

function sendServerError(res: ServerResponse, id: string, err: unknown): void {
  console.error(JSON.stringify({ time: new Date().toISOString(), id, level: "error", message: String((err as Error)?.stack ?? err) }));
  if (res.headersSent) {
    res.end();
    return;
  }
  reply(res, jsonError(500, "server_error", `Unexpected error (request ${id})`));
}

export function createFrontDoor(options: { handleNext: NextHandler; dev: boolean }) {
  const e = env();
  const base = baseHeaders(e.issuer.startsWith("https:"));
  const metricsOn = e.metricsToken !== null;
  let table: Map<string, Endpoint> | undefined;

  return function handle(req: IncomingMessage, res: ServerResponse): void {
    const start = performance.now();
    const id = randomUUID();
    const ip = clientIp(req, e.trustProxy);
    req.headers[CLIENT_IP_HEADER] = ip;
    req.headers["x-request-id"] = id;
    res.setHeader("X-Request-Id", id);
    for (const name in base) res.setHeader(name, base[name]!);

    const url = req.url ?? "/";
    const pathname = pathnameOf(url);
    table ??= endpointTable();
    const match = lookupEndpoint(table, pathname);
    const endpoint = match?.endpoint;
    const served: Served = { clientId: null };
    const route = pathname.slice(0, 200);
    if (metricsOn) trackRequest(req, res, match !== undefined ? match.label : nextRouteLabel(pathname));
    if (e.accessLog) {
      res.once("finish", () =>
        logRequest({ id, method: (req.method ?? "").slice(0, 16), route, status: res.statusCode, ms: performance.now() - start, ip, clientId: served.clientId }),
      );
    }
    if (url.length > MAX_URL) {
      reply(res, jsonError(414, "invalid_request", "The URL is too long"));
      return;
    }
    const work =
      endpoint !== undefined
        ? serveEndpoint(endpoint, pathname, req, res, ip, e.issuer, served)
        : servePage(req, res, pathname, options.handleNext, options.dev);
    work.catch((err) => sendServerError(res, id, err));
  };
}
