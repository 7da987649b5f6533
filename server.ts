// Production entry: machine endpoints straight to the protocol core on node:http,
// everything else to Next's request handler.
import { createServer, ServerResponse, type IncomingMessage, type OutgoingHttpHeader, type OutgoingHttpHeaders } from "node:http";
import { exportEnv } from "./lib/env";
import { createFastPath, pathnameOf } from "./lib/server/fast-path";
import { watchDatabase } from "./lib/server/database-watch";
import { isShuttingDown, markShuttingDown } from "./lib/server/health";
import { nextRouteLabel, trackRequest } from "./lib/server/metrics";
import { oauthStore } from "./lib/server/provider";

type NextHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** Every response that starts once shutdown has begun closes its connection. */
class ShutdownAwareResponse extends ServerResponse {
  override writeHead(statusCode: number, statusMessage?: string, headers?: OutgoingHttpHeaders | OutgoingHttpHeader[]): this;
  override writeHead(statusCode: number, headers?: OutgoingHttpHeaders | OutgoingHttpHeader[]): this;
  override writeHead(statusCode: number, ...rest: unknown[]): this {
    if (isShuttingDown()) this.shouldKeepAlive = false;
    return super.writeHead(statusCode, ...(rest as [string?, OutgoingHttpHeaders?]));
  }
}

function sendServerError(res: ServerResponse, err: unknown) {
  console.error("[latchkey] request failed", err);
  if (!res.headersSent) {
    res.writeHead(500, { "content-type": "application/json", "cache-control": "no-store" });
    res.end(JSON.stringify({ error: "server_error", error_description: "Unexpected error" }));
  } else res.end();
}

function notFound(_req: IncomingMessage, res: ServerResponse): Promise<void> {
  res.writeHead(404, { "content-type": "application/json" });
  res.end(JSON.stringify({ error: "not_found" }));
  return Promise.resolve();
}

/**
 * `next: false` serves only the machine endpoints (the benchmark uses it when the
 * Next build is unavailable); everything else answers 404.
 */
export async function startServer(options: { dev?: boolean; next?: boolean } = {}) {
  const e = exportEnv();
  let handleNext: NextHandler = notFound;
  if (!options.dev) {
    // tsx turns source maps on; Node then reads and keeps the map of every module it
    // loads, Next's compiled server included: ~35 MB of RSS in production for stack
    // traces that point into TypeScript. Development keeps them.
    process.setSourceMapsEnabled(false);
  }
  if (options.next !== false) {
    const { default: next } = await import("next");
    const app = next({ dev: options.dev ?? false, dir: process.cwd(), port: e.port, hostname: "localhost" });
    handleNext = app.getRequestHandler();
    await app.prepare();
  }
  const stopWatchingDatabase = watchDatabase();
  const fastPath = createFastPath(e.issuer);
  const metricsOn = e.metricsToken !== null;
  const server = createServer({ ServerResponse: ShutdownAwareResponse }, (req, res) => {
    const pathname = pathnameOf(req.url);
    const route = fastPath.route(pathname);
    if (metricsOn) trackRequest(req, res, route ?? nextRouteLabel(pathname));
    let pending: Promise<void>;
    try {
      pending = route === null ? handleNext(req, res) : fastPath.serve(route, req, res);
    } catch (err) {
      sendServerError(res, err);
      return;
    }
    pending.catch((err) => sendServerError(res, err));
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(e.port, resolve));

  // Stop accepting, let in-flight requests finish (each answer closes its connection),
  // then flush buffered usage counters and exit.
  const shutdown = async (signal: NodeJS.Signals) => {
    console.log(`Latchkey is shutting down (${signal})`);
    markShuttingDown();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    // A response that started before shutdown keeps its connection open: close it once idle.
    const sweep = setInterval(() => server.closeIdleConnections(), 200);
    const deadline = setTimeout(() => server.closeAllConnections(), e.shutdownTimeout * 1000);
    await closed;
    clearInterval(sweep);
    clearTimeout(deadline);
    await oauthStore()
      .close()
      .catch((err) => console.error("[latchkey] closing the store failed", err));
    await stopWatchingDatabase();
    console.log("Latchkey stopped");
    process.exit(0);
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
  return server;
}
