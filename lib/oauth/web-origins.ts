// Which browser origins may call the token and revocation endpoints for a client (CORS).
// An app lists its web origins; without a list, the origins of its https redirect URIs.
// A loopback origin matches that loopback host on any port, as loopback redirect URIs
// do (RFC 8252 §7.3): a single-page app in development moves between ports.
import { isLoopbackRedirectUri, LOOPBACK_HOSTS } from "./redirect-uri";

/** The origin a redirect URI implies, or null (custom schemes imply none). */
export function originOfRedirectUri(uri: string): string | null {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return null;
  }
  if (url.protocol === "https:") return url.origin;
  if (isLoopbackRedirectUri(uri)) return `http://${url.hostname}`;
  return null;
}

/** The origins a client allows: its registered list, else those of its redirect URIs. */
export function allowedWebOrigins(client: { webOrigins?: readonly string[]; redirectUris: readonly string[] }): string[] {
  if (client.webOrigins !== undefined && client.webOrigins.length > 0) return [...client.webOrigins];
  const origins = client.redirectUris.map(originOfRedirectUri).filter((o): o is string => o !== null);
  return [...new Set(origins)];
}

export function isOriginAllowed(allowed: readonly string[], origin: string): boolean {
  if (allowed.includes(origin)) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== "http:" || !LOOPBACK_HOSTS.has(url.hostname) || url.origin !== origin) return false;
  return allowed.includes(`http://${url.hostname}`);
}
