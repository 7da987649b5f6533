// Production entry: machine endpoints straight to the protocol core on node:http,
// everything else to Next's request handler.
import { createServer } from "node:http";
import next from "next";
import { exportEnv } from "./lib/env";
import { createFastPath } from "./lib/server/fast-path";
import { oauthStore } from "./lib/server/provider";

export async function startServer(options: { dev?: boolean } = {}) {
  const e = exportEnv();
  const app = next({ dev: options.dev ?? false, dir: process.cwd(), port: e.port, hostname: "localhost" });
  const handleNext = app.getRequestHandler();
  await app.prepare();
  const fastPath = createFastPath(e.issuer);
  const server = createServer((req, res) => {
    fastPath(req, res)
      .then((handled) => {
        if (!handled) return handleNext(req, res);
      })
      .catch((err) => {
        console.error("[latchkey] request failed", err);
        if (!res.headersSent) {
          res.writeHead(500, { "content-type": "application/json", "cache-control": "no-store" });
          res.end(JSON.stringify({ error: "server_error", error_description: "Unexpected error" }));
        } else res.end();
      });
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
