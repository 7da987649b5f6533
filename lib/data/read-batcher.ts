// Reads asked in the same turn of the event loop, answered by one query. On PostgreSQL
// every query is a round trip that costs the database ~100–150 µs of CPU and Latchkey the
// driver's send, wake-up and row parsing, however small the query: under load the
// revocation checks of many introspection and userinfo calls arrive together, and one
// query for all of them costs little more than one for each.

interface PendingRead<K, V> {
  key: K;
  resolve: (value: V) => void;
  reject: (err: unknown) => void;
}

export class ReadBatcher<K, V> {
  private pending: PendingRead<K, V>[] = [];

  /**
   * `load` answers every key of a batch, in order; `max` bounds the keys of one query
   * (a longer batch goes as several).
   */
  constructor(
    private readonly load: (keys: K[]) => Promise<V[]>,
    private readonly max = 256,
  ) {}

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

  private async send(batch: PendingRead<K, V>[]): Promise<void> {
    let values: V[];
    try {
      values = await this.load(batch.map((r) => r.key));
      if (values.length !== batch.length) throw new Error(`batched read answered ${values.length} of ${batch.length} keys`);
    } catch (err) {
      for (const r of batch) r.reject(err);
      return;
    }
    for (let i = 0; i < batch.length; i++) batch[i]!.resolve(values[i]!);
  }
}
