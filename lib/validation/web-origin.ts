// Registration rules for an app's allowed web origins: the browser origins that may call
// the token and revocation endpoints (CORS). The Origin header is compared as an exact
// string (RFC 6454 §6.1 serialization), so only that form is accepted: anything else is
// refused with a message naming the origin to register instead.
import { isLoopbackHost } from "./redirect-uri";

export const MAX_WEB_ORIGINS = 10;

/** The origin `raw` stands for, when it parses as an http(s) URL; for messages only. */
function parseHttpUrl(raw: string): URL | null {
  try {
    const url = new URL(raw);
    return url.protocol === "https:" || url.protocol === "http:" ? url : null;
  } catch {
    return null;
  }
}

/** Why `origin` differs from `url.origin` (already known to differ). */
function canonicalFormProblem(origin: string, url: URL): string {
  const canonical = url.origin;
  const scheme = origin.slice(0, origin.indexOf(":"));
  if (scheme !== scheme.toLowerCase()) return `Write the scheme in lowercase: register ${canonical}`;
  const authority = /^[^:/?#]+:\/\/([^/?#]*)$/.exec(origin)?.[1];
  if (authority !== undefined) {
    const match = /^(\[[^\]]*\]|[^:]*)(?::(.*))?$/.exec(authority);
    const host = match?.[1] ?? authority;
    const port = match?.[2];
    if (host !== url.hostname) {
      if (host.toLowerCase() === url.hostname) return `Write the host in lowercase: register ${canonical}`;
      return `The host "${host}" is read as ${url.hostname}; register ${canonical}`;
    }
    if (port !== undefined && port !== url.port) {
      return url.port === "" ? `Leave out the default port: register ${canonical}` : `Write the port as ${url.port}: register ${canonical}`;
    }
  }
  return `Not in canonical form: register ${canonical}`;
}

/** The reason `raw` cannot be registered as a web origin, or null when it can. */
export function webOriginProblem(raw: string): string | null {
  const origin = raw.trim();
  if (!origin) return "Enter an origin.";
  if (/[\s\u0000-\u001f\u007f]/.test(origin)) return "An origin must not contain spaces or control characters.";
  if (origin.includes("*")) return "Wildcards are not allowed: register each origin exactly.";
  const url = parseHttpUrl(origin);
  if (url === null) return "Must be an https origin, such as https://app.example.com.";
  if (url.username !== "" || url.password !== "" || /^[^:/?#]+:\/\/[^/?#]*@/.test(origin)) {
    return `An origin has no user name or password (…@): register ${url.origin}`;
  }
  const rest = /^[^:/?#]+:\/\/[^/?#]*(.*)$/.exec(origin)?.[1] ?? "";
  if (rest === "/") return `Leave out the trailing slash: register ${url.origin}`;
  if (rest !== "") return `An origin has no path, query or fragment: register ${url.origin}`;
  if (url.protocol === "http:" && !isLoopbackHost(url.hostname)) {
    return "Plain http is only allowed for loopback hosts (127.0.0.1, [::1], localhost); use https.";
  }
  return origin === url.origin ? null : canonicalFormProblem(origin, url);
}

/** Per-origin messages for a list, plus list-level problems (count). */
export function webOriginListProblems(origins: string[]): { perOrigin: (string | null)[]; list: string | null } {
  const perOrigin = origins.map(webOriginProblem);
  const list = origins.length > MAX_WEB_ORIGINS ? `At most ${MAX_WEB_ORIGINS} web origins.` : null;
  const seen = new Set<string>();
  origins.forEach((o, i) => {
    const key = o.trim();
    if (seen.has(key) && perOrigin[i] === null) perOrigin[i] = "This origin is listed twice.";
    seen.add(key);
  });
  return { perOrigin, list };
}
