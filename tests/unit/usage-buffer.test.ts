import { describe, expect, it } from "vitest";
import { UsageBuffer, type UsageBatch } from "@/lib/data/usage-buffer";

describe("usage counters", () => {
  it("keep every count of a batch that failed to write and write it with the next one", async () => {
    const written: UsageBatch[] = [];
    let failNext = true;
    const buffer = new UsageBuffer(async (batch) => {
      if (failNext) {
        failNext = false;
        throw new Error("database unavailable");
      }
      written.push(batch);
    }, 60_000);
    const day = new Date("2026-11-30T10:00:00.000Z");
    for (let i = 0; i < 3; i++) buffer.tokenIssued("app-1", day);
    buffer.secretUsed("secret-1", day);
    await expect(buffer.flush()).rejects.toThrow("database unavailable");
    buffer.tokenIssued("app-1", new Date("2026-11-30T11:00:00.000Z"));
    await buffer.flush();
    expect(written).toHaveLength(1);
    expect(written[0]!.tokens).toEqual([{ clientId: "app-1", day: "2026-11-30", count: 4 }]);
    expect(written[0]!.lastTokenAt).toEqual([{ clientId: "app-1", at: new Date("2026-11-30T11:00:00.000Z") }]);
    expect(written[0]!.secretsUsed).toEqual([{ secretId: "secret-1", at: day }]);
  });

  it("count each UTC day apart and write nothing when nothing happened", async () => {
    const written: UsageBatch[] = [];
    const buffer = new UsageBuffer(async (batch) => void written.push(batch), 60_000);
    await buffer.flush();
    expect(written).toHaveLength(0);
    buffer.tokenIssued("app-1", new Date("2026-11-30T23:59:59.000Z"));
    buffer.tokenIssued("app-1", new Date("2026-12-01T00:00:01.000Z"));
    await buffer.flush();
    expect(written[0]!.tokens).toEqual([
      { clientId: "app-1", day: "2026-11-30", count: 1 },
      { clientId: "app-1", day: "2026-12-01", count: 1 },
    ]);
  });
});
