// LISTEN/NOTIFY carries cache invalidations between instances on one PostgreSQL.
import pg from "pg";
import { CACHE_TOPICS, invalidateLocal, setInvalidationTransport, type CacheTopic } from "./cache-bus";

const CHANNEL = "latchkey_cache";
const RECONNECT_MS = 1_000;

/** Every invalidation this process publishes is sent to the other instances too. */
export function publishThroughPostgres(pool: pg.Pool): void {
  setInvalidationTransport(async (topic) => {
    try {
      await pool.query("SELECT pg_notify($1, $2)", [CHANNEL, topic]);
    } catch (err) {
      console.error("[latchkey] cache invalidation not sent; other instances expire it within 1 s", (err as Error).message);
    }
  });
}

/**
 * Listens on its own connection (a pooled one cannot hold LISTEN). After a lost
 * connection it reconnects and drops every cache, since notifications sent meanwhile
 * are gone.
 */
export function listenThroughPostgres(connectionString: string): { close(): Promise<void> } {
  let client: pg.Client | null = null;
  let closed = false;
  let timer: NodeJS.Timeout | null = null;

  const connect = async () => {
    timer = null;
    if (closed) return;
    const next = new pg.Client({ connectionString, application_name: "latchkey-listen" });
    next.on("notification", (msg) => {
      if (CACHE_TOPICS.includes(msg.payload as CacheTopic)) invalidateLocal(msg.payload as CacheTopic);
    });
    next.on("error", () => retry(next));
    next.on("end", () => retry(next));
    try {
      await next.connect();
      await next.query(`LISTEN ${CHANNEL}`);
      client = next;
      for (const topic of CACHE_TOPICS) invalidateLocal(topic);
    } catch (err) {
      console.error("[latchkey] cache listener cannot connect; retrying", (err as Error).message);
      retry(next);
    }
  };

  const retry = (failed: pg.Client) => {
    if (client === failed) client = null;
    failed.end().catch(() => undefined);
    if (!closed && timer === null) timer = setTimeout(connect, RECONNECT_MS).unref();
  };

  void connect();
  return {
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await client?.end().catch(() => undefined);
    },
  };
}
