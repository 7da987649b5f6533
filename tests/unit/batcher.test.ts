// The batcher behind the PostgreSQL store's token checks and rotations: what callers observe.
import { describe, expect, it, vi } from "vitest";
import { Batcher } from "@/lib/data/batcher";

/** A load that answers `key * 10` and records the keys of each batch it was asked. */
function recorder(fail: (keys: number[]) => boolean = () => false) {
  const batches: number[][] = [];
  const batcher = new Batcher<number, number>(async (keys) => {
    batches.push(keys);
    if (fail(keys)) throw new Error(`batch ${keys.join(",")} failed`);
    return keys.map((k) => k * 10);
  }, { max: 4 });
  return { batches, batcher };
}

describe("Batcher", () => {
  it("answers reads asked in the same turn with one load, each with its own value", async () => {
    const { batches, batcher } = recorder();
    expect(await Promise.all([3, 1, 2].map((k) => batcher.get(k)))).toEqual([30, 10, 20]);
    expect(batches).toEqual([[3, 1, 2]]);
  });

  it("loads reads of later turns apart, and splits a turn longer than its maximum", async () => {
    const { batches, batcher } = recorder();
    expect(await batcher.get(1)).toBe(10);
    expect(await batcher.get(2)).toBe(20);
    expect(await Promise.all([1, 2, 3, 4, 5, 6].map((k) => batcher.get(k)))).toEqual([10, 20, 30, 40, 50, 60]);
    expect(batches).toEqual([[1], [2], [1, 2, 3, 4], [5, 6]]);
  });

  it("fails only the reads of a failed load", async () => {
    const { batcher } = recorder((keys) => keys.includes(6));
    const results = await Promise.allSettled([1, 2, 3, 4, 5, 6].map((k) => batcher.get(k)));
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "fulfilled", "fulfilled", "rejected", "rejected"]);
    expect(await batcher.get(7)).toBe(70);
  });

  it("with `alone`, retries a failed batch key by key, so only the key that fails it fails", async () => {
    const asked: string[] = [];
    const batcher = new Batcher<number, number>(
      async (keys) => {
        asked.push(`batch ${keys.join(",")}`);
        if (keys.includes(2)) throw new Error("the batch failed");
        return keys.map((k) => k * 10);
      },
      {
        alone: async (key) => {
          asked.push(`alone ${key}`);
          if (key === 2) throw new Error("key 2 fails");
          return key * 10;
        },
      },
    );
    const results = await Promise.allSettled([1, 2, 3].map((k) => batcher.get(k)));
    expect(results).toEqual([
      { status: "fulfilled", value: 10 },
      { status: "rejected", reason: new Error("key 2 fails") },
      { status: "fulfilled", value: 30 },
    ]);
    expect(asked).toEqual(["batch 1,2,3", "alone 1", "alone 2", "alone 3"]);
  });

  it("with `concurrency`, holds calls made while that many batches are out and sends them together when one comes back", async () => {
    const batches: number[][] = [];
    const answers: (() => void)[] = [];
    const batcher = new Batcher<number, number>(
      (keys) => {
        batches.push(keys);
        return new Promise((resolve) => answers.push(() => resolve(keys.map((k) => k * 10))));
      },
      { concurrency: 1 },
    );
    const first = batcher.get(1);
    await vi.waitFor(() => expect(batches).toEqual([[1]]));
    // Asked in three later turns while the first batch is out: nothing more is sent yet.
    const later: Promise<number>[] = [];
    for (const k of [2, 3, 4]) {
      later.push(batcher.get(k));
      await new Promise((r) => setImmediate(r));
    }
    expect(batches).toEqual([[1]]);
    answers.shift()!();
    expect(await first).toBe(10);
    await vi.waitFor(() => expect(batches).toEqual([[1], [2, 3, 4]]));
    answers.shift()!();
    expect(await Promise.all(later)).toEqual([20, 30, 40]);
    // Nothing out: a lone call goes at once.
    const lone = batcher.get(5);
    await vi.waitFor(() => expect(batches).toEqual([[1], [2, 3, 4], [5]]));
    answers.shift()!();
    expect(await lone).toBe(50);
  });

  it("with `concurrency`, a failed batch's slot is given back", async () => {
    let calls = 0;
    const batcher = new Batcher<number, number>(
      async (keys) => {
        calls++;
        if (calls === 1) throw new Error("the first batch fails");
        return keys.map((k) => k * 10);
      },
      { concurrency: 1 },
    );
    await expect(batcher.get(1)).rejects.toThrow("the first batch fails");
    expect(await Promise.all([batcher.get(2), batcher.get(3)])).toEqual([20, 30]);
  });

  it("fails every read of a load that answers the wrong number of values", async () => {
    const batcher = new Batcher<number, number>(async (keys) => keys.slice(1));
    const results = await Promise.allSettled([1, 2].map((k) => batcher.get(k)));
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
  });
});
