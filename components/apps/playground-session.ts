// Browser-side state of one playground run, kept in sessionStorage between the
// authorization request and the callback page.
import { isLoopbackHost } from "@/lib/validation/redirect-uri";

const KEY = "latchkey.playground";
export const PLAYGROUND_CALLBACK_PATH = "/playground/callback";

export interface PlaygroundSession {
  clientId: string;
  clientType: "confidential" | "public";
  appName: string;
  redirectUri: string;
  state: string;
  nonce: string | null;
  codeVerifier: string | null;
  scope: string;
  authorizationUrl: string;
}

export function savePlaygroundSession(session: PlaygroundSession) {
  sessionStorage.setItem(KEY, JSON.stringify(session));
}

export function loadPlaygroundSession(): PlaygroundSession | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as PlaygroundSession) : null;
  } catch {
    return null;
  }
}

export function clearPlaygroundSession() {
  sessionStorage.removeItem(KEY);
}

/** What to register so the playground works here: loopback URIs match any port, so drop it. */
export function registrableCallback(origin: string): string {
  const url = new URL(PLAYGROUND_CALLBACK_PATH, origin);
  if (url.protocol === "http:" && isLoopbackHost(url.hostname)) url.port = "";
  return url.toString();
}

function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function randomValue(bytes = 32): string {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** RFC 7636 §4.2, S256. */
export async function codeChallengeFor(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

function decodeSegment(segment: string): unknown {
  const b64 = segment.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(segment.length / 4) * 4, "=");
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}

/** Header and payload of a JWS compact token, decoded but not verified. */
export function decodeJwt(token: string): { header: Record<string, unknown>; payload: Record<string, unknown> } | null {
  const [header, payload] = token.split(".");
  if (!header || !payload) return null;
  try {
    return { header: decodeSegment(header) as Record<string, unknown>, payload: decodeSegment(payload) as Record<string, unknown> };
  } catch {
    return null;
  }
}
