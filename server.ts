// Production entry: machine endpoints straight to the protocol core on node:http,
// everything else to Next's request handler.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { exportEnv } from "./lib/env";
import { createFastPath } from "./lib/server/fast-path";
import { oauthStore } from "./lib/server/provider";

type NextHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

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
  const fastPath = createFastPath(e.issuer);
  const server = createServer((req, res) => {
    let pending: Promise<void> | null;
    try {
      pending = fastPath(req, res);
    } catch (err) {
      sendServerError(res, err);
      return;
    }
    if (pending === null) handleNext(req, res).catch((err) => sendServerError(res, err));
    else pending.catch((err) => sendServerError(res, err));
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(e.port, resolve));
  const shutdown = async () => {
    server.close();
    await oauthStore().flush().catch(() => undefined);
    process.exit(0);
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
  return server;
}
