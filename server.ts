// The server: one node:http server whose every request goes through the front door
// (lib/server/front-door.ts); pages go on to Next in the page worker (lib/server/page-worker.ts),
// in production or development mode.
import { createServer, ServerResponse, type IncomingMessage, type OutgoingHttpHeader, type OutgoingHttpHeaders } from "node:http";
import { exportEnv } from "./lib/env";
import { createFrontDoor, refuseConnect, type NextHandler } from "./lib/server/front-door";
import { watchDatabase } from "./lib/server/database-watch";
import { isShuttingDown, markShuttingDown } from "./lib/server/health";
import { startHousekeeping } from "./lib/server/housekeeping";
import { createPageWorker, type PageWorker } from "./lib/server/page-worker";
import { oauthStore } from "./lib/server/provider";

/** Every response that starts once shutdown has begun closes its connection. */
class ShutdownAwareResponse extends ServerResponse {
  override writeHead(statusCode: number, statusMessage?: string, headers?: OutgoingHttpHeaders | OutgoingHttpHeader[]): this;
  override writeHead(statusCode: number, headers?: OutgoingHttpHeaders | OutgoingHttpHeader[]): this;
  override writeHead(statusCode: number, reasonOrHeaders?: unknown, headers?: unknown): this {
    if (isShuttingDown()) this.shouldKeepAlive = false;
    return super.writeHead(statusCode, reasonOrHeaders as string, headers as OutgoingHttpHeaders);
  }
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
  let pageWorker: PageWorker | null = null;
  if (!options.dev) {
    // tsx turns source maps on; Node then reads and keeps the map of every module it
    // loads: RSS in production for stack traces that point into TypeScript. Development keeps them.
    process.setSourceMapsEnabled(false);
  }
  if (options.next !== false) {
    pageWorker = createPageWorker({ dev: options.dev ?? false });
    handleNext = pageWorker.handle;
  }
  const stopWatchingDatabase = watchDatabase();
  startHousekeeping();
  const frontDoor = createFrontDoor({ handleNext, dev: options.dev ?? false });
  const server = createServer({ ServerResponse: ShutdownAwareResponse }, frontDoor);
  if (options.dev && pageWorker) server.on("upgrade", pageWorker.upgrade);
  server.on("connect", refuseConnect);
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(e.port, resolve));
  if (pageWorker && e.pagesStart === "eager") await pageWorker.start();

  // Stop accepting, let in-flight requests finish (each answer closes its connection),
  // then flush buffered usage counters and exit.
  const shutdown = async (signal: NodeJS.Signals) => {
    console.log(`Latchkey is shutting down (${signal})`);
    markShuttingDown();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    // A response that started before shutdown keeps its connection open: close it once idle.
    const sweep = setInterval(() => server.closeIdleConnections(), 200);
    let deadline: NodeJS.Timeout | undefined;
    // After the timeout, every connection is cut; sockets Node no longer tracks as HTTP
    // (a CONNECT) cannot hold the exit either.
    const cutOff = new Promise<void>((resolve) => {
      deadline = setTimeout(() => {
        server.closeAllConnections();
        resolve();
      }, e.shutdownTimeout * 1000);
    });
    await Promise.race([closed, cutOff]);
    clearInterval(sweep);
    clearTimeout(deadline);
    await pageWorker?.stop().catch((err) => console.error("[latchkey] stopping the page worker failed", err));
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
