// Round trips of the PostgreSQL store where it batches: access-token checks (introspection,
// userinfo and bearer calls) and refresh-token rotations asked in the same turn of the event
// loop go to the database as one query. The answers themselves are the store contract's.
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { statementCounts } from "@/lib/data/statement-counter";
import type { ClientRecord } from "@/lib/oauth/store";
import { s256 } from "@/lib/oauth/pkce";
import { hashToken } from "@/lib/oauth/tokens";
import { postgresHarness, stopPostgres, type StoreHarness } from "./harness";

const USER = { id: "user-rt", email: "rt@example.test", password: "correct horse battery", name: "Round Trip" };
const CLIENT: ClientRecord = {
  id: "rt-app",
  name: "Round Trip App",
  type: "confidential",
  status: "active",
  grantTypes: ["authorization_code", "refresh_token"],
  scopes: ["openid", "offline_access"],
  redirectUris: ["https://app.example.test/callback"],
  webOrigins: [],
  secrets: [],
  source: "portal",
  defaultScopes: [],
  metadataExpiresAt: null,
};
const at = new Date("2026-12-01T12:00:00.000Z");
const later = new Date(at.getTime() + 86_400_000);

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
    await h.addClient(CLIENT);
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

  it("rotates 20 refresh tokens asked at once in one query; a rotation that fails there fails alone", async () => {
    const { store } = h;
    const grant = await store.saveGrant(USER.id, CLIENT.id, ["openid", "offline_access"], at);
    await store.createTokenFamily({ id: "family-rt", clientId: CLIENT.id, userId: USER.id, grantId: grant.id }, at);
    const tokens = Array.from({ length: 20 }, (_, i) => `rt-${i}`);
    for (const t of tokens) {
      await store.saveRefreshToken(hashToken(t), {
        familyId: "family-rt", clientId: CLIENT.id, userId: USER.id, grantId: grant.id, scope: ["openid", "offline_access"],
        resource: [], authTime: at, nonce: null, expiresAt: later,
      });
    }
    const redeem = (t: string, next: string) => store.redeemRefreshToken(hashToken(t), CLIENT.id, hashToken(next), later, at);
    let results: Awaited<ReturnType<typeof redeem>>[] = [];
    const trips = await roundTrips(async () => {
      results = await Promise.all(tokens.slice(0, 10).map((t) => redeem(t, `${t}-next`)));
    });
    expect(trips).toBe(1);
    expect(results.map((r) => r?.id)).toEqual(tokens.slice(0, 10).map((t) => hashToken(t)));
    expect(results.every((r) => r !== null && r.rotatedAt?.getTime() === at.getTime() && r.user?.sub === USER.id)).toBe(true);
    // rt-10's successor would take an id already in use (rt-11's): the batch fails, and each
    // rotation is retried alone, so only that one fails.
    const settled = await Promise.allSettled(tokens.slice(10).map((t, i) => redeem(t, i === 0 ? "rt-11" : `${t}-next`)));
    expect(settled.map((r) => r.status)).toEqual(["rejected", ...Array(9).fill("fulfilled")]);
    expect((await store.findRefreshTokenUse(hashToken("rt-10")))!.rotatedAt).toBeNull();
    for (const t of tokens.filter((t) => t !== "rt-10")) {
      expect((await store.findRefreshTokenUse(hashToken(`${t}-next`)))?.familyId).toBe("family-rt");
    }
  });

  it("exchanges 10 codes asked at once in one query, each into its own family and refresh token", async () => {
    const { store } = h;
    const grant = await store.saveGrant(USER.id, CLIENT.id, ["openid", "offline_access"], at);
    const codes = Array.from({ length: 10 }, (_, i) => ({ code: `code-${i}`, verifier: `verifier-${i}-${"v".repeat(43)}` }));
    for (const c of codes) {
      await store.saveAuthorizationCode(hashToken(c.code), {
        clientId: CLIENT.id, userId: USER.id, grantId: grant.id, redirectUri: CLIENT.redirectUris[0]!,
        scope: ["openid", "offline_access"], codeChallenge: s256(c.verifier), codeChallengeMethod: "S256", nonce: c.code,
        resource: [], authTime: at, expiresAt: new Date(at.getTime() + 60_000),
      });
    }
    // The last one presents another code's verifier: PKCE refuses it, the others are unaffected.
    const redeem = (c: (typeof codes)[number], i: number) =>
      store.redeemAuthorizationCode(
        hashToken(c.code),
        {
          clientId: CLIENT.id, redirectUri: CLIENT.redirectUris[0]!, codeVerifier: i === 9 ? codes[0]!.verifier : c.verifier,
          familyId: `family-${i}`, refresh: { hash: hashToken(`rt-of-${c.code}`), expiresAt: later },
        },
        at,
      );
    let results: Awaited<ReturnType<typeof redeem>>[] = [];
    expect(await roundTrips(async () => (results = await Promise.all(codes.map(redeem))))).toBe(1);
    expect(results.map((r) => r?.nonce ?? null)).toEqual([...codes.slice(0, 9).map((c) => c.code), null]);
    expect(results.slice(0, 9).every((r) => r!.refreshTokenStored && r!.user?.sub === USER.id)).toBe(true);
    for (const [i, c] of codes.slice(0, 9).entries()) {
      expect((await store.findRefreshTokenUse(hashToken(`rt-of-${c.code}`)))?.familyId).toBe(`family-${i}`);
    }
    expect(await store.findRefreshTokenUse(hashToken("rt-of-code-9"))).toBeNull();
  });

  it("sends checks asked in later turns as queries of their own", async () => {
    const { store } = h;
    const trips = await roundTrips(async () => {
      for (let i = 0; i < 3; i++) expect(await store.isAccessTokenRevokedAnywhere(`jti-${i}`, null, null)).toBe(false);
    });
    expect(trips).toBe(3);
  });
});
