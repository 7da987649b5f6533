// Usage counters and last-used stamps, kept in memory and written in batches so the
// token endpoint never writes a row per token. Counts are added to the stored ones
// (an atomic increment), so several instances sum exactly; a batch that fails to
// write is merged back and retried with the next one.

export interface UsageBatch {
  /** Tokens issued per client per UTC day (YYYY-MM-DD). */
  tokens: { clientId: string; day: string; count: number }[];
  lastTokenAt: { clientId: string; at: Date }[];
  secretsUsed: { secretId: string; at: Date }[];
}

const FLUSH_MS = 2_000;
const later = (a: Date | undefined, b: Date) => (a !== undefined && a > b ? a : b);

export class UsageBuffer {
  private tokens = new Map<string, number>(); // `${clientId} ${day}` -> count
  private lastToken = new Map<string, Date>();
  private secretsUsed = new Map<string, Date>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly write: (batch: UsageBatch) => Promise<void>,
    private readonly flushMs = FLUSH_MS,
  ) {}

  tokenIssued(clientId: string, at: Date): void {
    const key = `${clientId} ${this.dayOf(at)}`;
    this.tokens.set(key, (this.tokens.get(key) ?? 0) + 1);
    this.lastToken.set(clientId, later(this.lastToken.get(clientId), at));
    this.schedule();
  }

  // The UTC day of the last stamp, kept so a token costs no date formatting.
  private day = { start: 0, end: 0, text: "" };

  private dayOf(at: Date): string {
    const t = at.getTime();
    if (!(t >= this.day.start && t < this.day.end)) {
      const start = Math.floor(t / 86_400_000) * 86_400_000;
      this.day = { start, end: start + 86_400_000, text: at.toISOString().slice(0, 10) };
    }
    return this.day.text;
  }

  secretUsed(secretId: string, at: Date): void {
    this.secretsUsed.set(secretId, later(this.secretsUsed.get(secretId), at));
    this.schedule();
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush().catch((err) => console.error("[latchkey] usage flush failed; kept for the next one", err));
    }, this.flushMs);
    this.timer.unref();
  }

  /** Writes what is buffered; on failure the counts stay buffered and the error is thrown. */
  flush(): Promise<void> {
    // One flush at a time, so a retry never overtakes the batch it would merge into.
    this.flushing = this.flushing.catch(() => undefined).then(() => this.flushOnce());
    return this.flushing;
  }

  private async flushOnce(): Promise<void> {
    const tokens = this.tokens;
    const lastToken = this.lastToken;
    const secrets = this.secretsUsed;
    if (tokens.size === 0 && lastToken.size === 0 && secrets.size === 0) return;
    this.tokens = new Map();
    this.lastToken = new Map();
    this.secretsUsed = new Map();
    const batch: UsageBatch = {
      tokens: [...tokens].map(([key, count]) => {
        const [clientId = "", day = ""] = key.split(" ");
        return { clientId, day, count };
      }),
      lastTokenAt: [...lastToken].map(([clientId, at]) => ({ clientId, at })),
      secretsUsed: [...secrets].map(([secretId, at]) => ({ secretId, at })),
    };
    try {
      await this.write(batch);
    } catch (err) {
      for (const [key, count] of tokens) this.tokens.set(key, (this.tokens.get(key) ?? 0) + count);
      for (const [id, at] of lastToken) this.lastToken.set(id, later(this.lastToken.get(id), at));
      for (const [id, at] of secrets) this.secretsUsed.set(id, later(this.secretsUsed.get(id), at));
      this.schedule();
      throw err;
    }
  }
}
