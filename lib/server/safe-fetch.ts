// GET of a small JSON document from a URL someone else chose (a client ID metadata document),
// without server-side request forgery: https only, every address the name resolves to must be
// public (RFC 6890 special-purpose addresses are refused), the connection goes to exactly the
// address that was checked (so DNS rebinding cannot switch it), redirects are followed by hand
// and checked the same way, and time and size are bounded.
import { promises as dns } from "node:dns";
import http from "node:http";
import https from "node:https";
import type { IncomingMessage } from "node:http";
import { BlockList, isIP, type LookupFunction } from "node:net";

export const SAFE_FETCH_TIMEOUT_MS = 5_000;
/** The metadata document draft recommends reading at most 5 kilobytes. */
export const SAFE_FETCH_MAX_BYTES = 5 * 1024;
export const SAFE_FETCH_MAX_REDIRECTS = 3;

export type SafeFetchRefusal =
  | "invalid_url"
  | "not_https"
  | "dns"
  | "forbidden_address"
  | "redirect"
  | "too_many_redirects"
  | "http_status"
  | "content_type"
  | "too_large"
  | "invalid_json"
  | "timeout"
  | "network";

export class SafeFetchError extends Error {
  constructor(
    readonly refusal: SafeFetchRefusal,
    message: string,
  ) {
    super(message);
    this.name = "SafeFetchError";
  }
}

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

export interface SafeFetchOptions {
  /** Development only: also allow loopback addresses (127.0.0.0/8, ::1), never other special ones. */
  allowLoopback?: boolean;
  /** Redirects followed (each target checked like the first URL); 0: a redirect is refused. */
  maxRedirects?: number;
  maxBytes?: number;
  /** For the whole fetch, redirects included. */
  timeoutMs?: number;
  /** Name resolution; defaults to the system resolver (dns.lookup, every address). */
  resolve?: (hostname: string) => Promise<ResolvedAddress[]>;
  /** For tests: the certificate authorities to trust instead of the default ones (PEM). */
  ca?: string | Buffer;
}

export interface SafeFetchResult {
  /** The URL the document came from (differs from the one asked for after redirects). */
  url: string;
  json: unknown;
  /** Caching headers of the response (RFC 9111), raw. */
  cacheControl: string | null;
  expires: string | null;
  date: string | null;
  age: string | null;
}

type AddressKind =
  | "an unspecified"
  | "a loopback"
  | "a private"
  | "a carrier-grade NAT"
  | "a link-local"
  | "a multicast"
  | "a broadcast"
  | "a documentation"
  | "a reserved";

// RFC 6890 and the IANA special-purpose registries, by the words a refusal uses.
const RANGES: [AddressKind, "ipv4" | "ipv6", string, number][] = [
  ["an unspecified", "ipv4", "0.0.0.0", 8],
  ["a loopback", "ipv4", "127.0.0.0", 8],
  ["a private", "ipv4", "10.0.0.0", 8],
  ["a private", "ipv4", "172.16.0.0", 12],
  ["a private", "ipv4", "192.168.0.0", 16],
  ["a carrier-grade NAT", "ipv4", "100.64.0.0", 10],
  ["a link-local", "ipv4", "169.254.0.0", 16],
  ["a reserved", "ipv4", "192.0.0.0", 24],
  ["a documentation", "ipv4", "192.0.2.0", 24],
  ["a reserved", "ipv4", "192.88.99.0", 24],
  ["a reserved", "ipv4", "198.18.0.0", 15],
  ["a documentation", "ipv4", "198.51.100.0", 24],
  ["a documentation", "ipv4", "203.0.113.0", 24],
  ["a multicast", "ipv4", "224.0.0.0", 4],
  ["a reserved", "ipv4", "240.0.0.0", 4],
  ["an unspecified", "ipv6", "::", 128],
  ["a loopback", "ipv6", "::1", 128],
  ["a reserved", "ipv6", "::", 96], // IPv4-compatible (deprecated)
  ["a reserved", "ipv6", "64:ff9b::", 96], // NAT64
  ["a reserved", "ipv6", "64:ff9b:1::", 48],
  ["a reserved", "ipv6", "100::", 64], // discard
  ["a reserved", "ipv6", "2001::", 23], // IETF protocol assignments, Teredo
  ["a documentation", "ipv6", "2001:db8::", 32],
  ["a reserved", "ipv6", "2002::", 16], // 6to4
  ["a documentation", "ipv6", "3fff::", 20],
  ["a private", "ipv6", "fc00::", 7],
  ["a link-local", "ipv6", "fe80::", 10],
  ["a reserved", "ipv6", "fec0::", 10], // site-local (deprecated)
  ["a multicast", "ipv6", "ff00::", 8],
];

const blockLists = new Map<AddressKind, BlockList>();
for (const [kind, type, network, prefix] of RANGES) {
  let list = blockLists.get(kind);
  if (!list) blockLists.set(kind, (list = new BlockList()));
  list.addSubnet(network, prefix, type);
}
const globalUnicastV6 = new BlockList();
globalUnicastV6.addSubnet("2000::", 3, "ipv6");

/** An IPv4-mapped IPv6 address (::ffff:a.b.c.d) as the IPv4 address it stands for. */
function unmapped(address: string): string {
  const match = /^::ffff:(?:0+:)?(.+)$/i.exec(address);
  if (!match) return address;
  const rest = match[1]!;
  if (isIP(rest) === 4) return rest;
  const hex = /^([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(rest);
  if (!hex) return address;
  const high = parseInt(hex[1]!, 16);
  const low = parseInt(hex[2]!, 16);
  return [high >> 8, high & 255, low >> 8, low & 255].join(".");
}

/** What kind of special-purpose address `address` is, or null for a public one. */
export function specialAddressKind(address: string): AddressKind | null {
  const ip = unmapped(address);
  const family = isIP(ip);
  if (family === 0) return "a reserved";
  if (family === 4 && ip === "255.255.255.255") return "a broadcast";
  const type = family === 4 ? "ipv4" : "ipv6";
  for (const [kind, list] of blockLists) if (list.check(ip, type)) return kind;
  // Outside 2000::/3 no IPv6 address is global unicast.
  if (family === 6 && !globalUnicastV6.check(ip, "ipv6")) return "a reserved";
  return null;
}

async function systemResolve(hostname: string): Promise<ResolvedAddress[]> {
  const addresses = await dns.lookup(hostname, { all: true, verbatim: true });
  return addresses.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
}

function parseHttpsUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new SafeFetchError("invalid_url", `${raw} is not a valid URL`);
  }
  if (url.protocol !== "https:") throw new SafeFetchError("not_https", `${url.href} is not an https URL`);
  if (url.username !== "" || url.password !== "") {
    throw new SafeFetchError("invalid_url", `${url.href} must not contain a user name or password`);
  }
  return url;
}

/** The one address the connection to `url` will use, after checking every address of its host. */
async function vetHost(url: URL, options: Required<Pick<SafeFetchOptions, "allowLoopback">> & SafeFetchOptions): Promise<ResolvedAddress> {
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  let addresses: ResolvedAddress[];
  const literal = isIP(host);
  if (literal !== 0) {
    addresses = [{ address: host, family: literal === 6 ? 6 : 4 }];
  } else {
    try {
      addresses = await (options.resolve ?? systemResolve)(host);
    } catch (err) {
      const code = (err as { code?: string }).code;
      throw new SafeFetchError("dns", `${host} could not be resolved${code ? ` (${code})` : ""}`);
    }
    if (addresses.length === 0) throw new SafeFetchError("dns", `${host} could not be resolved`);
  }
  for (const { address } of addresses) {
    const kind = specialAddressKind(address);
    if (kind === null) continue;
    if (kind === "a loopback" && options.allowLoopback) continue;
    const shown = unmapped(address);
    // For a name, the address it resolved to stays out of the message: the message reaches
    // whoever chose the name, and the server's view of internal DNS is not theirs to read.
    const message =
      literal === 0
        ? `${host} resolves to ${kind} address`
        : `${url.host} is ${kind} address${shown === host ? "" : ` (${shown})`}`;
    throw new SafeFetchError("forbidden_address", message);
  }
  const first = addresses[0]!;
  const address = unmapped(first.address);
  return { address, family: isIP(address) === 4 ? 4 : 6 };
}

/** A lookup for `https.request` that answers with the vetted address and nothing else. */
function pinnedLookup(pinned: ResolvedAddress): LookupFunction {
  return ((_hostname: string, opts: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (opts?.all) callback(null, [{ address: pinned.address, family: pinned.family }]);
    else callback(null, pinned.address, pinned.family);
  }) as unknown as LookupFunction;
}

const JSON_TYPE = /^application\/(?:[a-z0-9!#$&^_.+-]+\+)?json$/;

interface Hop {
  status: number;
  location: string | null;
  response: IncomingMessage;
}

function request(url: URL, pinned: ResolvedAddress, signal: AbortSignal, ca: SafeFetchOptions["ca"]): Promise<Hop> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        protocol: "https:",
        hostname: url.hostname.replace(/^\[(.*)\]$/, "$1"),
        port: url.port === "" ? 443 : Number(url.port),
        path: `${url.pathname}${url.search}`,
        method: "GET",
        headers: { accept: "application/json", "accept-encoding": "identity", "user-agent": "Latchkey" },
        lookup: pinnedLookup(pinned),
        agent: false,
        signal,
        ...(ca !== undefined ? { ca } : {}),
      },
      (response) => resolve({ status: response.statusCode ?? 0, location: response.headers.location ?? null, response }),
    );
    req.on("error", reject);
    req.end();
  });
}

function readBody(response: IncomingMessage, maxBytes: number, url: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const tooLarge = () => {
      reject(new SafeFetchError("too_large", `${url} is larger than ${maxBytes} bytes`));
      response.destroy();
    };
    const declared = Number(response.headers["content-length"]);
    if (Number.isFinite(declared) && declared > maxBytes) return tooLarge();
    const chunks: Buffer[] = [];
    let size = 0;
    response.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) return tooLarge();
      chunks.push(chunk);
    });
    response.on("end", () => resolve(Buffer.concat(chunks)));
    response.on("error", reject);
    response.on("aborted", () => reject(new SafeFetchError("network", `${url}: the connection closed early`)));
  });
}

async function fetchHops(start: string, options: SafeFetchOptions, signal: AbortSignal): Promise<SafeFetchResult> {
  const settings = { ...options, allowLoopback: options.allowLoopback ?? false };
  const maxRedirects = options.maxRedirects ?? SAFE_FETCH_MAX_REDIRECTS;
  const maxBytes = options.maxBytes ?? SAFE_FETCH_MAX_BYTES;
  let url = parseHttpsUrl(start);
  let redirectedFrom: string | null = null;
  for (let redirects = 0; ; redirects++) {
    let pinned: ResolvedAddress;
    try {
      pinned = await vetHost(url, settings);
    } catch (err) {
      if (err instanceof SafeFetchError && redirectedFrom !== null) {
        throw new SafeFetchError(err.refusal, `${redirectedFrom} redirected to ${url.href}, which is refused: ${err.message}`);
      }
      throw err;
    }
    signal.throwIfAborted();
    const hop = await request(url, pinned, signal, options.ca);
    const { status, response } = hop;
    if (status >= 300 && status < 400 && status !== 304) {
      response.destroy();
      if (hop.location === null) throw new SafeFetchError("http_status", `${url.href} answered ${status} without a Location`);
      let target: string;
      try {
        target = new URL(hop.location, url).href;
      } catch {
        throw new SafeFetchError("redirect", `${url.href} redirected to an invalid URL`);
      }
      if (maxRedirects === 0) {
        throw new SafeFetchError("redirect", `${url.href} redirected to ${target}; redirects are not followed`);
      }
      if (redirects >= maxRedirects) {
        throw new SafeFetchError("too_many_redirects", `${start} redirected more than ${maxRedirects} times`);
      }
      try {
        const next = parseHttpsUrl(target);
        redirectedFrom = url.href;
        url = next;
      } catch (err) {
        if (err instanceof SafeFetchError) throw new SafeFetchError(err.refusal, `${url.href} redirected to ${target}, which is refused: ${err.message}`);
        throw err;
      }
      continue;
    }
    if (status !== 200) {
      response.destroy();
      throw new SafeFetchError("http_status", `${url.href} answered ${status}, not 200`);
    }
    const type = (response.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
    if (!JSON_TYPE.test(type)) {
      response.destroy();
      throw new SafeFetchError("content_type", `${url.href} is served as ${type || "(no content type)"}, not application/json`);
    }
    const encoding = (response.headers["content-encoding"] ?? "identity").toLowerCase();
    if (encoding !== "identity") {
      response.destroy();
      throw new SafeFetchError("content_type", `${url.href} is served with content-encoding ${encoding}`);
    }
    const body = await readBody(response, maxBytes, url.href);
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(body));
    } catch {
      throw new SafeFetchError("invalid_json", `${url.href} is not valid JSON`);
    }
    const header = (name: string) => {
      const value = response.headers[name];
      return Array.isArray(value) ? value.join(", ") : (value ?? null);
    };
    return { url: url.href, json, cacheControl: header("cache-control"), expires: header("expires"), date: header("date"), age: header("age") };
  }
}

/** GETs a JSON document, refusing with a SafeFetchError whose message says why. */
export async function safeFetchJson(url: string, options: SafeFetchOptions = {}): Promise<SafeFetchResult> {
  const timeoutMs = options.timeoutMs ?? SAFE_FETCH_TIMEOUT_MS;
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new SafeFetchError("timeout", `${url} took longer than ${timeoutMs / 1000} s`));
    }, timeoutMs);
  });
  try {
    return await Promise.race([fetchHops(url, options, controller.signal), timedOut]);
  } catch (err) {
    if (err instanceof SafeFetchError) throw err;
    if (controller.signal.aborted) throw new SafeFetchError("timeout", `${url} took longer than ${timeoutMs / 1000} s`);
    const e = err as NodeJS.ErrnoException;
    throw new SafeFetchError("network", `${url} could not be fetched: ${e.code ?? e.message}`);
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

/**
 * POSTs a form to a URL someone else registered (a back-channel logout URI) under the same
 * policy: https to public addresses only, the checked address pinned, no redirects followed,
 * bounded in time. With `allowLoopback`, loopback receivers may also use plain http
 * (development and tests). Resolves with the status; refusals throw a SafeFetchError.
 */
export async function safePostForm(rawUrl: string, form: URLSearchParams, options: SafeFetchOptions = {}): Promise<{ status: number }> {
  const timeoutMs = options.timeoutMs ?? SAFE_FETCH_TIMEOUT_MS;
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new SafeFetchError("invalid_url", `${rawUrl} is not a valid URL`);
  }
  const plain = url.protocol === "http:";
  if (!(plain && options.allowLoopback)) url = parseHttpsUrl(rawUrl);
  const pinned = await vetHost(url, { ...options, allowLoopback: options.allowLoopback ?? false });
  if (plain && specialAddressKind(pinned.address) !== "a loopback") {
    throw new SafeFetchError("not_https", `${url.href} is not an https URL`);
  }
  const body = form.toString();
  const transport = plain ? http : https;
  return new Promise((resolve, reject) => {
    const req = transport.request(
      {
        protocol: url.protocol,
        hostname: url.hostname.replace(/^\[(.*)\]$/, "$1"),
        port: url.port === "" ? (plain ? 80 : 443) : Number(url.port),
        path: `${url.pathname}${url.search}`,
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          "content-length": String(Buffer.byteLength(body)),
          "user-agent": "Latchkey",
        },
        lookup: pinnedLookup(pinned),
        agent: false,
        timeout: timeoutMs,
        ...(options.ca !== undefined && !plain ? { ca: options.ca } : {}),
      },
      (response) => {
        response.resume();
        resolve({ status: response.statusCode ?? 0 });
      },
    );
    req.on("timeout", () => req.destroy(new SafeFetchError("timeout", `${url.href} took longer than ${timeoutMs / 1000} s`)));
    req.on("error", (err) => {
      if (err instanceof SafeFetchError) return reject(err);
      const e = err as NodeJS.ErrnoException;
      reject(new SafeFetchError("network", `${url.href} could not be reached: ${e.code ?? e.message}`));
    });
    req.end(body);
  });
}
