const LOOPBACK_HOSTS = new Set(["127.0.0.1", "[::1]", "localhost"]);

function parseUrl(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}

export function isLoopbackRedirectUri(value: string): boolean {
  const url = parseUrl(value);
  return url !== null && url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname);
}

/**
 * Exact string comparison, except that loopback http URIs match on any port
 * (RFC 8252 §7.3).
 */
export function matchesRegisteredRedirectUri(registered: readonly string[], requested: string): boolean {
  if (registered.includes(requested)) return true;
  const url = parseUrl(requested);
  if (url === null || url.protocol !== "http:" || !LOOPBACK_HOSTS.has(url.hostname)) return false;
  if (url.hash !== "" || url.username !== "" || url.password !== "") return false;
  url.port = "";
  return registered.some((candidate) => {
    const reg = parseUrl(candidate);
    if (reg === null || reg.protocol !== "http:" || reg.hostname !== url.hostname) return false;
    reg.port = "";
    return reg.href === url.href;
  });
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
