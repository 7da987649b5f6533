// The error pages (/oauth/error, /oauth/logout/error) take their text from the URL. Only text
// this server put there is shown: the URL carries an HMAC of it, so nobody can link to a page on
// this origin that says what they like ("call this number…").
import { createHmac } from "node:crypto";
import { env } from "../env";
import { safeEqual } from "../oauth/tokens";

/** The codes an error page may name (RFC 6749 §4.1.2.1, OIDC Core §3.1.2.6, RFC 8707); others read invalid_request. */
const ERROR_CODES = new Set([
  "invalid_request", "unauthorized_client", "access_denied", "unsupported_response_type", "invalid_scope", "server_error",
  "temporarily_unavailable", "invalid_client", "invalid_redirect_uri", "invalid_target", "login_required", "consent_required",
  "interaction_required", "request_not_supported", "request_uri_not_supported",
]);

function signature(path: string, error: string, description: string): string {
  return createHmac("sha256", env().authSecret).update(`error-page\n${path}\n${error}\n${description}`).digest("base64url").slice(0, 22);
}

/** `path` with the error and its description, signed. */
export function errorPageUrl(path: string, error: string, description: string): string {
  return `${path}?${new URLSearchParams({ error, error_description: description, sig: signature(path, error, description) })}`;
}

/** What an error page may show: the code (any well-formed one), and the description only when this server wrote it. */
export function errorPageText(
  path: string,
  params: { error?: string | string[]; error_description?: string | string[]; sig?: string | string[] },
): { error: string; description: string | null } {
  const error = typeof params.error === "string" && ERROR_CODES.has(params.error) ? params.error : "invalid_request";
  const description = typeof params.error_description === "string" ? params.error_description : null;
  const sig = typeof params.sig === "string" ? params.sig : "";
  const trusted = description !== null && error === params.error && safeEqual(sig, signature(path, error, description));
  return { error, description: trusted ? description : null };
}
