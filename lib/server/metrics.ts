// Prometheus metrics for operators. Every label takes values from a fixed set: a label
// built from raw input (URL, grant_type, method) would let clients grow the series.
import { createHash, timingSafeEqual } from "node:crypto";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import { statementCounts } from "../data/statement-counter";
import { env } from "../env";
import type { OAuthRequest, OAuthResponse } from "../oauth/http";

export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}

interface Metrics {
  registry: Registry;
  httpRequests: Counter<"route" | "method" | "status">;
  httpDuration: Histogram<"route" | "method">;
  tokensIssued: Counter<"grant_type">;
  rateLimited: Counter<"limit">;
  poolStats: (() => PoolStats | null) | null;
  /** In the page worker: where refusals go instead (the front door's registry, which /metrics reads). */
  forwardRateLimited: ((limit: string) => void) | null;
}

function createMetrics(): Metrics {
  const registry = new Registry();
  // Off by default: the GC and event-loop monitors cost a little even when nobody scrapes.
  if (env().metricsToken !== null) collectDefaultMetrics({ register: registry });
  const metrics: Metrics = {
    registry,
    httpRequests: new Counter({
      name: "latchkey_http_requests_total",
      help: "HTTP requests answered, by route, method and status.",
      labelNames: ["route", "method", "status"] as const,
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: "latchkey_http_request_duration_seconds",
      help: "Time from request to the last byte of the response.",
      labelNames: ["route", "method"] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    tokensIssued: new Counter({
      name: "latchkey_tokens_issued_total",
      help: "Successful token endpoint responses, by grant type.",
      labelNames: ["grant_type"] as const,
      registers: [registry],
    }),
    rateLimited: new Counter({
      name: "latchkey_rate_limited_total",
      help: "Requests refused by a rate limit, by limit.",
      labelNames: ["limit"] as const,
      registers: [registry],
    }),
    poolStats: null,
    forwardRateLimited: null,
  };
  new Gauge({
    name: "latchkey_db_pool_connections",
    help: "Database pool connections, by state.",
    labelNames: ["state"] as const,
    registers: [registry],
    collect() {
      this.reset();
      const stats = metrics.poolStats?.();
      if (!stats) return;
      this.set({ state: "total" }, stats.total);
      this.set({ state: "idle" }, stats.idle);
      this.set({ state: "waiting" }, stats.waiting);
    },
  });
  if (env().countStatements) {
    for (const [name, key, help] of [
      ["latchkey_db_statements", "statements", "Database statements run so far (LATCHKEY_COUNT_STATEMENTS=1)."],
      ["latchkey_db_round_trips", "roundTrips", "Database round trips so far (LATCHKEY_COUNT_STATEMENTS=1)."],
    ] as const) {
      new Gauge({ name, help, registers: [registry], collect() { this.set(statementCounts[key]); } });
    }
  }
  return metrics;
}

// One registry per process, on globalThis: the page worker's own code and Next's bundle each
// load this module, and refusals counted inside Next (sign-in, sign-up) must reach /metrics.
const metrics: Metrics = ((globalThis as { latchkeyMetrics?: Metrics }).latchkeyMetrics ??= createMetrics());

/** Where the pool gauges read from at scrape time; null (the default) reports none. */
export function setPoolStatsSource(source: (() => PoolStats | null) | null): void {
  metrics.poolStats = source;
}

const GRANT_TYPES = new Set(["authorization_code", "refresh_token", "client_credentials", "password"]);

export function countTokenIssued(grantType: string | null | undefined): void {
  metrics.tokensIssued.inc({ grant_type: grantType && GRANT_TYPES.has(grantType) ? grantType : "other" });
}

/** `limit` must come from a fixed set of names (it is a label). */
export function countRateLimited(limit: string): void {
  if (metrics.forwardRateLimited) metrics.forwardRateLimited(limit);
  else metrics.rateLimited.inc({ limit });
}

/** The page worker counts its refusals in the front door's process (lib/server/page-worker.ts). */
export function forwardRateLimitedCounts(forward: ((limit: string) => void) | null): void {
  metrics.forwardRateLimited = forward;
}

const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/** The route label of a path Next serves. */
export function nextRouteLabel(pathname: string): string {
  if (pathname.startsWith("/_next/")) return "next_static";
  if (pathname.startsWith("/api/")) return "api";
  if (pathname.startsWith("/oauth/")) return "oauth";
  return "page";
}

/** Counts a sent response and its duration (the front door calls this once per request). */
export function countRequest(route: string, rawMethod: string, status: number, seconds: number): void {
  const method = METHODS.has(rawMethod) ? rawMethod : "other";
  metrics.httpRequests.inc({ route, method, status });
  metrics.httpDuration.observe({ route, method }, seconds);
}

const digest = (value: string) => createHash("sha256").update(value).digest();
let expected: Buffer | undefined;

function authorized(header: string | null, token: string): boolean {
  const presented = header?.match(/^Bearer +(\S+) *$/i)?.[1];
  if (presented === undefined) return false;
  expected ??= digest(token);
  return timingSafeEqual(digest(presented), expected);
}

/** GET /metrics: 404 unless LATCHKEY_METRICS_TOKEN is set, then the bearer must match it. */
export async function serveMetrics(req: OAuthRequest): Promise<OAuthResponse> {
  const token = env().metricsToken;
  const headers = { "Content-Type": "application/json", "Cache-Control": "no-store" };
  if (token === null) return { status: 404, headers, body: JSON.stringify({ error: "not_found" }) };
  if (!authorized(req.headers.get("authorization"), token)) {
    return { status: 401, headers: { ...headers, "WWW-Authenticate": "Bearer" }, body: JSON.stringify({ error: "unauthorized" }) };
  }
  return { status: 200, headers: { "Content-Type": metrics.registry.contentType, "Cache-Control": "no-store" }, body: await metrics.registry.metrics() };
}
