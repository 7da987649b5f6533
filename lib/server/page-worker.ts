// The front door's side of the page worker (page-worker-main.ts): Next runs in a child
// process, so the machine endpoints run in a process without Next's heap, its patched
// globals (Date, AsyncLocalStorage-based tracking) or its garbage. Pages are handed
// over on a Unix socket in a private folder after the front door has done its part.
// LATCHKEY_PAGES=lazy (the default) starts the worker on the first page request;
// eager starts it with the server.
import { fork, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { Agent, request, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from "node:http";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Duplex } from "node:stream";
import { invalidateLocal, setInvalidationTransport, type CacheTopic } from "../data/cache-bus";
import { env } from "../env";
import { countRateLimited } from "./metrics";

export type WorkerMessage = { type: "ready" } | { type: "invalidate"; topic: string } | { type: "rate-limited"; limit: string };

/** Headers about one hop only (RFC 9110 §7.6.1), never forwarded either way. */
const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade"]);
const START_TIMEOUT_MS = 180_000;
/** A worker that exits before it is ready is not restarted for this long (no fork per request). */
const FAILED_START_BACKOFF_MS = 5_000;

export interface PageWorker {
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Starts the worker now (LATCHKEY_PAGES=eager) and settles once it serves pages. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

function pageUnavailable(res: ServerResponse, why: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = `<!doctype html><title>Unavailable</title><p>The portal is not available right now (${why}). Try again in a moment.</p>`;
  res.writeHead(503, { "Content-Type": "text/html; charset=utf-8", "Retry-After": "2", "Content-Length": String(Buffer.byteLength(body)) });
  res.end(body);
}

export function createPageWorker(options: { dev: boolean }): PageWorker {
  const dir = mkdtempSync(path.join(tmpdir(), "latchkey-pages-")); // mode 0700: only this user reaches the socket
  const socketPath = path.join(dir, "next.sock");
  // Idle sockets close well before the worker's keep-alive timeout (65 s), so a request is
  // never sent on a socket the worker is closing.
  const agent = new Agent({ keepAlive: true, maxSockets: 256, timeout: 30_000 });
  let child: ChildProcess | null = null;
  let ready: Promise<void> | null = null;
  let stopping = false;
  let failedUntil = 0;

  if (env().databaseKind === "sqlite") {
    setInvalidationTransport(async (topic) => {
      if (child?.connected) child.send({ type: "invalidate", topic } satisfies WorkerMessage);
    });
  }

  function start(): Promise<void> {
    if (ready) return ready;
    if (Date.now() < failedUntil) return Promise.reject(new Error("the page worker failed to start; retrying shortly"));
    let started = false;
    ready = new Promise<void>((resolve, reject) => {
      rmSync(socketPath, { force: true });
      const worker = fork(path.join(import.meta.dirname, "page-worker-main.ts"), {
        env: {
          ...process.env,
          LATCHKEY_PAGE_WORKER_SOCKET: socketPath,
          LATCHKEY_PAGE_WORKER_DEV: options.dev ? "1" : "0",
          // PostgreSQL: pages need fewer connections than the token path (README, pool sizing).
          LATCHKEY_DB_POOL_SIZE: String(Math.max(2, Math.ceil(env().databasePoolSize / 2))),
        },
        stdio: ["ignore", "inherit", "inherit", "ipc"],
        // The front door's heap limits and GC mode (package.json) suit the protocol, not Next.
        execArgv: process.execArgv.filter((arg) => !/^--max-(old|semi)-space-size=|^--single-threaded-gc$/.test(arg)),
      });
      child = worker;
      const timer = setTimeout(() => {
        reject(new Error("the page worker did not start in time"));
        worker.kill("SIGKILL"); // its exit lets the next page request try again
      }, START_TIMEOUT_MS);
      worker.on("message", (m: WorkerMessage) => {
        if (m.type === "ready") {
          clearTimeout(timer);
          started = true;
          resolve();
        } else if (m.type === "invalidate") invalidateLocal(m.topic as CacheTopic);
        else if (m.type === "rate-limited") countRateLimited(m.limit);
      });
      worker.once("exit", (code, signal) => {
        clearTimeout(timer);
        child = null;
        ready = null; // the next page request starts a new one
        if (!started) failedUntil = Date.now() + FAILED_START_BACKOFF_MS;
        if (!stopping) console.error(`[latchkey] the page worker exited (${signal ?? `code ${code}`}); it restarts on the next page request`);
        reject(new Error("the page worker exited"));
      });
    });
    ready.catch(() => undefined);
    return ready;
  }

  /** Settles when the current worker has exited, or after `ms` if it is still running. */
  function exitOf(worker: ChildProcess | null, ms: number): Promise<void> {
    if (worker === null || worker.exitCode !== null || worker.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      worker.once("exit", () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const headers: OutgoingHttpHeaders = {};
    for (const name in req.headers) if (!HOP_BY_HOP.has(name)) headers[name] = req.headers[name];
    // A worker that just died may not have been noticed yet: a request without a body is
    // sent again once, to its replacement.
    const retriable = req.method === "GET" || req.method === "HEAD";
    for (let attempt = 1; ; attempt++) {
      try {
        await start();
      } catch (err) {
        return pageUnavailable(res, (err as Error).message);
      }
      const worker = child;
      const outcome = await forward(req, res, headers);
      if (outcome === "done") return;
      if (!retriable || attempt === 2) return pageUnavailable(res, `page worker: ${outcome.message}`);
      await exitOf(worker, 2000);
    }
  }

  function forward(req: IncomingMessage, res: ServerResponse, headers: OutgoingHttpHeaders): Promise<"done" | Error> {
    return new Promise((resolve) => {
      const forwarded = request({ socketPath, agent, method: req.method, path: req.url, headers }, (answer) => {
        for (const name in answer.headers) {
          const value = answer.headers[name];
          if (value !== undefined && !HOP_BY_HOP.has(name)) res.setHeader(name, value);
        }
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage);
        answer.pipe(res);
        answer.once("end", () => resolve("done"));
        answer.once("error", () => {
          res.destroy();
          resolve("done");
        });
      });
      forwarded.once("error", (err) => {
        if (res.headersSent) {
          res.destroy();
          resolve("done");
        } else resolve(err);
      });
      // The client left: stop the work it asked for.
      res.once("close", () => {
        if (!res.writableFinished) forwarded.destroy();
        resolve("done");
      });
      if (req.readableEnded) forwarded.end();
      else req.pipe(forwarded);
    });
  }

  /** Development only: Next's hot reload talks over a WebSocket upgrade. */
  function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    start().then(
      () => {
        const upstream = connect(socketPath);
        let lines = `${req.method} ${req.url} HTTP/1.1\r\n`;
        for (let i = 0; i < req.rawHeaders.length; i += 2) lines += `${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}\r\n`;
        upstream.write(`${lines}\r\n`);
        if (head.length > 0) upstream.write(head);
        upstream.pipe(socket).pipe(upstream);
        upstream.on("error", () => socket.destroy());
        socket.on("error", () => upstream.destroy());
      },
      () => socket.destroy(),
    );
  }

  async function stop(): Promise<void> {
    stopping = true;
    const worker = child;
    if (worker) {
      const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
      worker.kill("SIGTERM");
      await exited;
    }
    agent.destroy();
    rmSync(dir, { recursive: true, force: true });
  }

  return { handle, upgrade, start, stop };
}
