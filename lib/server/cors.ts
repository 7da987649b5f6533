// CORS for the endpoint table (see CorsPolicy in endpoints.ts). Never credentials: no
// endpoint here reads cookies.
import type { OAuthResponse } from "../oauth/http";
import { allowedWebOrigins, isOriginAllowed } from "../oauth/web-origins";
import { knownWebOrigins } from "../data/web-origins";
import type { Endpoint } from "./endpoints";
import { oauthStore } from "./provider";

const ALLOWED_HEADERS = "Authorization, Content-Type, DPoP";
const EXPOSED_HEADERS = "WWW-Authenticate, Retry-After";
const MAX_AGE = "600";

/** The answer to an OPTIONS request (a preflight or not). */
export async function preflight(endpoint: Endpoint, origin: string | null): Promise<OAuthResponse> {
  const allow = ["OPTIONS", ...endpoint.methods, ...(endpoint.methods.includes("GET") ? ["HEAD"] : [])].join(", ");
  const headers: Record<string, string> = { Allow: allow, "Cache-Control": "no-store", Vary: "Origin" };
  const permitted =
    origin !== null &&
    (endpoint.cors === "any" || (endpoint.cors === "app" && isOriginAllowed(await knownWebOrigins(), origin)));
  if (permitted) {
    Object.assign(headers, {
      "Access-Control-Allow-Origin": endpoint.cors === "any" ? "*" : origin,
      "Access-Control-Allow-Methods": endpoint.methods.join(", "),
      "Access-Control-Allow-Headers": ALLOWED_HEADERS,
      "Access-Control-Max-Age": MAX_AGE,
    });
  }
  return { status: 204, headers, body: "" };
}

/** Headers that let `origin` read the response, or none. */
export async function responseCorsHeaders(
  endpoint: Endpoint,
  origin: string | null,
  clientId: string | null,
): Promise<Record<string, string>> {
  if (origin === null || endpoint.cors === "none") return {};
  if (endpoint.cors === "any") return { "Access-Control-Allow-Origin": "*", "Access-Control-Expose-Headers": EXPOSED_HEADERS };
  const vary = { Vary: "Origin" };
  if (clientId === null) return vary;
  const client = await oauthStore()
    .getClient(clientId)
    .catch(() => null); // a metadata document that cannot be used: no CORS, the endpoint answers the error
  if (client === null || !isOriginAllowed(allowedWebOrigins(client), origin)) return vary;
  return { ...vary, "Access-Control-Allow-Origin": origin, "Access-Control-Expose-Headers": EXPOSED_HEADERS };
}
