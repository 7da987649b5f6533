// Redirect URI registration rules (RFC 6749 §3.1.2, RFC 8252, RFC 9700 §4.1).
export type ClientKind = "confidential" | "public";

export const MAX_REDIRECT_URIS = 10;
const LOOPBACK_HOSTS = new Set(["127.0.0.1", "[::1]", "localhost"]);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname);
}

/** The reason a redirect URI cannot be registered, or null when it is fine. */
export function redirectUriProblem(raw: string, clientType: ClientKind): string | null {
  const uri = raw.trim();
  if (!uri) return "Enter a redirect URI.";
  if (uri.includes("*")) return "Wildcards are not allowed: register each URI exactly.";
  if (uri.includes("#")) return "A redirect URI must not contain a fragment (#…).";
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return "Must be an absolute URI, such as https://example.com/callback.";
  }
  const scheme = url.protocol.slice(0, -1);
  if (scheme === "https") return url.hostname ? null : "An https URI needs a host.";
  if (scheme === "http") {
    return isLoopbackHost(url.hostname)
      ? null
      : "Plain http is only allowed for loopback addresses (127.0.0.1, [::1], localhost); use https.";
  }
  if (["javascript", "data", "file", "vbscript", "blob", "about", "ftp", "ws", "wss"].includes(scheme)) {
    return `The ${scheme}: scheme cannot be used for redirects.`;
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
