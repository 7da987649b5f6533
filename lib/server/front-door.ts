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
import { countRequest, countTokenIssued, nextRouteLabel } from "./metrics";
import { OAUTH_PATHS } from "./provider";
import { clientAuthBlocked, recordClientAuthFailure, tooManyRequests } from "./rate-limits";
import { baseHeaders, contentSecurityPolicy, LOGO_CSP, newNonce, pageHeaders } from "./security-headers";

export type NextHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

const MAX_URL = 8 * 1024;
const PAGE_METHODS = new Set(["GET", "HEAD", "POST"]);
/** Pages that are protocol endpoints: their errors are RFC 6749 JSON, their limit the protocol one. */
const PROTOCOL_PAGES = new Set(["/oauth/authorize"]);

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

/** A machine endpoint's request as the core reads it; its URL is parsed only if read. */
class EndpointRequest implements OAuthRequest {
  readonly headers: HeaderView;
  private parsed: URL | undefined;

  constructor(
    private readonly req: IncomingMessage,
    private readonly origin: string,
    readonly method: string,
    readonly body: URLSearchParams | null,
    readonly clientIp: string,
  ) {
    this.headers = new HeaderView(req.headers);
  }

  get url(): URL {
    this.parsed ??= new URL(this.req.url ?? "/", this.origin);
    return this.parsed;
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

/**
 * One request as the front door sees it: what every answer carries (the request id and the
 * security headers), and what the access log and the metrics read once it is sent.
 */
class Exchange {
  clientId: string | null = null;

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly id: string,
    readonly start: number,
    readonly ip: string,
    readonly route: string,
    /** The metrics route label, or null when metrics are off. */
    readonly label: string | null,
    readonly log: boolean,
    private readonly base: readonly string[],
  ) {}

  /** Sets the common headers ahead of a handler that writes its own response (Next). */
  setCommonHeaders(): void {
    this.res.setHeader("X-Request-Id", this.id);
    for (let i = 0; i < this.base.length; i += 2) this.res.setHeader(this.base[i]!, this.base[i + 1]!);
  }

  /**
   * Answers with `r`, the common headers and `extra` (which win over r's own), in one
   * writeHead: with nothing set on the response before, Node writes the list as it is.
   */
  reply(r: OAuthResponse, extra: Record<string, string> | null = null, headOnly = false): void {
    const headers: string[] = ["X-Request-Id", this.id, ...this.base];
    const own = extra === null ? r.headers : { ...r.headers, ...extra };
    for (const name in own) headers.push(name, own[name]!);
    headers.push("Content-Length", String(Buffer.byteLength(r.body)));
    this.res.writeHead(r.status, headers);
    this.res.end(headOnly ? undefined : r.body);
  }
}

const EXCHANGE = Symbol("latchkey.exchange");
type TrackedResponse = ServerResponse & { [EXCHANGE]: Exchange };

/** The response's "finish" listener (one function for every request): the metrics and the access log. */
function finished(this: TrackedResponse): void {
  const x = this[EXCHANGE];
  const ms = performance.now() - x.start;
  const method = x.req.method ?? "";
  if (x.label !== null) countRequest(x.label, method, this.statusCode, ms / 1000);
  if (x.log) {
    logRequest({ id: x.id, method: method.slice(0, 16), route: x.route, status: this.statusCode, ms, ip: x.ip, clientId: x.clientId });
  }
}

async function serveEndpoint(endpoint: Endpoint, pathname: string, x: Exchange, origin: string): Promise<void> {
  const { req, res } = x;
  const method = req.method ?? "GET";
  const browserOrigin = req.headers.origin ?? null;
  if (method === "OPTIONS") return x.reply(await preflight(endpoint, browserOrigin));
  const headOnly = method === "HEAD" && endpoint.methods.includes("GET");
  if (!headOnly && !endpoint.methods.includes(method as EndpointMethod)) {
    const allow = [...endpoint.methods, ...(endpoint.methods.includes("GET") ? ["HEAD"] : []), "OPTIONS"].join(", ");
    return x.reply(jsonError(405, "invalid_request", `Use ${endpoint.methods.join(" or ")}`, { Allow: allow }));
  }
  let body: URLSearchParams | null = null;
  let rawBody: string | null = null;
  if (method === "POST" || method === "PUT") {
    rawBody = await readBody(req, env().maxBody);
    if (rawBody === null) {
      res.shouldKeepAlive = false;
      return x.reply(jsonError(413, "invalid_request", "The request body is too large"));
    }
    if (isFormContentType(req.headers["content-type"] ?? null)) body = new URLSearchParams(rawBody);
  }
  const clientId = namedClient(req, body);
  x.clientId = clientId;
  if (endpoint.authenticatesClient) {
    // Only the address is refused up front. A client_id under attack is refused only for
    // failed attempts (below), so that nobody can lock a client out by knowing its id.
    const wait = clientAuthBlocked(x.ip, null);
    if (wait !== null) return x.reply(tooManyRequests(wait));
  }
  let response = await endpoint.handle(new EndpointRequest(req, origin, headOnly ? "GET" : method, body, x.ip), rawBody);
  if (endpoint.authenticatesClient && response.status === 401) {
    const wait = await recordClientAuthFailure(x.ip, clientId);
    if (wait !== null) response = tooManyRequests(wait);
  }
  if (response.status === 200 && pathname === OAUTH_PATHS.token) countTokenIssued(body?.get("grant_type"));
  // Without an Origin header there is no CORS to answer (and nothing to look up).
  const cors = browserOrigin === null ? null : await responseCorsHeaders(endpoint, browserOrigin, clientId);
  x.reply(response, cors, headOnly);
}

async function servePage(x: Exchange, pathname: string, handleNext: NextHandler, dev: boolean): Promise<void> {
  const { req, res } = x;
  const method = req.method ?? "GET";
  const protocolPage = PROTOCOL_PAGES.has(pathname);
  if (!PAGE_METHODS.has(method)) {
    return x.reply(jsonError(405, "invalid_request", "Use GET or POST", { Allow: "GET, HEAD, POST" }));
  }
  if (method === "POST") {
    const declared = req.headers["content-length"];
    const limit = protocolPage ? env().maxBody : env().maxPageBody;
    // Node stops reading a body at its Content-Length, so checking the header bounds it.
    if (declared === undefined && req.headers["transfer-encoding"] !== undefined) {
      res.shouldKeepAlive = false;
      return x.reply(jsonError(411, "invalid_request", "Send the body with a Content-Length"));
    }
    if (Number(declared) > limit) {
      res.shouldKeepAlive = false;
      return x.reply(jsonError(413, "invalid_request", "The request body is too large"));
    }
  }
  // A POST to a page is a form or a server action (Next parses multipart bodies to find one).
  if (method === "POST" || req.headers["next-action"] !== undefined || pathname.startsWith("/api/auth/")) {
    if (!/^[0-9a-f]{1,64}$/i.test(String(req.headers["next-action"] ?? "0"))) {
      return x.reply(jsonError(400, "invalid_request", "Malformed server action id"));
    }
    answerBadInputAs400(res);
  }
  x.setCommonHeaders();
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

function sendServerError(x: Exchange, err: unknown): void {
  console.error(JSON.stringify({ time: new Date().toISOString(), id: x.id, level: "error", message: String((err as Error)?.stack ?? err) }));
  if (x.res.headersSent) {
    x.res.end();
    return;
  }
  x.reply(jsonError(500, "server_error", `Unexpected error (request ${x.id})`));
}

export function createFrontDoor(options: { handleNext: NextHandler; dev: boolean }) {
  const e = env();
  const base = Object.entries(baseHeaders(e.issuer.startsWith("https:"))).flat();
  const metricsOn = e.metricsToken !== null;
  let table: Map<string, Endpoint> | undefined;

  return function handle(req: IncomingMessage, res: ServerResponse): void {
    const start = performance.now();
    const id = randomUUID();
    const ip = clientIp(req, e.trustProxy);
    req.headers[CLIENT_IP_HEADER] = ip;
    req.headers["x-request-id"] = id;

    const url = req.url ?? "/";
    const pathname = pathnameOf(url);
    table ??= endpointTable();
    const match = lookupEndpoint(table, pathname);
    const label = !metricsOn ? null : match !== undefined ? match.label : nextRouteLabel(pathname);
    const x = new Exchange(req, res, id, start, ip, pathname.slice(0, 200), label, e.accessLog, base);
    if (label !== null || e.accessLog) {
      (res as TrackedResponse)[EXCHANGE] = x;
      res.on("finish", finished);
    }
    if (url.length > MAX_URL) {
      x.reply(jsonError(414, "invalid_request", "The URL is too long"));
      return;
    }
    const work = match !== undefined ? serveEndpoint(match.endpoint, pathname, x, e.issuer) : servePage(x, pathname, options.handleNext, options.dev);
    work.catch((err) => sendServerError(x, err));
  };
}
