// SQLite write path: group commit on the store's own connection, and WAL checkpoints
// on a worker thread.
import type Database from "better-sqlite3";
import { Worker } from "node:worker_threads";

const BUSY_RETRY_MS = 5_000;
const CHECKPOINT_MS = 100;

// WAL checkpoints on a worker thread with its own connection. A checkpoint copies the
// WAL into the database file and fsyncs both (~0.1–0.3 s every ~1000 pages, i.e. every
// few hundred refreshes under load); run by the committing connection, as SQLite's
// auto-checkpoint does, that wait blocked the event loop and cost ~50 µs per write.
// PASSIVE never blocks readers or writers; a busy database is retried next tick.
const CHECKPOINTER = `
const { workerData, parentPort } = require("node:worker_threads");
const Database = require(require("node:module").createRequire(workerData.base).resolve("better-sqlite3"));
const db = new Database(workerData.file, { timeout: 0 });
const timer = setInterval(() => {
  try { db.pragma("wal_checkpoint(PASSIVE)"); } catch {}
}, workerData.intervalMs);
parentPort.on("message", () => { clearInterval(timer); db.close(); process.exit(0); });
`;

/** Starts the checkpoint worker; null when workers are unavailable (auto-checkpoint stays on). */
export function startCheckpointer(file: string): Worker | null {
  try {
    const worker = new Worker(CHECKPOINTER, {
      eval: true,
      workerData: { file, base: `${process.cwd()}/package.json`, intervalMs: CHECKPOINT_MS },
      resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 },
    });
    worker.unref();
    return worker;
  } catch {
    return null;
  }
}

function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === "string" && (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED"));
}

interface PendingWrite {
  op: () => unknown;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
  deadline: number;
}

/**
 * Group commit: writes submitted in the same turn of the event loop run in one
 * transaction, in order, and each promise settles only after that transaction
 * committed. A conditional write (consume a code, rotate a refresh token) still reads
 * and writes atomically, since a batch runs synchronously. If any write throws, the
 * batch rolls back and every write reruns in its own transaction, so one failure
 * never takes the others with it. The connection has no busy timeout: while another
 * connection (Prisma's, or another process) holds the write lock, the batch waits
 * asynchronously, since a blocking wait would stall the event loop and with it a
 * Prisma transaction holding the lock.
 */
export class WriteBatcher {
  private queue: PendingWrite[] = [];
  private scheduled = false;

  // Transaction functions made once: better-sqlite3 builds four wrappers per db.transaction call.
  private readonly commitBatch: Database.Transaction<(batch: PendingWrite[], results: unknown[]) => void>;
  private readonly commitOne: Database.Transaction<(op: () => unknown) => unknown>;

  constructor(db: Database.Database) {
    this.commitBatch = db.transaction((batch: PendingWrite[], results: unknown[]) => {
      for (const w of batch) results.push(w.op());
    });
    this.commitOne = db.transaction((op: () => unknown) => op());
  }

  submit<T>(op: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ op, resolve: resolve as (value: unknown) => void, reject, deadline: Date.now() + BUSY_RETRY_MS });
      this.schedule(0);
    });
  }

  private readonly run = () => {
    this.scheduled = false;
    this.flush();
  };

  private schedule(delayMs: number) {
    if (this.scheduled) return;
    this.scheduled = true;
    if (delayMs === 0) setImmediate(this.run);
    else setTimeout(this.run, delayMs);
  }

  private flush() {
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    const results: unknown[] = [];
    try {
      this.commitBatch.immediate(batch, results);
    } catch (err) {
      if (isBusy(err)) return this.retryLater(batch, err);
      if (batch.length === 1) return batch[0]!.reject(err);
      for (const w of batch) this.runAlone(w);
      return;
    }
    batch.forEach((w, i) => w.resolve(results[i]));
  }

  private runAlone(w: PendingWrite) {
    let result: unknown;
    try {
      result = this.commitOne.immediate(w.op);
    } catch (err) {
      if (isBusy(err)) return this.retryLater([w], err);
      return w.reject(err);
    }
    w.resolve(result);
  }

  private retryLater(batch: PendingWrite[], err: unknown) {
    const now = Date.now();
    const waiting = batch.filter((w) => {
      if (w.deadline > now) return true;
      w.reject(err);
      return false;
    });
    this.queue = [...waiting, ...this.queue];
    if (this.queue.length > 0) this.schedule(5);
  }
}
