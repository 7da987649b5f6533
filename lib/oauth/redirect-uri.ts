export const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(["127.0.0.1", "[::1]", "localhost"]);

/**
 * A loopback http URI exactly as written, split around its port: "http://127.0.0.1:8080/cb?x"
 * gives host "127.0.0.1" and rest "/cb?x". Only the canonical host text counts, so
 * "http://127.1/" or "http://0x7f.1/" (which URL parsers turn into 127.0.0.1) do not.
 */
const LOOPBACK_URI = /^http:\/\/(127\.0\.0\.1|\[::1\]|localhost)(?::([1-9][0-9]{0,4}))?([/?].*)?$/s;

function parseUrl(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}

/** Characters a redirect URI never has: controls, spaces, backslashes, fragments. */
function hasForbiddenCharacters(value: string): boolean {
  return /[\u0000-\u0020\u007f\\#]/.test(value);
}

/** A loopback http URI without its port, when `value` is one written canonically apart from the port. */
function loopbackWithoutPort(value: string): string | null {
  if (hasForbiddenCharacters(value)) return null;
  const match = LOOPBACK_URI.exec(value);
  if (!match) return null;
  const url = parseUrl(value);
  if (url === null) return null;
  const withoutPort = `http://${match[1]}${match[3] ?? ""}`;
  url.port = "";
  // The raw text may differ from the parsed serialization only in the port.
  return url.href === withoutPort ? withoutPort : null;
}

/** True when `value` is what the WHATWG URL parser would serialize it as, with no userinfo. */
function isCanonicalUri(value: string): boolean {
  if (hasForbiddenCharacters(value)) return false;
  const url = parseUrl(value);
  return url !== null && url.href === value && url.username === "" && url.password === "";
}

export function isLoopbackRedirectUri(value: string): boolean {
  const url = parseUrl(value);
  return url !== null && url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname);
}

/**
 * Exact string comparison (RFC 9700 §2.1, RFC 6749 §3.1.2.3), except that a loopback http
 * URI may use any port (RFC 8252 §7.3; RFC 9700 §2.1 extends this to localhost, which the
 * portal's playground relies on). The requested URI's raw text is compared, never a parsed
 * form: it must already be canonical, with no userinfo and no fragment.
 */
export function matchesRegisteredRedirectUri(registered: readonly string[], requested: string): boolean {
  if (isCanonicalUri(requested) && registered.includes(requested)) return true;
  const loopback = loopbackWithoutPort(requested);
  if (loopback === null) return false;
  return registered.some((candidate) => loopbackWithoutPort(candidate) === loopback);
}

/**
 * The client's redirect_uri with response parameters added to the query (keeping its own)
 * or the fragment, form-encoded (RFC 6749 §4.1.2, Appendix B).
 */
export function buildRedirectUrl(
  redirectUri: string,
  mode: "query" | "fragment",
  params: Record<string, string | undefined>,
): string {
  const encoded = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) encoded.append(name, value);
  }
  if (mode === "fragment") return `${redirectUri}#${encoded.toString()}`;
  const separator = redirectUri.includes("?") ? (redirectUri.endsWith("?") || redirectUri.endsWith("&") ? "" : "&") : "?";
  return `${redirectUri}${separator}${encoded.toString()}`;
}
