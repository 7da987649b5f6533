import { InvalidClient, InvalidRequest, OAuthError } from "./errors";

export interface OAuthRequest {
  method: string;
  url: URL;
  headers: { get(name: string): string | null };
  /** The form parameters of a POST with an application/x-www-form-urlencoded body, else null. */
  body: URLSearchParams | null;
  /** The caller's address as the server determined it (for sign-in lockouts), when known. */
  clientIp?: string;
}

export interface OAuthResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const FORM_TYPE = "application/x-www-form-urlencoded";

export function isFormContentType(contentType: string | null): boolean {
  if (contentType === null) return false;
  const semi = contentType.indexOf(";");
  const media = (semi === -1 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
  return media === FORM_TYPE;
}

export async function fromWebRequest(req: Request): Promise<OAuthRequest> {
  const url = new URL(req.url);
  let body: URLSearchParams | null = null;
  if (req.method === "POST" && isFormContentType(req.headers.get("content-type"))) {
    body = new URLSearchParams(await req.text());
  }
  return { method: req.method, url, headers: req.headers, body };
}

export function toWebResponse(res: OAuthResponse): Response {
  const noBody = res.body === "" || res.status === 204 || res.status === 304;
  return new Response(noBody ? null : res.body, { status: res.status, headers: res.headers });
}

const NO_STORE = { "Cache-Control": "no-store", Pragma: "no-cache" } as const;

export function json(
  status: number,
  obj: unknown,
  extraHeaders?: Record<string, string>,
): OAuthResponse {
  return {
    status,
    headers: { "Content-Type": "application/json", ...NO_STORE, ...extraHeaders },
    body: JSON.stringify(obj),
  };
}

export function publicJson(obj: unknown, maxAgeSeconds = 300): OAuthResponse {
  return {
    status: 200,
    headers: {
      "Content-Type": "application/json",
      "Cache-Control": `public, max-age=${maxAgeSeconds}`,
    },
    body: JSON.stringify(obj),
  };
}

export function emptyResponse(status = 200): OAuthResponse {
  return { status, headers: { ...NO_STORE }, body: "" };
}

/** RFC 6749 §5.2 error body; a failed Basic authentication answers 401 with a challenge. */
export function errorResponse(err: OAuthError, extraHeaders?: Record<string, string>): OAuthResponse {
  const headers: Record<string, string> = { ...extraHeaders };
  if (err.wwwAuthenticate !== undefined) headers["WWW-Authenticate"] = err.wwwAuthenticate;
  return json(err.status, { error: err.error, error_description: err.description }, headers);
}

/** The form parameters of a POST, or invalid_request for any other body (RFC 6749 §3.2). */
export function requireForm(req: OAuthRequest): URLSearchParams {
  if (req.body === null) {
    throw new InvalidRequest("The body must be application/x-www-form-urlencoded");
  }
  return req.body;
}

export function methodNotAllowed(allow: string[]): OAuthResponse {
  return json(
    405,
    { error: "invalid_request", error_description: `Use ${allow.join(" or ")}` },
    { Allow: allow.join(", ") },
  );
}

/**
 * The named parameters of a request, each at most once (RFC 6749 §3.1, §3.2).
 * Empty values count as absent (RFC 6749 §3.1); other parameters are ignored.
 */
export function pickParams(
  params: URLSearchParams,
  names: readonly string[],
): Partial<Record<string, string>> {
  const picked: Partial<Record<string, string>> = {};
  for (const name of names) {
    const values = params.getAll(name);
    if (values.length > 1) throw new InvalidRequest(`Parameter ${name} is repeated`);
    const value = values[0];
    if (value !== undefined && value !== "") picked[name] = value;
  }
  return picked;
}

export interface BasicCredentials {
  clientId: string;
  clientSecret: string;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

function formDecode(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, " "));
}

// Canonical base64 (padded, no whitespace), which Buffer decodes exactly as atob does;
// anything else goes through atob, whose forgiving decoding rejects what is not base64.
const PADDED_BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function base64Bytes(encoded: string): Uint8Array {
  if (encoded.length % 4 === 0 && PADDED_BASE64.test(encoded)) return Buffer.from(encoded, "base64");
  const binary = atob(encoded);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function malformedBasic(debug: string, realm: string | undefined): InvalidClient {
  return new InvalidClient("Malformed Basic credentials", {
    debug,
    wwwAuthenticate: realm === undefined ? undefined : `Basic realm="${realm}"`,
  });
}

/**
 * `Authorization: Basic` client credentials. Returns null for any other scheme.
 * Both parts are form-encoded before base64 (RFC 6749 §2.3.1, Appendix B).
 */
export function parseBasicAuth(header: string | null, realm?: string): BasicCredentials | null {
  if (header === null) return null;
  const space = header.indexOf(" ");
  if (space === -1 || header.slice(0, space).toLowerCase() !== "basic") return null;
  let decoded: string;
  try {
    decoded = utf8.decode(base64Bytes(header.slice(space + 1).trim()));
  } catch {
    throw malformedBasic("base64 or UTF-8 decoding failed", realm);
  }
  const colon = decoded.indexOf(":");
  if (colon === -1) throw malformedBasic("no colon in credentials", realm);
  let clientId: string;
  let clientSecret: string;
  try {
    clientId = formDecode(decoded.slice(0, colon));
    clientSecret = formDecode(decoded.slice(colon + 1));
  } catch {
    throw malformedBasic("percent-decoding failed", realm);
  }
  if (clientId === "") throw malformedBasic("empty client_id", realm);
  return { clientId, clientSecret };
}
