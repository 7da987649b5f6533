// Cache invalidation across instances. Every write to data that an instance caches
// publishes its topic; each process drops the matching entries at once. On PostgreSQL
// the message travels through LISTEN/NOTIFY (lib/data/postgres-notify.ts); on SQLite
// between the front door and its page worker over their IPC channel
// (lib/server/page-worker.ts), and short expiries cover the CLI's writes.

export type CacheTopic = "clients" | "keys" | "scopes" | "apis" | "settings";

export const CACHE_TOPICS: readonly CacheTopic[] = ["clients", "keys", "scopes", "apis", "settings"];

interface Bus {
  listeners: Map<CacheTopic, Set<() => void>>;
  transport: ((topic: CacheTopic) => Promise<void>) | null;
}

// On globalThis: the page worker's own code and Next's bundle each load a copy of this module.
const bus: Bus = ((globalThis as { latchkeyCacheBus?: Bus }).latchkeyCacheBus ??= {
  listeners: new Map(),
  transport: null,
});

export function onInvalidate(topic: CacheTopic, drop: () => void): () => void {
  let set = bus.listeners.get(topic);
  if (!set) bus.listeners.set(topic, (set = new Set()));
  set.add(drop);
  return () => set.delete(drop);
}

/** Drops this process's entries for `topic` (also called when another instance publishes). */
export function invalidateLocal(topic: CacheTopic): void {
  for (const drop of bus.listeners.get(topic) ?? []) drop();
}

/** Settles once the other instances were told (never rejects: expiry is the backstop). */
export async function publishInvalidation(topic: CacheTopic): Promise<void> {
  invalidateLocal(topic);
  await bus.transport?.(topic);
}

export function setInvalidationTransport(send: ((topic: CacheTopic) => Promise<void>) | null): void {
  bus.transport = send;
}
