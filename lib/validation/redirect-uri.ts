// Redirect URI registration rules (RFC 6749 §3.1.2, RFC 8252, RFC 9700 §4.1).
// Redirect URIs are compared as exact strings at authorization time (RFC 9700 §2.1), so
// only the canonical form (the WHATWG URL serialization) is accepted: anything the parser
// would rewrite is refused with a message naming the form to register instead.
export type ClientKind = "confidential" | "public";

export const MAX_REDIRECT_URIS = 10;
const LOOPBACK_HOSTS = new Set(["127.0.0.1", "[::1]", "localhost"]);
const BLOCKED_SCHEMES = ["javascript", "data", "file", "vbscript", "blob", "about", "ftp", "ws", "wss"];

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname);
}

function parseUrl(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}

/**
 * The canonical form of a redirect URI: its WHATWG URL serialization, without surrounding
 * whitespace. Only URIs already in this form are accepted, so it is exactly what is stored;
 * for a refused URI it is the form to register instead.
 */
export function canonicalRedirectUri(raw: string): string {
  const uri = raw.trim();
  return parseUrl(uri)?.href ?? uri;
}

/** The host (and port) exactly as typed: between "//" and the next "/", "?" or "#". */
function rawAuthority(uri: string): string | null {
  const match = /^[^:/?#]+:\/\/([^/?#]*)/.exec(uri);
  if (!match) return null;
  const authority = match[1]!;
  return authority.slice(authority.lastIndexOf("@") + 1);
}

function splitHostPort(authority: string): { host: string; port: string | null } {
  const match = /^(\[[^\]]*\]|[^:]*)(?::(.*))?$/.exec(authority);
  return { host: match?.[1] ?? authority, port: match?.[2] ?? null };
}

/** Why `uri` (which parses to `url`) is not in canonical form, or null when it is. */
function canonicalFormProblem(uri: string, url: URL): string | null {
  if (uri === url.href) return null;
  const canonical = url.href;
  const rawScheme = uri.slice(0, uri.indexOf(":"));
  if (rawScheme !== rawScheme.toLowerCase()) {
    return `Write the scheme in lowercase: register ${canonical}`;
  }
  const authority = rawAuthority(uri);
  if (authority !== null && url.host !== "") {
    const { host, port } = splitHostPort(authority);
    if (host !== url.hostname) {
      if (host.toLowerCase() === url.hostname) return `Write the host in lowercase: register ${canonical}`;
      return `The host "${host}" is read as ${url.hostname}; register ${canonical}`;
    }
    if (port !== null && (port === "" || port !== url.port)) {
      return url.port === ""
        ? `Leave out the default port: register ${canonical}`
        : `Write the port as ${url.port}: register ${canonical}`;
    }
  }
  return `Not in canonical form: register ${canonical}`;
}

/** A "." or ".." path segment, also percent-encoded (%2e), which URL parsers resolve away. */
function hasDotSegment(uri: string): boolean {
  const path = uri.replace(/^[^:/?#]+:(\/\/[^/?#]*)?/, "").split(/[?#]/)[0] ?? "";
  return path.split("/").some((segment) => /^(?:\.|%2e){1,2}$/i.test(segment));
}

/** The reason a redirect URI cannot be registered, or null when it is fine. */
export function redirectUriProblem(raw: string, clientType: ClientKind): string | null {
  const uri = raw.trim();
  if (!uri) return "Enter a redirect URI.";
  if (/[\u0000-\u001f\u007f]/.test(uri)) return "A redirect URI must not contain control characters (tabs, line breaks).";
  if (/%(?:[01][0-9a-f]|7f)/i.test(uri)) return "A redirect URI must not contain encoded control characters (%00–%1F, %7F).";
  if (/\s/.test(uri)) return "A redirect URI must not contain spaces.";
  if (uri.includes("\\")) return "A redirect URI must not contain backslashes.";
  if (uri.includes("*")) return "Wildcards are not allowed: register each URI exactly.";
  if (uri.includes("#")) return "A redirect URI must not contain a fragment (#…).";
  const url = parseUrl(uri);
  if (url === null) return "Must be an absolute URI, such as https://example.com/callback.";
  const scheme = url.protocol.slice(0, -1);
  if (BLOCKED_SCHEMES.includes(scheme)) return `The ${scheme}: scheme cannot be used for redirects.`;
  // RFC 9700 §4.1.1: userinfo makes "https://app.example@evil.test/" look like another host.
  if (url.username !== "" || url.password !== "" || /^[^:/?#]+:\/\/[^/?#]*@/.test(uri)) {
    return "A redirect URI must not contain a user name or password (…@).";
  }
  if (hasDotSegment(uri)) return "A redirect URI must not contain . or .. path segments.";
  const notCanonical = canonicalFormProblem(uri, url);
  if (notCanonical) return notCanonical;

  if (scheme === "https") return url.hostname ? null : "An https URI needs a host.";
  if (scheme === "http") {
    return isLoopbackHost(url.hostname)
      ? null
      : "Plain http is only allowed for loopback addresses (127.0.0.1, [::1], localhost); use https.";
  }
  // RFC 8252 §7.1: private-use schemes in reverse-domain form, for native apps only.
  if (clientType !== "public") {
    return "Custom schemes (like com.example.app:/callback) are only allowed for public clients.";
  }
  if (!scheme.includes(".")) {
    return "A private-use scheme must be a reverse domain name you control, like com.example.app.";
  }
  return null;
}

/** Per-URI messages for a list, plus list-level problems (count, duplicates). */
export function redirectUriListProblems(
  uris: string[],
  clientType: ClientKind,
): { perUri: (string | null)[]; list: string | null } {
  const perUri = uris.map((u) => redirectUriProblem(u, clientType));
  let list: string | null = null;
  if (uris.length > MAX_REDIRECT_URIS) list = `At most ${MAX_REDIRECT_URIS} redirect URIs.`;
  const seen = new Set<string>();
  uris.forEach((u, i) => {
    const key = u.trim();
    if (seen.has(key) && perUri[i] === null) perUri[i] = "This URI is listed twice.";
    seen.add(key);
  });
  return { perUri, list };
}
