// The cache behind the signing keys (lib/data/reloading-value.ts): what callers observe when
// reads are slow, fail, or are overtaken by an invalidation. Reads are settled by the test, and
// the clock is the test's, so nothing here waits on real time.
import { describe, expect, it } from "vitest";
import { createReloadingValue } from "@/lib/data/reloading-value";

/** A load whose reads the test settles one by one, and a clock the test moves. */
function setup() {
  const reads: { resolve: (v: string) => void; reject: (e: Error) => void }[] = [];
  const errors: unknown[] = [];
  let clock = 1_000_000;
  const value = createReloadingValue(
    () => new Promise<string>((resolve, reject) => reads.push({ resolve, reject })),
    { reloadMs: 5_000, staleMaxMs: 60_000, retryMs: 1_000, onBackgroundError: (e) => errors.push(e), now: () => clock },
  );
  return {
    value,
    reads,
    errors,
    advance: (ms: number) => (clock += ms),
    /** Lets settled reads' callbacks run. */
    settle: () => new Promise<void>((r) => setImmediate(r)),
  };
}

/** As setup(), with "v1" read and kept. */
async function loaded() {
  const t = setup();
  const first = t.value.current();
  t.reads[0]!.resolve("v1");
  await first;
  return t;
}

/** Whether the promise has settled (after pending callbacks ran). */
async function isSettled(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  p.then(() => (done = true), () => (done = true));
  await new Promise<void>((r) => setImmediate(r));
  return done;
}

describe("createReloadingValue", () => {
  it("reads once for callers that ask at the same time, and serves the value while it is fresh", async () => {
    const { value, reads, advance } = setup();
    const asked = [value.current(), value.current(), value.current()];
    expect(reads).toHaveLength(1);
    reads[0]!.resolve("v1");
    expect(await Promise.all(asked)).toEqual(["v1", "v1", "v1"]);
    advance(4_999);
    expect(await value.current()).toBe("v1");
    expect(reads).toHaveLength(1);
  });

  it("once due, answers at once with the value it has and reads again in the background, once", async () => {
    const { value, reads, advance, settle } = await loaded();
    advance(5_000);
    expect(await Promise.all([value.current(), value.current(), value.current()])).toEqual(["v1", "v1", "v1"]);
    expect(reads).toHaveLength(2);
    reads[1]!.resolve("v2");
    await settle();
    expect(await value.current()).toBe("v2");
    expect(reads).toHaveLength(2);
  });

  it("keeps serving the old value while background reads fail, trying again at most once a retry interval", async () => {
    const { value, reads, errors, advance, settle } = await loaded();
    advance(5_000);
    expect(await value.current()).toBe("v1");
    advance(500); // the read takes a while, then fails: the wait counts from the failure
    reads[1]!.reject(new Error("database down"));
    await settle();
    expect(errors).toHaveLength(1);
    advance(999);
    expect(await value.current()).toBe("v1");
    expect(reads).toHaveLength(2);
    advance(1);
    expect(await value.current()).toBe("v1");
    expect(reads).toHaveLength(3);
  });

  it("makes callers wait for a fresh read once the value is older than the stale limit, and gives them its error", async () => {
    const { value, reads, errors, advance } = await loaded();
    advance(60_000);
    const waiting = value.current();
    expect(await isSettled(waiting)).toBe(false);
    reads[1]!.reject(new Error("database down"));
    await expect(waiting).rejects.toThrow("database down");
    expect(errors).toHaveLength(0); // the callers had it; it is not a background failure
    const again = value.current();
    reads[2]!.resolve("v2");
    expect(await again).toBe("v2");
  });

  it("after an invalidation, neither shares nor keeps a read that started before it", async () => {
    const { value, reads, advance, settle } = await loaded();
    advance(5_000);
    await value.current(); // starts a background read (reads[1])
    value.invalidate();
    const waiting = value.current(); // must not share reads[1]
    expect(reads).toHaveLength(3);
    expect(await isSettled(waiting)).toBe(false);
    reads[1]!.resolve("before the change");
    await settle();
    expect(await isSettled(waiting)).toBe(false);
    expect(await isSettled(value.current())).toBe(false); // the old read's result was not kept
    expect(reads).toHaveLength(3); // and the callers since the invalidation share one read
    reads[2]!.resolve("after the change");
    expect(await waiting).toBe("after the change");
    expect(await value.current()).toBe("after the change");
  });

  it("keeps an own read's result unless a later read was kept first", async () => {
    const { value, reads, advance, settle } = await loaded();
    advance(5_000);
    await value.current(); // background read, reads[1]
    const own = value.read(); // reads[2], started later
    reads[2]!.resolve("own");
    expect(await own).toBe("own");
    expect(await value.current()).toBe("own");
    reads[1]!.resolve("older");
    await settle();
    expect(await value.current()).toBe("own");
  });

  it("never shares an own read: callers after an invalidation get a read of their own", async () => {
    const { value, reads, errors, advance, settle } = await loaded();
    const own = value.read();
    value.invalidate();
    const waiting = value.current();
    expect(reads).toHaveLength(3);
    reads[1]!.reject(new Error("own read failed"));
    await expect(own).rejects.toThrow("own read failed");
    reads[2]!.resolve("v2");
    expect(await waiting).toBe("v2");
    // A failed own read is its caller's: no background error, and no retry wait afterwards.
    expect(errors).toHaveLength(0);
    advance(5_000);
    expect(await value.current()).toBe("v2");
    await settle();
    expect(reads).toHaveLength(4);
  });

    it("counts a value's age from when its read started", async () => {
    const { value, reads, advance } = setup();
    const first = value.current();
    advance(3_000); // a slow read
    reads[0]!.resolve("v1");
    await first;
    advance(2_000);
    expect(await value.current()).toBe("v1");
    expect(reads).toHaveLength(2);
  });
});
