// The endpoint table: every machine endpoint the front door serves itself, straight from
// the protocol core. Adding an endpoint is one row here plus its core handler.
import type { OAuthRequest, OAuthResponse } from "../oauth/http";
import { serveExampleApi } from "./example-api";
import { serveLiveness, serveReadiness } from "./health";
import { serveMetrics } from "./metrics";
import { OAUTH_PATHS, oauth } from "./provider";

/**
 * Who may read an endpoint from a browser (CORS):
 * - "any": no cookies are involved (discovery, JWKS, bearer-token APIs), any origin;
 * - "app": token and revocation, for the web origins the calling app registered;
 * - "none": server-to-server or operator endpoints.
 * The authorization endpoint is a page, never CORS (RFC 9700 §4.16 and §2.6).
 */
export type CorsPolicy = "any" | "app" | "none";

export interface Endpoint {
  methods: readonly ("GET" | "POST")[];
  cors: CorsPolicy;
  /** Whether client authentication happens here (rate-limited on failure). */
  authenticatesClient: boolean;
  handle: (req: OAuthRequest) => Promise<OAuthResponse>;
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
    [OAUTH_PATHS.userinfo, row(["GET", "POST"], "any", (r) => p.userinfo(r))],
    [OAUTH_PATHS.jwks, row(["GET"], "any", () => p.jwks())],
    ["/.well-known/jwks.json", row(["GET"], "any", () => p.jwks())],
    ["/.well-known/openid-configuration", row(["GET"], "any", () => p.discovery("openid"))],
    ["/.well-known/oauth-authorization-server", row(["GET"], "any", () => p.discovery("oauth"))],
    ["/api/v1/me", row(["GET"], "any", serveExampleApi)],
    ["/healthz", row(["GET"], "none", serveLiveness)],
    ["/readyz", row(["GET"], "none", serveReadiness)],
    ["/metrics", row(["GET"], "none", serveMetrics)],
  ]);
}
