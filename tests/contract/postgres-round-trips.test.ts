// Round trips of the PostgreSQL store where it batches: access-token checks asked in the
// same turn of the event loop (introspection, userinfo and bearer calls under load) go to
// the database as one query. The answers themselves are the store contract's.
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { statementCounts } from "@/lib/data/statement-counter";
import { postgresHarness, stopPostgres, type StoreHarness } from "./harness";

const USER = { id: "user-rt", email: "rt@example.test", password: "correct horse battery", name: "Round Trip" };

afterAll(stopPostgres);

describe("PostgreSQL store round trips", () => {
  if (postgresHarness.unavailable !== null) {
    if (process.env.CI) throw new Error(`PostgreSQL tests cannot run in CI: ${postgresHarness.unavailable}`);
    it.skip(`skipped: ${postgresHarness.unavailable}`, () => {});
    return;
  }

  let h: StoreHarness;
  beforeEach(async () => {
    h = await postgresHarness.create();
    await h.addUser(USER);
  });
  afterEach(async () => {
    await h.close();
  });

  const roundTrips = async (work: () => Promise<unknown>) => {
    const before = statementCounts.roundTrips;
    await work();
    return statementCounts.roundTrips - before;
  };

  it("checks 50 access tokens asked at once in one query, and one asked alone in one", async () => {
    const { store } = h;
    const ids = Array.from({ length: 50 }, (_, i) => `jti-${i}`);
    expect(await roundTrips(() => Promise.all(ids.map((jti) => store.isAccessTokenRevokedAnywhere(jti, null, null))))).toBe(1);
    expect(await roundTrips(() => Promise.all(ids.map((jti) => store.readAccessTokenUser(jti, null, null, USER.id))))).toBe(1);
    expect(await roundTrips(() => store.isAccessTokenRevokedAnywhere("jti-alone", null, null))).toBe(1);
  });

  it("sends checks asked in later turns as queries of their own", async () => {
    const { store } = h;
    const trips = await roundTrips(async () => {
      for (let i = 0; i < 3; i++) expect(await store.isAccessTokenRevokedAnywhere(`jti-${i}`, null, null)).toBe(false);
    });
    expect(trips).toBe(3);
  });
});
