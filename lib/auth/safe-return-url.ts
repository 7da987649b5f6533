// The one check for where the browser may be sent after sign-in, sign-up or any other
// internal redirect (RFC 9700 §4.11: no open redirectors). No framework imports, so unit
// tests and next-auth's redirect callback share it.

export const MAX_RETURN_URL_LENGTH = 2048;

/** Any origin works for resolving a relative path; only "did the origin change" matters. */
const PLACEHOLDER_ORIGIN = "http://return-url.invalid";
const MAX_DECODE_ROUNDS = 4;

export interface SafeReturnUrlOptions {
  /** Where to go when the value is refused. */
  fallback?: string;
  /** Our own origin (the issuer's): absolute URLs on it are turned into their path. */
  origin?: string;
}

// C0 controls, DEL and backslashes: browsers drop tabs and newlines and read "\" as "/",
// which turns "/\t/evil.test" or "/\\evil.test" into "//evil.test" (WHATWG URL §4.4).
const FORBIDDEN = /[\u0000-\u001f\u007f\\]/;

function decodePercentBytes(value: string): string {
  return value.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** A path that stays on the origin however many times some layer percent-decodes it. */
function isSafeRelativePath(value: string): boolean {
  let current = value;
  for (let round = 0; round <= MAX_DECODE_ROUNDS; round++) {
    if (FORBIDDEN.test(current)) return false;
    if (!current.startsWith("/") || current.startsWith("//")) return false;
    const decoded = decodePercentBytes(current);
    if (decoded === current) return true;
    current = decoded;
  }
  return false;
}

function originOf(value: string): string | null {
  try {
    return new URL(value).origin;
  } catch {
    return null;
  }
}

/** The path, query and fragment when `value` is an absolute URL on `origin`, else null. */
function sameOriginPath(value: string, origin: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.username !== "" || url.password !== "" || url.origin !== origin) return null;
  return `${url.pathname}${url.search}${url.hash}`;
}

/**
 * `value` as a same-origin path ("/apps?x=1#y"), or the fallback. Only a path that starts
 * with a single "/", has no control characters or backslashes (raw or percent-encoded),
 * and resolves to the same origin is kept; an absolute URL on `origin` becomes its path.
 */
export function safeReturnUrl(value: string | null | undefined, options: SafeReturnUrlOptions = {}): string {
  const fallback = options.fallback ?? "/";
  if (typeof value !== "string" || value === "" || value.length > MAX_RETURN_URL_LENGTH) return fallback;
  if (FORBIDDEN.test(value)) return fallback;
  let path = value;
  if (!value.startsWith("/")) {
    const origin = options.origin === undefined ? null : originOf(options.origin);
    const own = origin === null ? null : sameOriginPath(value, origin);
    if (own === null) return fallback;
    path = own;
  }
  if (!isSafeRelativePath(path)) return fallback;
  let resolved: URL;
  try {
    resolved = new URL(path, PLACEHOLDER_ORIGIN);
  } catch {
    return fallback;
  }
  if (resolved.origin !== PLACEHOLDER_ORIGIN) return fallback;
  const serialized = `${resolved.pathname}${resolved.search}${resolved.hash}`;
  return isSafeRelativePath(serialized) ? serialized : fallback;
}

/**
 * next-auth v4's `callbacks.redirect`: it must answer an absolute URL, which its client
 * reads with `new URL()`. Anything off our origin becomes the home page.
 */
export function nextAuthRedirect({ url, baseUrl }: { url: string; baseUrl: string }): string {
  const origin = originOf(baseUrl) ?? baseUrl;
  return `${origin}${safeReturnUrl(url, { origin, fallback: "/" })}`;
}
