// Calls made in the same turn of the event loop, answered by one query. On PostgreSQL
// every query is a round trip that costs the database ~100–150 µs of CPU (a write more)
// and Latchkey the driver's send, wake-up and row parsing, however small the query:
// under load the token checks and rotations of many requests arrive together, and one
// query for all of them costs little more than one for each.

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
}

export class Batcher<K, V> {
  private pending: Pending<K, V>[] = [];
  private readonly max: number;

  /** `load` answers every key of a batch, in order. */
  constructor(
    private readonly load: (keys: K[]) => Promise<V[]>,
    private readonly options: BatcherOptions<K, V> = {},
  ) {
    this.max = options.max ?? 256;
  }

  get(key: K): Promise<V> {
    return new Promise<V>((resolve, reject) => {
      if (this.pending.push({ key, resolve, reject }) === 1) setImmediate(this.flush);
    });
  }

  private readonly flush = () => {
    const all = this.pending;
    this.pending = [];
    for (let i = 0; i < all.length; i += this.max) void this.send(all.length <= this.max ? all : all.slice(i, i + this.max));
  };

  private async send(batch: Pending<K, V>[]): Promise<void> {
    let values: V[];
    try {
      values = await this.load(batch.map((p) => p.key));
      if (values.length !== batch.length) throw new Error(`batched query answered ${values.length} of ${batch.length} keys`);
    } catch (err) {
      const { alone } = this.options;
      if (alone === undefined || batch.length === 1) for (const p of batch) p.reject(err);
      else for (const p of batch) alone(p.key).then(p.resolve, p.reject);
      return;
    }
    for (let i = 0; i < batch.length; i++) batch[i]!.resolve(values[i]!);
  }
}
