// The page worker: Next (portal, consent, admin, docs, server actions, sign-in) in a process
// of its own, started by lib/server/page-worker.ts. It listens only on a Unix socket in a
// private folder, so every request still comes through the front door, which has already
// set the request id, client address and CSP nonce headers and applied its limits.
import { createServer } from "node:http";
import { exportEnv } from "../env";
import { invalidateLocal, setInvalidationTransport, type CacheTopic } from "../data/cache-bus";
import { startLogoutDispatch } from "./backchannel-logout";
import { forwardRateLimitedCounts } from "./metrics";
import { oauthStore } from "./provider";
import { watchDatabase } from "./database-watch";
import type { WorkerMessage } from "./page-worker";

const dev = process.env.LATCHKEY_PAGE_WORKER_DEV === "1";
const socketPath = process.env.LATCHKEY_PAGE_WORKER_SOCKET;
if (!socketPath || !process.send) throw new Error("page-worker-main.ts is started by lib/server/page-worker.ts");
const send = (m: WorkerMessage) => process.send!(m);
// See server.ts: source maps of Next's compiled server cost ~35 MB for nothing in production.
if (!dev) process.setSourceMapsEnabled(false);

const e = exportEnv();
// On SQLite the front door process is the only other one holding caches: invalidations go
// over the IPC channel both ways. On PostgreSQL LISTEN/NOTIFY reaches every process.
if (e.databaseKind === "sqlite") setInvalidationTransport(async (topic) => {
    if (process.connected) send({ type: "invalidate", topic });
  });
// /metrics is served by the front door: refusals counted here are counted there.
forwardRateLimitedCounts((limit) => {
  if (process.connected) send({ type: "rate-limited", limit });
});
process.on("message", (m: WorkerMessage) => {
  if (m.type === "invalidate") invalidateLocal(m.topic as CacheTopic);
});

const { default: next } = await import("next");
const app = next({ dev, dir: process.cwd(), port: e.port, hostname: "localhost" });
const handle = app.getRequestHandler();
await app.prepare();
const stopWatching = watchDatabase();
// Logouts confirmed here send their back-channel tokens at once (retries run in the front door).
startLogoutDispatch();
const server = createServer((req, res) => {
  handle(req, res).catch((err) => {
    console.error("[latchkey] page worker:", err);
    if (!res.headersSent) res.writeHead(500);
    res.end();
  });
});
if (dev) server.on("upgrade", app.getUpgradeHandler());
server.keepAliveTimeout = 65_000;
await new Promise<void>((resolve) => server.listen(socketPath, resolve));
send({ type: "ready" });

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
    setTimeout(() => {
      server.closeAllConnections();
      resolve();
    }, e.shutdownTimeout * 1000).unref();
  });
  await oauthStore()
    .close()
    .catch((err) => console.error("[latchkey] page worker: closing the store failed", err));
  await stopWatching();
  process.exit(0);
}
// The front door stops the worker with SIGTERM after draining its own requests; a front
// door that died without doing so closes the IPC channel.
process.on("SIGTERM", stop);
process.on("SIGINT", () => undefined); // a terminal's Ctrl-C reaches the whole group: the front door decides
process.on("disconnect", stop);
