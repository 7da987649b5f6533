// Security headers. Every response: nosniff (and HSTS when the issuer is https).
// HTML pages: a Content-Security-Policy whose scripts need the request's nonce (Next
// reads it from the request's own CSP header and puts it on every script it renders),
// no framing anywhere (clickjacking on consent, "rotate secret", "revoke": RFC 9700
// §4.16), and no Referer leaking a page's query to other sites (same-origin: a form
// POST keeps its Origin header, which "no-referrer" would turn into "null").
import { randomBytes } from "node:crypto";

const HSTS = "max-age=31536000; includeSubDomains";

export function baseHeaders(https: boolean): Record<string, string> {
  return https ? { "X-Content-Type-Options": "nosniff", "Strict-Transport-Security": HSTS } : { "X-Content-Type-Options": "nosniff" };
}

export function newNonce(): string {
  return randomBytes(16).toString("base64");
}

/**
 * No `form-action`: the consent form's answer is a redirect to the app's own
 * redirect URI, which browsers check against form-action too.
 */
export function contentSecurityPolicy(nonce: string, dev: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: https:",
    "font-src 'self'",
    `connect-src 'self'${dev ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** Uploaded logos: an image and nothing else, sandboxed when opened as a page. */
export const LOGO_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox";

export function pageHeaders(csp: string): Record<string, string> {
  return {
    "Content-Security-Policy": csp,
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
  };
}
