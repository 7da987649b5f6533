// The batcher behind the PostgreSQL store's access-token checks: what callers observe.
import { describe, expect, it } from "vitest";
import { ReadBatcher } from "@/lib/data/read-batcher";

/** A load that answers `key * 10` and records the keys of each batch it was asked. */
function recorder(fail: (keys: number[]) => boolean = () => false) {
  const batches: number[][] = [];
  const batcher = new ReadBatcher<number, number>(async (keys) => {
    batches.push(keys);
    if (fail(keys)) throw new Error(`batch ${keys.join(",")} failed`);
    return keys.map((k) => k * 10);
  }, 4);
  return { batches, batcher };
}

describe("ReadBatcher", () => {
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

  it("fails every read of a load that answers the wrong number of values", async () => {
    const batcher = new ReadBatcher<number, number>(async (keys) => keys.slice(1));
    const results = await Promise.allSettled([1, 2].map((k) => batcher.get(k)));
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
  });
});
