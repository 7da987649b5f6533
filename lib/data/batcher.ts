// Calls made in the same turn of the event loop, answered by one query. On PostgreSQL
// every query is a round trip that costs the database ~100–150 µs of CPU (a write more)
// and Latchkey the driver's send, wake-up and row parsing, however small the query:
// under load the token checks and rotations of many requests arrive together, and one
// query for all of them costs little more than one for each. With a `concurrency`, calls
// made while that many batches are out wait for one to come back and go together: under
// load the batches grow rather than the number of queries.

interface Pending<K, V> {
  key: K;
  resolve: (value: V) => void;
  reject: (err: unknown) => void;
}

export interface BatcherOptions<K, V> {
  /** The most keys one query carries (a longer batch goes as several). */
  max?: number;
  /**
   * Answers one key on its own. When given, a batch whose query fails is retried key by
   * key, so a key that makes the query fail fails only its own call.
   */
  alone?: (key: K) => Promise<V>;
  /**
   * The most batches out at once. Calls made while that many are out wait for one to come
   * back and go together in the next: under load the batches grow instead of the queries.
   */
  concurrency?: number;
}

export class Batcher<K, V> {
  private pending: Pending<K, V>[] = [];
  private scheduled = false;
  private out = 0;
  private readonly max: number;
  private readonly concurrency: number;

  /** `load` answers every key of a batch, in order. */
  constructor(
    private readonly load: (keys: K[]) => Promise<V[]>,
    private readonly options: BatcherOptions<K, V> = {},
  ) {
    this.max = options.max ?? 256;
    this.concurrency = options.concurrency ?? Infinity;
  }

  get(key: K): Promise<V> {
    return new Promise<V>((resolve, reject) => {
      this.pending.push({ key, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.out >= this.concurrency) return;
    this.scheduled = true;
    setImmediate(this.flush);
  }

  private readonly flush = () => {
    this.scheduled = false;
    while (this.pending.length > 0 && this.out < this.concurrency) {
      const batch = this.pending.splice(0, this.max);
      this.out++;
      void this.send(batch).finally(this.returned);
    }
  };

  private readonly returned = () => {
    this.out--;
    if (this.pending.length > 0) this.schedule();
  };

  private async send(batch: Pending<K, V>[]): Promise<void> {
    let values: V[];
    try {
      values = await this.load(batch.map((p) => p.key));
      if (values.length !== batch.length) throw new Error(`batched query answered ${values.length} of ${batch.length} keys`);
    } catch (err) {
      const { alone } = this.options;
      if (alone === undefined || batch.length === 1) for (const p of batch) p.reject(err);
      else await Promise.all(batch.map((p) => alone(p.key).then(p.resolve, p.reject)));
      return;
    }
    for (let i = 0; i < batch.length; i++) batch[i]!.resolve(values[i]!);
  }
}
