// The endpoint table: every machine endpoint the front door serves itself, straight from
// the protocol core. Adding an endpoint is one row here plus its core handler.
import type { OAuthRequest, OAuthResponse } from "../oauth/http";
import { serveExampleApi, serveExampleApiMetadata } from "./example-api";
import { serveLiveness, serveReadiness } from "./health";
import { serveMetrics } from "./metrics";
import { OAUTH_PATHS, oauth } from "./provider";
import { serveRegistration } from "./registration";

/**
 * Who may read an endpoint from a browser (CORS):
 * - "any": no cookies are involved (discovery, JWKS, bearer-token APIs), any origin;
 * - "app": token and revocation, for the web origins the calling app registered;
 * - "none": server-to-server or operator endpoints.
 * The authorization endpoint is a page, never CORS (RFC 9700 §4.16 and §2.6).
 */
export type CorsPolicy = "any" | "app" | "none";

export type EndpointMethod = "GET" | "POST" | "PUT" | "DELETE";

export interface Endpoint {
  methods: readonly EndpointMethod[];
  cors: CorsPolicy;
  /** Whether client authentication happens here (rate-limited on failure). */
  authenticatesClient: boolean;
  /** `rawBody`: the body of a POST or PUT as text (for JSON endpoints), else null. */
  handle: (req: OAuthRequest, rawBody: string | null) => Promise<OAuthResponse>;
  /** The row's path ends with "/" and serves every path below it (e.g. `/oauth/register/<id>`). */
  prefix?: boolean;
}

/** The row serving `pathname` (an exact path first, then the longest prefix) and its metrics label. */
export function lookupEndpoint(table: Map<string, Endpoint>, pathname: string): { endpoint: Endpoint; label: string } | undefined {
  const exact = table.get(pathname);
  if (exact !== undefined && exact.prefix !== true) return { endpoint: exact, label: pathname };
  let best: [string, Endpoint] | undefined;
  for (const [path, endpoint] of table) {
    if (endpoint.prefix !== true || pathname.length <= path.length || !pathname.startsWith(path)) continue;
    if (best === undefined || path.length > best[0].length) best = [path, endpoint];
  }
  return best && { endpoint: best[1], label: `${best[0]}*` };
}

export function endpointTable(): Map<string, Endpoint> {
  const p = oauth();
  const row = (
    methods: Endpoint["methods"],
    cors: CorsPolicy,
    handle: Endpoint["handle"],
    authenticatesClient = false,
  ): Endpoint => ({ methods, cors, handle, authenticatesClient });
  return new Map<string, Endpoint>([
    [OAUTH_PATHS.token, row(["POST"], "app", (r) => p.token(r), true)],
    [OAUTH_PATHS.revocation, row(["POST"], "app", (r) => p.revocation(r), true)],
    [OAUTH_PATHS.introspection, row(["POST"], "none", (r) => p.introspection(r), true)],
    [OAUTH_PATHS.deviceAuthorization, row(["POST"], "none", (r) => p.deviceAuthorization(r), true)],
    // RFC 7591/7592: bearer tokens only, never cookies, so any origin (browser-based MCP clients register too).
    [OAUTH_PATHS.registration, row(["POST"], "any", serveRegistration)],
    [`${OAUTH_PATHS.registration}/`, { ...row(["GET", "PUT", "DELETE"], "any", serveRegistration), prefix: true }],
    [OAUTH_PATHS.userinfo, row(["GET", "POST"], "any", (r) => p.userinfo(r))],
    [OAUTH_PATHS.jwks, row(["GET"], "any", () => p.jwks())],
    ["/.well-known/jwks.json", row(["GET"], "any", () => p.jwks())],
    ["/.well-known/openid-configuration", row(["GET"], "any", () => p.discovery("openid"))],
    ["/.well-known/oauth-authorization-server", row(["GET"], "any", () => p.discovery("oauth"))],
    ["/api/v1/me", row(["GET"], "any", serveExampleApi)],
    ["/.well-known/oauth-protected-resource/api/v1", row(["GET"], "any", serveExampleApiMetadata)],
    ["/healthz", row(["GET"], "none", serveLiveness)],
    ["/readyz", row(["GET"], "none", serveReadiness)],
    ["/metrics", row(["GET"], "none", serveMetrics)],
  ]);
}
