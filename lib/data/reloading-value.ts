// A value read from somewhere slow (the signing keys from the database), kept in memory and
// read again in the background once it is older than `reloadMs`, so that a reload never
// stalls every caller at once. While a background read is under way or failing, callers keep
// the value they have, for at most `staleMaxMs`; after that, and after an invalidation, they
// wait for a fresh read. However many callers ask at once, one shared read runs at a time.

export interface ReloadingValueOptions {
  /** Older than this, the value is read again in the background. */
  reloadMs: number;
  /** Older than this, callers wait for a fresh read instead of keeping the value. */
  staleMaxMs: number;
  /** After a failed background read, the next one waits this long (and so does its log line). */
  retryMs: number;
  /** A background read failed (its callers already have the old value). */
  onBackgroundError: (err: unknown) => void;
  /** The clock (tests pass their own). */
  now?: () => number;
}

export interface ReloadingValue<T> {
  /** The value: the kept one while fresh enough, else the result of a shared read. */
  current(): Promise<T>;
  /**
   * A read of its own, started now (a shared one under way may have started before what the
   * caller is looking for was written); kept unless a later read or an invalidation overtook it.
   */
  read(): Promise<T>;
  /** Forgets the value; a read started before now is neither shared nor kept. */
  invalidate(): void;
}

export function createReloadingValue<T>(load: () => Promise<T>, options: ReloadingValueOptions): ReloadingValue<T> {
  const now = options.now ?? Date.now;
  // The value kept and when its read started; null before the first read and after an invalidation.
  let kept: { value: T; loadedAt: number } | null = null;
  // Reads are numbered as they start; `kept` is only ever replaced by a later read's result.
  let reads = 0;
  let keptRead = 0;
  // Bumped by an invalidation: a read started before it is neither shared nor kept.
  let generation = 0;
  // The shared read under way, and the generation it was started in.
  let pending: { generation: number; promise: Promise<T> } | null = null;
  let lastFailure = -Infinity;

  function read(): Promise<T> {
    const number = ++reads;
    const started = generation;
    const loadedAt = now();
    let loading: Promise<T>;
    try {
      loading = load();
    } catch (err) {
      loading = Promise.reject(err); // a load that throws at once still fails as a rejection
    }
    return loading.then((value) => {
      if (started === generation && number > keptRead) {
        kept = { value, loadedAt };
        keptRead = number;
      }
      return value;
    });
  }

  const sharing = () => pending !== null && pending.generation === generation;

  /** Reads the value, once however many callers ask at the same time. */
  function reload(): Promise<T> {
    if (sharing()) return pending!.promise;
    const promise = read();
    pending = { generation, promise };
    const settled = () => {
      if (pending?.promise === promise) pending = null;
    };
    promise.then(settled, () => {
      lastFailure = now();
      settled();
    });
    return promise;
  }

  function current(): Promise<T> {
    if (kept !== null) {
      const age = now() - kept.loadedAt;
      if (age < options.reloadMs) return Promise.resolve(kept.value);
      if (age < options.staleMaxMs) {
        if (!sharing() && now() - lastFailure >= options.retryMs) reload().catch(options.onBackgroundError);
        return Promise.resolve(kept.value);
      }
    }
    return reload();
  }

  return {
    current,
    read,
    invalidate() {
      kept = null;
      generation++;
    },
  };
}
