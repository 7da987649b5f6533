// Client ID Metadata Documents (draft-ietf-oauth-client-id-metadata-document): a client whose
// client_id is an https URL publishes its RFC 7591 metadata at that URL. This file decides
// whether a client_id is such a URL and whether a fetched document can be used; fetching and
// storing live outside the core (lib/data/metadata-document-clients.ts).
import { MAX_REDIRECT_URIS, redirectUriProblem } from "../validation/redirect-uri";
import type { GrantType } from "./store";

export const MAX_CLIENT_ID_URL_LENGTH = 2048;
const MAX_NAME_LENGTH = 200;
const MAX_CONTACTS = 10;
const SUPPORTED_GRANT_TYPES: readonly GrantType[] = ["authorization_code", "refresh_token"];
const SECRET_METHODS = ["client_secret_basic", "client_secret_post", "client_secret_jwt"];
const KEY_METHODS = ["private_key_jwt", "tls_client_auth", "self_signed_tls_client_auth"];
const PRIVATE_JWK_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "k", "oth"];

/** The document, checked and reduced to what this server uses. */
export interface ClientMetadataDocument {
  clientId: string;
  /** client_name, else the URL's host. */
  name: string;
  redirectUris: string[];
  grantTypes: GrantType[];
  /** The document's `scope`, split; null when it names none. */
  scopes: string[] | null;
  logoUri: string | null;
  clientUri: string | null;
  policyUri: string | null;
  tosUri: string | null;
  contacts: string[];
}

export type ClientMetadataDocumentResult = { document: ClientMetadataDocument } | { problem: string };

/** True for a client_id this server treats as a Client Identifier URL (to fetch). */
export function isClientIdUrl(clientId: string): boolean {
  return clientId.startsWith("https://");
}

/** Why `value` is not a usable Client Identifier URL (draft §3), or null when it is. */
export function clientIdUrlProblem(value: string): string | null {
  if (value.length > MAX_CLIENT_ID_URL_LENGTH) return `the client_id URL is longer than ${MAX_CLIENT_ID_URL_LENGTH} characters`;
  if (/[\u0000-\u0020\u007f\\]/.test(value)) return "the client_id URL contains spaces, control characters or backslashes";
  if (value.includes("#")) return "the client_id URL must not contain a fragment (#…)";
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "the client_id is not a valid URL";
  }
  if (url.protocol !== "https:") return "the client_id URL must use https";
  if (url.username !== "" || url.password !== "" || /^https:\/\/[^/?#]*@/i.test(value)) {
    return "the client_id URL must not contain a user name or password";
  }
  const path = value.replace(/^https:\/\/[^/?#]*/i, "").split("?")[0] ?? "";
  if (path.split("/").some((segment) => /^(?:\.|%2e){1,2}$/i.test(segment))) {
    return "the client_id URL must not contain . or .. path segments";
  }
  // Client IDs are compared as strings: a form the URL parser rewrites would name another client.
  if (url.href !== value) return `the client_id URL is not in canonical form (${url.href})`;
  if (url.pathname === "/") return "the client_id URL must have a path, like https://example.com/client.json";
  return null;
}

function httpsUrlProblem(name: string, value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "string") return `${name} must be a string`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `${name} is not a valid URL`;
  }
  if (url.protocol !== "https:") return `${name} must be an https URL`;
  if (url.username !== "" || url.password !== "") return `${name} must not contain a user name or password`;
  return null;
}

function stringList(name: string, value: unknown): string[] | string {
  if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) return `${name} must be an array of strings`;
  return value as string[];
}

function authMethodProblem(method: unknown): string | null {
  if (method === undefined || method === "none") return null;
  if (typeof method !== "string") return "token_endpoint_auth_method must be a string";
  if (SECRET_METHODS.includes(method)) {
    return `token_endpoint_auth_method ${method} needs a shared secret, which a metadata document cannot hold; use none`;
  }
  if (KEY_METHODS.includes(method)) return `token_endpoint_auth_method ${method} is not supported by this server; use none`;
  return `token_endpoint_auth_method ${method} is not supported; use none`;
}

function privateKeyProblem(jwks: unknown): string | null {
  if (jwks === undefined) return null;
  const keys = (jwks as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys)) return "jwks must be an object with a keys array";
  const leaks = keys.some((k) => typeof k === "object" && k !== null && PRIVATE_JWK_MEMBERS.some((m) => m in k));
  return leaks ? "jwks must not contain private or symmetric key material" : null;
}

/** Checks a fetched document against the URL it was fetched from (draft §4, RFC 7591 §2). */
export function parseClientMetadataDocument(clientId: string, json: unknown): ClientMetadataDocumentResult {
  const fail = (problem: string): ClientMetadataDocumentResult => ({ problem });
  const urlProblem = clientIdUrlProblem(clientId);
  if (urlProblem) return fail(urlProblem);
  if (typeof json !== "object" || json === null || Array.isArray(json)) return fail("the document is not a JSON object");
  const doc = json as Record<string, unknown>;

  if (doc.client_id === undefined) return fail("the document has no client_id");
  if (doc.client_id !== clientId) {
    // Quoted only when it is a URL: the reason is shown on this server's error page.
    const quoted = typeof doc.client_id === "string" && doc.client_id.length <= 200 && /^https?:\/\/[^\s]+$/.test(doc.client_id) && URL.canParse(doc.client_id) ? ` ${JSON.stringify(doc.client_id)}` : "";
    return fail(`the document's client_id${quoted} is not the URL it was fetched from (${clientId})`);
  }
  if (doc.client_secret !== undefined || doc.client_secret_expires_at !== undefined) {
    return fail("a metadata document must not contain client_secret or client_secret_expires_at");
  }
  const authProblem = authMethodProblem(doc.token_endpoint_auth_method);
  if (authProblem) return fail(authProblem);
  const keyProblem = privateKeyProblem(doc.jwks);
  if (keyProblem) return fail(keyProblem);

  if (doc.redirect_uris === undefined) return fail("the document has no redirect_uris");
  const redirectUris = stringList("redirect_uris", doc.redirect_uris);
  if (typeof redirectUris === "string") return fail(redirectUris);
  if (redirectUris.length === 0) return fail("redirect_uris is empty");
  if (redirectUris.length > MAX_REDIRECT_URIS) return fail(`redirect_uris lists more than ${MAX_REDIRECT_URIS} URIs`);
  if (new Set(redirectUris).size !== redirectUris.length) return fail("redirect_uris lists a URI twice");
  for (const uri of redirectUris) {
    const problem = redirectUriProblem(uri, "public");
    if (problem) return fail(`redirect_uris: ${uri}: ${problem}`);
  }

  let grantTypes: GrantType[] = ["authorization_code"]; // RFC 7591 §2 default
  if (doc.grant_types !== undefined) {
    const listed = stringList("grant_types", doc.grant_types);
    if (typeof listed === "string") return fail(listed);
    const unsupported = listed.filter((g) => !SUPPORTED_GRANT_TYPES.includes(g as GrantType));
    if (unsupported.length) {
      return fail(`grant_types ${unsupported.join(", ")} not supported for metadata-document clients (only authorization_code and refresh_token)`);
    }
    if (!listed.includes("authorization_code")) return fail("grant_types must include authorization_code");
    grantTypes = SUPPORTED_GRANT_TYPES.filter((g) => listed.includes(g));
  }
  if (doc.response_types !== undefined) {
    const listed = stringList("response_types", doc.response_types);
    if (typeof listed === "string") return fail(listed);
    if (listed.some((t) => t !== "code")) return fail("response_types may only contain code");
  }

  let scopes: string[] | null = null;
  if (doc.scope !== undefined) {
    if (typeof doc.scope !== "string") return fail("scope must be a space-separated string");
    const tokens = doc.scope.split(" ").filter((s) => s !== "");
    if (tokens.some((s) => !/^[\x21\x23-\x5b\x5d-\x7e]+$/.test(s))) return fail("scope contains characters a scope cannot have");
    scopes = [...new Set(tokens)];
  }

  let name = new URL(clientId).host;
  if (doc.client_name !== undefined) {
    if (typeof doc.client_name !== "string") return fail("client_name must be a string");
    const trimmed = doc.client_name.trim();
    if (trimmed.length > MAX_NAME_LENGTH) return fail(`client_name is longer than ${MAX_NAME_LENGTH} characters`);
    if (/[\u0000-\u001f\u007f]/.test(trimmed)) return fail("client_name contains control characters");
    if (trimmed !== "") name = trimmed;
  }

  for (const field of ["logo_uri", "client_uri", "policy_uri", "tos_uri"]) {
    const problem = httpsUrlProblem(field, doc[field]);
    if (problem) return fail(problem);
  }
  let contacts: string[] = [];
  if (doc.contacts !== undefined) {
    const listed = stringList("contacts", doc.contacts);
    if (typeof listed === "string") return fail(listed);
    if (listed.length > MAX_CONTACTS) return fail(`contacts lists more than ${MAX_CONTACTS} entries`);
    contacts = listed;
  }

  const optional = (value: unknown) => (typeof value === "string" ? value : null);
  return {
    document: {
      clientId,
      name,
      redirectUris,
      grantTypes,
      scopes,
      logoUri: optional(doc.logo_uri),
      clientUri: optional(doc.client_uri),
      policyUri: optional(doc.policy_uri),
      tosUri: optional(doc.tos_uri),
      contacts,
    },
  };
}

export const METADATA_MIN_LIFETIME_S = 5 * 60;
export const METADATA_MAX_LIFETIME_S = 24 * 3600;
export const METADATA_DEFAULT_LIFETIME_S = 3600;

export interface CachingHeaders {
  cacheControl: string | null;
  expires: string | null;
  date: string | null;
  age: string | null;
}

/**
 * How long a fetched document may be used before it is fetched again (draft §5.2, RFC 9111
 * §4.2.1): max-age less Age, else Expires less Date; no-store or no-cache count as zero.
 * Bounded to [5 minutes, 24 hours]; 1 hour when the response says nothing.
 */
export function metadataLifetimeSeconds(headers: CachingHeaders, now: Date): number {
  const bound = (s: number) => Math.min(METADATA_MAX_LIFETIME_S, Math.max(METADATA_MIN_LIFETIME_S, Math.floor(s)));
  const directives = new Map<string, string | null>();
  for (const part of (headers.cacheControl ?? "").split(",")) {
    const [rawName, ...rest] = part.split("=");
    const name = rawName!.trim().toLowerCase();
    if (name !== "") directives.set(name, rest.length ? rest.join("=").trim().replace(/^"(.*)"$/, "$1") : null);
  }
  if (directives.has("no-store") || directives.has("no-cache")) return bound(0);
  const age = Math.max(0, Number.parseInt(headers.age ?? "0", 10) || 0);
  const maxAge = directives.get("max-age");
  if (maxAge !== undefined && maxAge !== null && /^\d+$/.test(maxAge)) return bound(Number(maxAge) - age);
  if (headers.expires !== null) {
    const expires = Date.parse(headers.expires);
    if (Number.isNaN(expires)) return bound(0); // RFC 9111 §5.3: an invalid Expires is already stale
    const date = headers.date === null ? Number.NaN : Date.parse(headers.date);
    const origin = Number.isNaN(date) ? now.getTime() : date;
    return bound((expires - origin) / 1000 - age);
  }
  return METADATA_DEFAULT_LIFETIME_S;
}
