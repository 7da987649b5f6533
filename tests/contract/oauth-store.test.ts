// The store contract: every implementation (memory, SQLite, PostgreSQL) must answer
// these the same way, including under concurrency and from two instances at once.
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { publishInvalidation } from "@/lib/data/cache-bus";
import { s256 } from "@/lib/oauth/pkce";
import type {
  ClientRecord,
  CodeRedemption,
  NewAuthorizationCode,
  NewDeviceAuthorization,
  NewRefreshToken,
  OAuthStore,
  StoreLifecycle,
} from "@/lib/oauth/store";
import { hashToken, newTokenId } from "@/lib/oauth/tokens";
import { HARNESSES, stopPostgres, type StoreHarness, type TestUser } from "./harness";

const ALICE: TestUser = { id: "user-alice", email: "alice@example.test", password: "correct horse battery", name: "Alice" };

const CLIENT: ClientRecord = {
  id: "contract-app",
  name: "Contract App",
  type: "confidential",
  status: "active",
  grantTypes: ["authorization_code", "refresh_token"],
  scopes: ["openid", "profile", "offline_access"],
  redirectUris: ["https://app.example.test/z-callback", "https://app.example.test/a-callback"],
  webOrigins: ["https://spa.example.test", "http://localhost:5173"],
  secrets: [
    { id: "secret-live", hash: hashToken("live"), expiresAt: null, revokedAt: null },
    { id: "secret-old", hash: hashToken("old"), expiresAt: new Date("2030-01-01T00:00:00.000Z"), revokedAt: null },
    { id: "secret-revoked", hash: hashToken("gone"), expiresAt: null, revokedAt: new Date("2026-01-01T00:00:00.000Z") },
  ],
  source: "registration",
  defaultScopes: ["openid", "profile"],
  metadataExpiresAt: new Date("2030-06-01T00:00:00.000Z"),
  tokensEndedAt: new Date("2026-02-03T04:05:06.789Z"),
};

const NOTES_API = { identifier: "https://notes.example.test/mcp", name: "Notes MCP", scopes: ["notes:read"], accessTokenTtl: 600 };
const CALENDAR_API = { identifier: "https://calendar.example.test/", name: "Calendar", scopes: [], accessTokenTtl: null };

const at = new Date("2026-11-30T12:00:00.000Z");

function newCode(grantId: string | null): NewAuthorizationCode {
  return {
    clientId: CLIENT.id,
    userId: ALICE.id,
    grantId,
    redirectUri: CLIENT.redirectUris[0]!,
    scope: ["openid", "offline_access"],
    codeChallenge: "challenge",
    codeChallengeMethod: "S256",
    nonce: "n-1",
    resource: [NOTES_API.identifier, CALENDAR_API.identifier],
    authTime: at,
    expiresAt: new Date(at.getTime() + 60_000),
  };
}

function newRefresh(familyId: string, grantId: string | null): NewRefreshToken {
  return {
    familyId,
    clientId: CLIENT.id,
    userId: ALICE.id,
    grantId,
    scope: ["openid", "offline_access"],
    resource: [NOTES_API.identifier],
    authTime: at,
    nonce: null,
    expiresAt: new Date(at.getTime() + 86_400_000),
  };
}

function newDevice(): NewDeviceAuthorization {
  return {
    clientId: CLIENT.id,
    scope: ["openid", "offline_access"],
    resource: [NOTES_API.identifier],
    interval: 5,
    expiresAt: new Date(at.getTime() + 600_000),
  };
}

/** A device authorization approved by Alice: its code hashes and grant. */
async function approvedDevice(store: OAuthStore, name = "device") {
  const grant = await store.saveGrant(ALICE.id, CLIENT.id, ["openid", "offline_access"], at);
  const deviceHash = hashToken(`${name}-device-code`);
  const userHash = hashToken(`${name}-user-code`);
  await store.saveDeviceAuthorization(deviceHash, userHash, newDevice());
  const decided = await store.decideDeviceAuthorization(
    userHash,
    { status: "approved", userId: ALICE.id, grantId: grant.id, authTime: at, sessionId: `sid-${name}` },
    at,
  );
  expect(decided).toBe(true);
  return { deviceHash, userHash, grant };
}

/** A code exchanged once: its grant, family and first refresh token. */
async function exchangedCode(store: OAuthStore) {
  const grant = await store.saveGrant(ALICE.id, CLIENT.id, ["openid", "offline_access"], at);
  const codeHash = hashToken(newTokenId());
  await store.saveAuthorizationCode(codeHash, newCode(grant.id));
  const familyId = newTokenId();
  await store.consumeAuthorizationCode(codeHash, familyId, at);
  const refreshHash = hashToken(newTokenId());
  await store.saveRefreshToken(refreshHash, newRefresh(familyId, grant.id));
  return { grant, codeHash, familyId, refreshHash };
}

afterAll(stopPostgres);

describe.each(HARNESSES)("OAuth store contract: $name", (factory) => {
  if (factory.unavailable !== null) {
    if (process.env.CI) throw new Error(`${factory.name} store contract cannot run in CI: ${factory.unavailable}`);
    it.skip(`skipped: ${factory.unavailable}`, () => {});
    return;
  }

  let h: StoreHarness;
  let store: OAuthStore & StoreLifecycle;

  beforeEach(async () => {
    h = await factory.create();
    store = h.store;
    await h.addUser(ALICE);
    await h.addClient(CLIENT);
    await h.addApi(NOTES_API);
    await h.addApi(CALENDAR_API);
  });

  afterEach(async () => {
    await h.close();
  });

  it("reads a client with its redirect URIs in registration order, its web origins and only unrevoked secrets", async () => {
    const client = await store.getClient(CLIENT.id);
    expect(client).toMatchObject({ id: CLIENT.id, name: "Contract App", type: "confidential", status: "active" });
    expect(client!.grantTypes).toEqual(CLIENT.grantTypes);
    expect(client!.scopes).toEqual(CLIENT.scopes);
    expect(client!.redirectUris).toEqual(CLIENT.redirectUris);
    expect(client!.webOrigins).toEqual(CLIENT.webOrigins);
    expect(client!.secrets.map((s) => s.id).sort()).toEqual(["secret-live", "secret-old"]);
    expect(client!.secrets.find((s) => s.id === "secret-old")!.expiresAt).toEqual(new Date("2030-01-01T00:00:00.000Z"));
    expect(client!.secrets.find((s) => s.id === "secret-live")!.hash).toBe(hashToken("live"));
    expect(client).toMatchObject({ source: "registration", defaultScopes: ["openid", "profile"] });
    expect(client!.metadataExpiresAt).toEqual(new Date("2030-06-01T00:00:00.000Z"));
    expect(client!.tokensEndedAt).toEqual(new Date("2026-02-03T04:05:06.789Z"));
    expect(await store.getClient("no-such-app")).toBeNull();
  });

  it("reads a registered API by its identifier, and sees a new one once published", async () => {
    expect(await store.getApi(NOTES_API.identifier)).toEqual(NOTES_API);
    expect(await store.getApi(CALENDAR_API.identifier)).toEqual(CALENDAR_API);
    expect(await store.getApi("https://unknown.example.test/")).toBeNull();
    const later = { identifier: "https://later.example.test/api", name: "Later", scopes: ["a", "b"], accessTokenTtl: 60 };
    expect(await store.getApi(later.identifier)).toBeNull();
    await h.addApi(later);
    publishInvalidation("apis");
    expect(await store.getApi(later.identifier)).toEqual(later);
  });

  it("keeps the resource indicators of a code and of a rotated refresh token", async () => {
    const { familyId, grant, codeHash } = await exchangedCode(store);
    expect((await store.consumeAuthorizationCode(codeHash, "unused", at))!.resource).toEqual([
      NOTES_API.identifier,
      CALENDAR_API.identifier,
    ]);
    const first = hashToken("rt-resource");
    await store.saveRefreshToken(first, newRefresh(familyId, grant.id));
    expect((await store.findRefreshTokenUse(first))!.resource).toEqual([NOTES_API.identifier]);
    const next = hashToken("rt-resource-next");
    expect(await store.rotateRefreshToken(first, next, { ...newRefresh(familyId, grant.id), resource: [] }, at)).toBe(true);
    expect((await store.findRefreshToken(next))!.resource).toEqual([]);
  });

  it("keeps a code's session, acr, amr and claims request, and a refresh token's through rotation", async () => {
    const claims = JSON.stringify({ id_token: { acr: { essential: true, values: ["urn:x"] } }, userinfo: { "name": null } });
    const context = { sessionId: "sid-1", acr: "urn:latchkey:acr:password", amr: ["pwd", "otp"], claims };
    const grant = await store.saveGrant(ALICE.id, CLIENT.id, ["openid"], at);
    const codeHash = hashToken("code-context");
    await store.saveAuthorizationCode(codeHash, { ...newCode(grant.id), ...context });
    expect(await store.consumeAuthorizationCode(codeHash, "family-context", at)).toMatchObject(context);
    expect(await store.consumeAuthorizationCode(codeHash, "family-replay", at)).toMatchObject(context);

    const first = hashToken("rt-context");
    await store.saveRefreshToken(first, { ...newRefresh("family-context", grant.id), ...context });
    expect(await store.findRefreshTokenUse(first)).toMatchObject(context);
    const next = hashToken("rt-context-next");
    expect(await store.rotateRefreshToken(first, next, { ...newRefresh("family-context", grant.id), ...context }, at)).toBe(true);
    expect(await store.findRefreshToken(next)).toMatchObject(context);
  });

  it("reads an absent authentication context as null and empty", async () => {
    const { codeHash, refreshHash } = await exchangedCode(store);
    const none = { sessionId: null, acr: null, amr: [], claims: null };
    expect(await store.consumeAuthorizationCode(codeHash, "unused", at)).toMatchObject(none);
    expect(await store.findRefreshTokenUse(refreshHash)).toMatchObject(none);
  });

  it("reads the OIDC standard claims of a user, leaving out those without a value", async () => {
    await h.setUserProfile(ALICE.id, {
      givenName: "Alice",
      familyName: "Liddell",
      middleName: "Pleasance",
      nickname: "Al",
      preferredUsername: "alice",
      profileUrl: "https://example.test/alice",
      image: "https://example.test/alice.png",
      website: "https://alice.example.test",
      gender: "female",
      birthdate: "1852-05-04",
      zoneinfo: "Europe/London",
      locale: "en-GB",
      phoneNumber: "+44 1865 000000",
      phoneNumberVerified: true,
      address: JSON.stringify({ street_address: "Christ Church", locality: "Oxford", country: "UK", region: "", extra: 1 }),
      emailVerified: at,
    });
    const claims = await store.getUserClaims(ALICE.id);
    expect(claims).toMatchObject({
      sub: ALICE.id,
      name: "Alice",
      given_name: "Alice",
      family_name: "Liddell",
      middle_name: "Pleasance",
      nickname: "Al",
      preferred_username: "alice",
      profile: "https://example.test/alice",
      picture: "https://example.test/alice.png",
      website: "https://alice.example.test",
      gender: "female",
      birthdate: "1852-05-04",
      zoneinfo: "Europe/London",
      locale: "en-GB",
      email: ALICE.email,
      email_verified: true,
      phone_number: "+44 1865 000000",
      phone_number_verified: true,
    });
    expect(claims!.address).toEqual({ street_address: "Christ Church", locality: "Oxford", country: "UK" });
    // The same claims come joined to a code.
    const grant = await store.saveGrant(ALICE.id, CLIENT.id, ["openid"], at);
    await store.saveAuthorizationCode(hashToken("code-claims"), newCode(grant.id));
    expect((await store.consumeAuthorizationCode(hashToken("code-claims"), "f-claims", at))!.user).toEqual(claims);

    await h.setUserProfile(ALICE.id, { givenName: "", phoneNumber: "", address: "not json" });
    const cleared = await store.getUserClaims(ALICE.id);
    for (const absent of ["given_name", "phone_number", "phone_number_verified", "address"]) expect(cleared).not.toHaveProperty(absent);
  });

  it("shows a suspension at once after the change is published", async () => {
    expect((await store.getClient(CLIENT.id))!.status).toBe("active");
    await h.setClientStatus(CLIENT.id, "suspended");
    publishInvalidation("clients");
    expect((await store.getClient(CLIENT.id))!.status).toBe("suspended");
  });

  it("checks a user's password, ignoring the email's case", async () => {
    expect(await store.verifyUserPassword("Alice@Example.test", ALICE.password)).toBe(ALICE.id);
    expect(await store.verifyUserPassword(ALICE.email, "wrong password")).toBeNull();
    expect(await store.verifyUserPassword("nobody@example.test", ALICE.password)).toBeNull();
  });

  it("refuses the right password of a blocked user", async () => {
    await h.blockUser(ALICE.id);
    expect(await store.verifyUserPassword(ALICE.email, ALICE.password)).toBeNull();
  });

  it("reads user claims", async () => {
    const claims = await store.getUserClaims(ALICE.id);
    expect(claims).toMatchObject({ sub: ALICE.id, email: ALICE.email, email_verified: false, name: "Alice" });
    expect(typeof claims!.updated_at).toBe("number");
    expect(await store.getUserClaims("nobody")).toBeNull();
  });

  it("adds consented scopes to one grant, and forgets a revoked grant", async () => {
    const first = await store.saveGrant(ALICE.id, CLIENT.id, ["openid"], at);
    const second = await store.saveGrant(ALICE.id, CLIENT.id, ["profile", "openid"], at);
    expect(second.id).toBe(first.id);
    expect(second.scopes.sort()).toEqual(["openid", "profile"]);
    expect(await store.getGrant(ALICE.id, CLIENT.id)).toMatchObject({ id: first.id, resources: [] });
    expect((await store.getGrant(ALICE.id, CLIENT.id))!.scopes.sort()).toEqual(["openid", "profile"]);
    await h.revokeGrant(first.id);
    expect(await store.getGrant(ALICE.id, CLIENT.id)).toBeNull();
  });

  it("records the APIs a user allowed on the grant, adding to them like scopes", async () => {
    const first = await store.saveGrant(ALICE.id, CLIENT.id, ["notes:read"], at, ["https://notes.example"]);
    expect(first.resources).toEqual(["https://notes.example"]);
    const second = await store.saveGrant(ALICE.id, CLIENT.id, ["notes:read"], at, ["https://mcp.example/mcp", "https://notes.example"]);
    expect(second.id).toBe(first.id);
    expect(second.resources.sort()).toEqual(["https://mcp.example/mcp", "https://notes.example"]);
    await store.saveGrant(ALICE.id, CLIENT.id, ["openid"], at);
    const read = (await store.getGrant(ALICE.id, CLIENT.id))!;
    expect(read.scopes.sort()).toEqual(["notes:read", "openid"]);
    expect(read.resources.sort()).toEqual(["https://mcp.example/mcp", "https://notes.example"]);
  });

  it("makes one grant when two instances record the first consent at once", async () => {
    const other = h.openAnother();
    const saved = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? other : store).saveGrant(ALICE.id, CLIENT.id, [`s${i}`], at)),
    );
    expect(new Set(saved.map((g) => g.id)).size).toBe(1);
    expect((await store.getGrant(ALICE.id, CLIENT.id))!.scopes.sort()).toEqual(Array.from({ length: 10 }, (_, i) => `s${i}`).sort());
  });

  it("consumes a code once, creating its token family, and tells a replay which family to revoke", async () => {
    const grant = await store.saveGrant(ALICE.id, CLIENT.id, ["openid"], at);
    const codeHash = hashToken("code-1");
    await store.saveAuthorizationCode(codeHash, newCode(grant.id));

    const first = await store.consumeAuthorizationCode(codeHash, "family-1", at);
    expect(first).toMatchObject({ consumedAt: null, familyId: null, clientId: CLIENT.id, grantActive: true, nonce: "n-1" });
    expect(first!.user).toMatchObject({ sub: ALICE.id, email: ALICE.email });
    expect(first!.redirectUri).toBe(CLIENT.redirectUris[0]);
    expect(first!.scope).toEqual(["openid", "offline_access"]);
    expect(first!.expiresAt).toEqual(new Date(at.getTime() + 60_000));
    // The family exists: a refresh token can join it.
    await store.saveRefreshToken(hashToken("rt-1"), newRefresh("family-1", grant.id));

    const replay = await store.consumeAuthorizationCode(codeHash, "family-2", at);
    expect(replay!.consumedAt).toEqual(at);
    expect(replay!.familyId).toBe("family-1");
    expect(await store.consumeAuthorizationCode(hashToken("unknown"), "family-3", at)).toBeNull();
  });

  it("lets exactly one of 50 concurrent redemptions on two instances win", async () => {
    const other = h.openAnother();
    const codeHash = hashToken("raced-code");
    await store.saveAuthorizationCode(codeHash, newCode(null));
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => (i % 2 ? other : store).consumeAuthorizationCode(codeHash, `family-${i}`, at)),
    );
    const winners = results.filter((r) => r!.consumedAt === null);
    expect(winners).toHaveLength(1);
    const winnerFamily = `family-${results.findIndex((r) => r!.consumedAt === null)}`;
    for (const r of results) if (r!.consumedAt !== null) expect(r!.familyId).toBe(winnerFamily);
  });

  describe("redeeming a code in one step", () => {
    const verifier = "v".repeat(43);
    const challenged = (grantId: string | null, fields: Partial<NewAuthorizationCode> = {}): NewAuthorizationCode => ({
      ...newCode(grantId),
      codeChallenge: s256(verifier),
      ...fields,
    });
    const refreshExpiry = new Date(at.getTime() + 30 * 86_400_000);
    const redemption = (fields: Partial<CodeRedemption> = {}): CodeRedemption => ({
      clientId: CLIENT.id,
      redirectUri: CLIENT.redirectUris[0]!,
      codeVerifier: verifier,
      familyId: newTokenId(),
      refresh: { hash: hashToken(newTokenId()), expiresAt: refreshExpiry },
      ...fields,
    });

    it("consumes the code, creates its family and stores the first refresh token, a copy of the code", async () => {
      const context = { sessionId: "sid-code", acr: "urn:latchkey:acr:password", amr: ["pwd"], claims: JSON.stringify({ id_token: { name: null } }) };
      const grant = await store.saveGrant(ALICE.id, CLIENT.id, ["openid", "offline_access"], at);
      const codeHash = hashToken("code-redeem");
      await store.saveAuthorizationCode(codeHash, challenged(grant.id, context));
      const r = redemption();
      const copied = {
        clientId: CLIENT.id, userId: ALICE.id, grantId: grant.id, scope: ["openid", "offline_access"],
        resource: [NOTES_API.identifier, CALENDAR_API.identifier], authTime: at, nonce: "n-1", ...context,
      };

      const used = await store.redeemAuthorizationCode(codeHash, r, at);
      expect(used).toMatchObject({ ...copied, consumedAt: at, familyId: r.familyId, grantActive: true, refreshTokenStored: true });
      expect(used!.user!.email).toBe(ALICE.email);
      expect(await store.findRefreshTokenUse(r.refresh!.hash)).toMatchObject({
        ...copied,
        familyId: r.familyId,
        expiresAt: refreshExpiry,
        rotatedAt: null,
        revokedAt: null,
        familyRevoked: false,
        grantActive: true,
      });
      // A replay finds the code consumed, with the family to revoke.
      expect(await store.consumeAuthorizationCode(codeHash, "family-replay", at)).toMatchObject({ consumedAt: at, familyId: r.familyId });
      const again = redemption();
      expect(await store.redeemAuthorizationCode(codeHash, again, at)).toBeNull();
      expect(await store.findRefreshToken(again.refresh!.hash)).toBeNull();
    });

    it("redeems a code recorded without redirect_uri (\"\": the request named none) with or without one, and a code with one only with it", async () => {
      const grant = await store.saveGrant(ALICE.id, CLIENT.id, ["notes:read"], at);
      for (const sent of ["", CLIENT.redirectUris[0]!]) {
        const codeHash = hashToken(`code-no-redirect-${sent}`);
        await store.saveAuthorizationCode(codeHash, challenged(grant.id, { redirectUri: "" }));
        expect(await store.redeemAuthorizationCode(codeHash, redemption({ redirectUri: sent }), at)).toMatchObject({ redirectUri: "" });
      }
      const named = hashToken("code-named-redirect");
      await store.saveAuthorizationCode(named, challenged(grant.id));
      expect(await store.redeemAuthorizationCode(named, redemption({ redirectUri: "" }), at)).toBeNull();
      expect(await store.redeemAuthorizationCode(named, redemption(), at)).toMatchObject({ redirectUri: CLIENT.redirectUris[0] });
    });

    it("stores no refresh token for openid without offline_access, or for a client without the refresh grant", async () => {
      const grant = await store.saveGrant(ALICE.id, CLIENT.id, ["openid", "profile", "notes:read"], at);
      const cases = [
        { scope: ["openid", "profile"], refresh: true, stored: false },
        { scope: ["notes:read"], refresh: false, stored: false },
        { scope: ["notes:read"], refresh: true, stored: true },
      ];
      for (const [i, c] of cases.entries()) {
        const codeHash = hashToken(`code-scope-${i}`);
        await store.saveAuthorizationCode(codeHash, challenged(grant.id, { scope: c.scope }));
        const r = redemption(c.refresh ? {} : { refresh: null });
        expect(await store.redeemAuthorizationCode(codeHash, r, at)).toMatchObject({ scope: c.scope, refreshTokenStored: c.stored });
        if (r.refresh !== null) expect((await store.findRefreshToken(r.refresh.hash)) !== null).toBe(c.stored);
        // The family exists either way: a token can join it.
        await store.saveRefreshToken(hashToken(`joins-${i}`), newRefresh(r.familyId, grant.id));
      }
    });

    it("refuses, writing nothing, an unknown code, another client's, an expired one, another redirect_uri, a failed PKCE check, a revoked grant or an unregistered API", async () => {
      const grant = await store.saveGrant(ALICE.id, CLIENT.id, ["openid", "offline_access"], at);
      const refused = async (codeHash: string, r: CodeRedemption, now = at) => {
        expect(await store.redeemAuthorizationCode(codeHash, r, now)).toBeNull();
        expect(await store.findRefreshToken(r.refresh!.hash)).toBeNull();
      };
      /** The code was still unconsumed (this consumes it, as the handler's fallback does). */
      const unconsumed = async (codeHash: string) =>
        expect((await store.consumeAuthorizationCode(codeHash, newTokenId(), at))!.consumedAt).toBeNull();
      const codeHash = hashToken("code-refused");
      await store.saveAuthorizationCode(codeHash, challenged(grant.id));
      await refused(hashToken("no-such-code"), redemption());
      await refused(codeHash, redemption({ clientId: "another-app" }));
      await refused(codeHash, redemption(), new Date(at.getTime() + 60_000)); // its expiry
      await refused(codeHash, redemption({ redirectUri: CLIENT.redirectUris[1]! }));
      await refused(codeHash, redemption({ codeVerifier: "w".repeat(43) }));
      await refused(codeHash, redemption({ codeVerifier: null }));
      // RFC 9700 §2.1.1: a verifier for a code issued without a challenge.
      const plainHash = hashToken("code-without-pkce");
      await store.saveAuthorizationCode(plainHash, challenged(grant.id, { codeChallenge: null, codeChallengeMethod: null }));
      await refused(plainHash, redemption());
      const plainMethod = hashToken("code-plain-method");
      await store.saveAuthorizationCode(plainMethod, challenged(grant.id, { codeChallenge: verifier, codeChallengeMethod: "plain" }));
      await refused(plainMethod, redemption());
      await unconsumed(plainMethod);
      const goneApi = { identifier: "https://gone.example.test/api", name: "Gone", scopes: [], accessTokenTtl: null };
      const gone = hashToken("code-unknown-api");
      await store.saveAuthorizationCode(gone, challenged(grant.id, { resource: [NOTES_API.identifier, goneApi.identifier] }));
      await refused(gone, redemption());
      await h.addApi(goneApi);
      publishInvalidation("apis");
      expect(await store.redeemAuthorizationCode(gone, redemption(), at)).not.toBeNull();

      // None of those consumed anything: the right requests still redeem.
      expect(await store.redeemAuthorizationCode(codeHash, redemption(), at)).not.toBeNull();
      expect(await store.redeemAuthorizationCode(plainHash, redemption({ codeVerifier: null }), at)).not.toBeNull();

      const revoked = hashToken("code-revoked-grant");
      await store.saveAuthorizationCode(revoked, challenged(grant.id));
      await h.revokeGrant(grant.id);
      await refused(revoked, redemption());
      await unconsumed(revoked);
      // A code without a grant needs none.
      const noGrant = hashToken("code-no-grant");
      await store.saveAuthorizationCode(noGrant, challenged(null));
      expect(await store.redeemAuthorizationCode(noGrant, redemption(), at)).toMatchObject({ grantId: null, grantActive: true });
    });

    it("redeems a code exactly once under 40 concurrent redemptions from two instances", async () => {
      const other = h.openAnother();
      const codeHash = hashToken("code-raced");
      await store.saveAuthorizationCode(codeHash, challenged(null));
      const attempts = Array.from({ length: 40 }, () => redemption());
      const results = await Promise.all(attempts.map((r, i) => (i % 2 ? other : store).redeemAuthorizationCode(codeHash, r, at)));
      expect(results.filter((r) => r !== null)).toHaveLength(1);
      const winner = results.findIndex((r) => r !== null);
      const stored = await Promise.all(attempts.map((r) => store.findRefreshToken(r.refresh!.hash)));
      expect(stored.map((t) => t !== null)).toEqual(attempts.map((_, i) => i === winner));
    });
  });

  it("revokes what the first exchange issued when a replay revokes the family", async () => {
    const { familyId, refreshHash, grant } = await exchangedCode(store);
    await store.revokeTokenFamily(familyId, at);
    const use = await store.findRefreshTokenUse(refreshHash);
    expect(use!.familyRevoked).toBe(true);
    expect(use!.revokedAt).not.toBeNull();
    expect(await store.isAccessTokenRevokedAnywhere("jti-x", familyId, grant.id)).toBe(true);
    // A token the winner stores after the revocation is refused too.
    const late = hashToken("late");
    await store.saveRefreshToken(late, newRefresh(familyId, grant.id));
    expect((await store.findRefreshTokenUse(late))!.familyRevoked).toBe(true);
  });

  it("reads a refresh token with its family, grant and user in one answer", async () => {
    const { refreshHash, familyId, grant } = await exchangedCode(store);
    const use = await store.findRefreshTokenUse(refreshHash);
    expect(use).toMatchObject({ id: refreshHash, familyId, clientId: CLIENT.id, userId: ALICE.id, grantId: grant.id });
    expect(use).toMatchObject({ familyRevoked: false, grantActive: true, rotatedAt: null, revokedAt: null, nonce: null });
    expect(use!.authTime).toEqual(at);
    expect(use!.user!.email).toBe(ALICE.email);
    expect((await store.findRefreshToken(refreshHash))!.familyId).toBe(familyId);
    expect(await store.findRefreshTokenUse(hashToken("nope"))).toBeNull();
    await h.revokeGrant(grant.id);
    expect((await store.findRefreshTokenUse(refreshHash))!.grantActive).toBe(false);
  });

  it("rotates a refresh token exactly once under 40 concurrent uses from two instances", async () => {
    const other = h.openAnother();
    const { refreshHash, familyId, grant } = await exchangedCode(store);
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        (i % 2 ? other : store).rotateRefreshToken(refreshHash, hashToken(`next-${i}`), newRefresh(familyId, grant.id), at),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = results.indexOf(true);
    expect((await store.findRefreshTokenUse(hashToken(`next-${winner}`)))!.rotatedAt).toBeNull();
    expect((await store.findRefreshToken(refreshHash))!.rotatedAt).toEqual(at);
    expect(await store.findRefreshToken(hashToken(`next-${(winner + 1) % 40}`))).toBeNull();
  });

  it("redeems a refresh token in one step: returns it with its user, rotates it, stores a copy with the new expiry", async () => {
    const context = { sessionId: "sid-redeem", acr: "urn:latchkey:acr:password", amr: ["pwd"], claims: JSON.stringify({ userinfo: { name: null } }) };
    const { familyId, grant } = await exchangedCode(store);
    const first = hashToken("rt-redeem");
    await store.saveRefreshToken(first, { ...newRefresh(familyId, grant.id), nonce: "n-9", ...context });
    const later = new Date(at.getTime() + 1000);
    const expiresAt = new Date(at.getTime() + 7 * 86_400_000);
    const copied = { familyId, clientId: CLIENT.id, userId: ALICE.id, grantId: grant.id, scope: ["openid", "offline_access"], resource: [NOTES_API.identifier], authTime: at, nonce: "n-9", ...context };

    const used = await store.redeemRefreshToken(first, CLIENT.id, hashToken("rt-redeem-next"), expiresAt, later);
    expect(used).toMatchObject({ ...copied, id: first, familyRevoked: false, grantActive: true, rotatedAt: later, revokedAt: null });
    expect(used!.user!.email).toBe(ALICE.email);
    expect((await store.findRefreshToken(first))!.rotatedAt).toEqual(later);
    expect(await store.findRefreshTokenUse(hashToken("rt-redeem-next"))).toMatchObject({
      ...copied,
      expiresAt,
      rotatedAt: null,
      revokedAt: null,
      familyRevoked: false,
      grantActive: true,
    });

    // Redeemed once: a second redemption is refused and stores nothing.
    expect(await store.redeemRefreshToken(first, CLIENT.id, hashToken("rt-redeem-again"), expiresAt, later)).toBeNull();
    expect(await store.findRefreshToken(hashToken("rt-redeem-again"))).toBeNull();
  });

  it("refuses to redeem, writing nothing, an unknown token, another client's, an expired one, one naming an unregistered API, or one of a revoked family or grant", async () => {
    const expiresAt = new Date(at.getTime() + 2 * 86_400_000);
    const refused = async (tokenHash: string, clientId = CLIENT.id, now = at) => {
      const successor = hashToken(newTokenId());
      expect(await store.redeemRefreshToken(tokenHash, clientId, successor, expiresAt, now)).toBeNull();
      expect(await store.findRefreshToken(successor)).toBeNull();
    };
    const { refreshHash, grant } = await exchangedCode(store);
    await refused(hashToken("no-such-token"));
    await refused(refreshHash, "another-app");
    await refused(refreshHash, CLIENT.id, new Date(at.getTime() + 86_400_000)); // its expiry
    expect((await store.findRefreshToken(refreshHash))!.rotatedAt).toBeNull();

    const revokedFamily = await exchangedCode(store);
    await store.revokeTokenFamily(revokedFamily.familyId, at);
    await refused(revokedFamily.refreshHash);
    // A token stored in the family after its revocation is not revoked itself: the family refuses it.
    const late = hashToken("redeem-late");
    await store.saveRefreshToken(late, newRefresh(revokedFamily.familyId, grant.id));
    await refused(late);

    // A resource that is no longer a registered API: refused before the rotation, so the
    // token survives for a request that narrows to the APIs that remain.
    const live = await exchangedCode(store);
    const gone = hashToken("redeem-unknown-api");
    await store.saveRefreshToken(gone, { ...newRefresh(live.familyId, live.grant.id), resource: [NOTES_API.identifier, "https://gone.example.test/api"] });
    await refused(gone);
    expect((await store.findRefreshToken(gone))!.rotatedAt).toBeNull();

    await h.revokeGrant(grant.id);
    await refused(refreshHash);
    expect((await store.findRefreshToken(refreshHash))!.rotatedAt).toBeNull();

    // A token without a grant (the password grant's) needs none.
    const family = { id: "redeem-no-grant", clientId: CLIENT.id, userId: ALICE.id, grantId: null };
    await store.createTokenFamily(family, at);
    await store.saveRefreshToken(hashToken("redeem-no-grant"), newRefresh(family.id, null));
    expect(await store.redeemRefreshToken(hashToken("redeem-no-grant"), CLIENT.id, hashToken("redeem-no-grant-next"), expiresAt, at)).toMatchObject({
      grantId: null,
      grantActive: true,
    });
  });

  it("redeems a refresh token exactly once under 40 concurrent uses from two instances", async () => {
    const other = h.openAnother();
    const { refreshHash } = await exchangedCode(store);
    const expiresAt = new Date(at.getTime() + 2 * 86_400_000);
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        (i % 2 ? other : store).redeemRefreshToken(refreshHash, CLIENT.id, hashToken(`redeem-next-${i}`), expiresAt, at),
      ),
    );
    expect(results.filter((r) => r !== null)).toHaveLength(1);
    const winner = results.findIndex((r) => r !== null);
    const stored = await Promise.all(results.map((_, i) => store.findRefreshToken(hashToken(`redeem-next-${i}`))));
    expect(stored.map((t) => t !== null)).toEqual(results.map((_, i) => i === winner));
  });

  it("leaves no usable successor when rotation and family revocation race", async () => {
    const other = h.openAnother();
    const { refreshHash, familyId, grant } = await exchangedCode(store);
    const [rotated] = await Promise.all([
      store.rotateRefreshToken(refreshHash, hashToken("successor"), newRefresh(familyId, grant.id), at),
      other.revokeTokenFamily(familyId, at),
    ]);
    const successor = await store.findRefreshTokenUse(hashToken("successor"));
    if (rotated) expect(successor!.familyRevoked).toBe(true);
    else expect(successor).toBeNull();
  });

  it("revokes a family idempotently, also from two instances at once", async () => {
    const other = h.openAnother();
    const { familyId } = await exchangedCode(store);
    await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? other : store).revokeTokenFamily(familyId, at)));
    await store.revokeTokenFamily(familyId, at);
    await store.revokeTokenFamily("no-such-family", at);
    expect(await store.isAccessTokenRevokedAnywhere("jti", familyId, null)).toBe(true);
  });

  it("creates a token family idempotently", async () => {
    const family = { id: "password-family", clientId: CLIENT.id, userId: ALICE.id, grantId: null };
    await store.createTokenFamily(family, at);
    await store.createTokenFamily(family, at);
    await store.saveRefreshToken(hashToken("pw-rt"), newRefresh(family.id, null));
    expect((await store.findRefreshTokenUse(hashToken("pw-rt")))!.familyRevoked).toBe(false);
  });

  it("reads an access token's revocation and its user's claims in one answer", async () => {
    const { familyId, grant } = await exchangedCode(store);
    const alice = await store.getUserClaims(ALICE.id);
    expect(alice!.email).toBe(ALICE.email);
    expect(await store.readAccessTokenUser("jti-live", familyId, grant.id, ALICE.id)).toEqual({ revoked: false, user: alice });
    expect(await store.readAccessTokenUser("jti-live", null, null, "no-such-user")).toEqual({ revoked: false, user: null });
    await store.revokeAccessToken("jti-gone", new Date(at.getTime() + 3_600_000), at);
    expect(await store.readAccessTokenUser("jti-gone", null, null, ALICE.id)).toEqual({ revoked: true, user: alice });
    await store.revokeTokenFamily(familyId, at);
    expect(await store.readAccessTokenUser("jti-live", familyId, null, ALICE.id)).toEqual({ revoked: true, user: alice });
    await h.revokeGrant(grant.id);
    expect((await store.readAccessTokenUser("jti-live", null, grant.id, ALICE.id)).revoked).toBe(true);
    expect((await store.readAccessTokenUser("jti-live", null, "no-such-grant", ALICE.id)).revoked).toBe(true);
  });

  it("answers many access-token checks asked at once, each for its own token", async () => {
    // PostgreSQL sends checks asked in the same turn as one query: no answer may go to
    // another token, and a user's claims must stay with that token.
    const live = await exchangedCode(store);
    const familyGone = await exchangedCode(store);
    await store.revokeTokenFamily(familyGone.familyId, at);
    const exp = new Date(at.getTime() + 3_600_000);
    await store.revokeAccessToken("jti-revoked", exp, at);
    const alice = await store.getUserClaims(ALICE.id);
    const cases = [
      { jti: "jti-live", familyId: live.familyId, grantId: live.grant.id, revoked: false },
      { jti: "jti-revoked", familyId: live.familyId, grantId: live.grant.id, revoked: true },
      { jti: "jti-family", familyId: familyGone.familyId, grantId: familyGone.grant.id, revoked: true },
      { jti: "jti-grant", familyId: null, grantId: "removed-grant", revoked: true },
      { jti: "jti-cc", familyId: null, grantId: null, revoked: false },
      { jti: "jti-unknown-family", familyId: "no-such-family", grantId: null, revoked: true },
    ];
    const asked = Array.from({ length: 60 }, (_, i) => cases[i % cases.length]!);
    const answers = await Promise.all(asked.map((c) => store.isAccessTokenRevokedAnywhere(c.jti, c.familyId, c.grantId)));
    expect(answers).toEqual(asked.map((c) => c.revoked));
    const users = await Promise.all(
      asked.map((c, i) => store.readAccessTokenUser(c.jti, c.familyId, c.grantId, i % 3 === 0 ? "no-such-user" : ALICE.id)),
    );
    expect(users).toEqual(asked.map((c, i) => ({ revoked: c.revoked, user: i % 3 === 0 ? null : alice })));
  });

  it("revokes an access token idempotently, also from two instances at once", async () => {
    const other = h.openAnother();
    const exp = new Date(at.getTime() + 3_600_000);
    await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? other : store).revokeAccessToken("jti-1", exp, at)));
    expect(await store.isAccessTokenRevokedAnywhere("jti-1", null, null)).toBe(true);
    expect(await store.isAccessTokenRevokedAnywhere("jti-2", null, null)).toBe(false);
  });

  it("reports an access token revoked when its grant was removed", async () => {
    const { grant, familyId } = await exchangedCode(store);
    expect(await store.isAccessTokenRevokedAnywhere("jti", familyId, grant.id)).toBe(false);
    await h.revokeGrant(grant.id);
    expect(await store.isAccessTokenRevokedAnywhere("jti", familyId, grant.id)).toBe(true);
    expect(await store.isAccessTokenRevokedAnywhere("jti", "unknown-family", null)).toBe(true);
  });

  it("keeps a device authorization by its code hashes, and lets exactly one decision win (RFC 8628)", async () => {
    const deviceHash = hashToken("dc-1");
    const userHash = hashToken("UC000001");
    await store.saveDeviceAuthorization(deviceHash, userHash, newDevice());
    const found = await store.findDeviceAuthorizationByUserCode(userHash);
    expect(found).toMatchObject({
      clientId: CLIENT.id,
      scope: ["openid", "offline_access"],
      resource: [NOTES_API.identifier],
      status: "pending",
      userId: null,
      grantId: null,
      sessionId: null,
      authTime: null,
      interval: 5,
      lastPolledAt: null,
      consumedAt: null,
      familyId: null,
    });
    expect(found!.expiresAt).toEqual(new Date(at.getTime() + 600_000));
    expect(await store.findDeviceAuthorizationByUserCode(deviceHash)).toBeNull();
    await expect(store.saveDeviceAuthorization(hashToken("dc-2"), userHash, newDevice())).rejects.toThrow();

    const other = h.openAnother();
    const grant = await store.saveGrant(ALICE.id, CLIENT.id, ["openid"], at);
    const decisions = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        (i % 2 ? other : store).decideDeviceAuthorization(
          userHash,
          i % 3 ? { status: "approved", userId: ALICE.id, grantId: grant.id, authTime: at } : { status: "denied" },
          at,
        ),
      ),
    );
    expect(decisions.filter(Boolean)).toHaveLength(1);
    const decided = (await store.findDeviceAuthorizationByUserCode(userHash))!;
    if (decided.status === "approved") expect(decided).toMatchObject({ userId: ALICE.id, grantId: grant.id, authTime: at, sessionId: null });
    else expect(decided).toMatchObject({ status: "denied", userId: null });
  });

  it("refuses to decide an expired device authorization", async () => {
    const userHash = hashToken("UC000002");
    await store.saveDeviceAuthorization(hashToken("dc-3"), userHash, newDevice());
    expect(await store.decideDeviceAuthorization(userHash, { status: "denied" }, new Date(at.getTime() + 600_000))).toBe(false);
    expect((await store.findDeviceAuthorizationByUserCode(userHash))!.status).toBe("pending");
  });

  it("records polls and raises the interval by 5 s only for a poll sooner than it, from two instances", async () => {
    const other = h.openAnother();
    const deviceHash = hashToken("dc-poll");
    await store.saveDeviceAuthorization(deviceHash, hashToken("UC-poll"), newDevice());
    expect(await store.pollDeviceAuthorization(deviceHash, "another-app", at)).toBeNull();
    const first = await store.pollDeviceAuthorization(deviceHash, CLIENT.id, at);
    expect(first).toMatchObject({ slowDown: false, interval: 5, lastPolledAt: null, status: "pending" });
    const second = await other.pollDeviceAuthorization(deviceHash, CLIENT.id, new Date(at.getTime() + 4_000));
    expect(second).toMatchObject({ slowDown: true, interval: 5, lastPolledAt: at });
    const third = await store.pollDeviceAuthorization(deviceHash, CLIENT.id, new Date(at.getTime() + 14_000));
    expect(third).toMatchObject({ slowDown: false, interval: 10 });
    // Many polls at once: every one after the first is too soon.
    const burst = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        (i % 2 ? other : store).pollDeviceAuthorization(deviceHash, CLIENT.id, new Date(at.getTime() + 30_000)),
      ),
    );
    expect(burst.filter((p) => p!.slowDown)).toHaveLength(9);
    expect((await store.pollDeviceAuthorization(deviceHash, CLIENT.id, new Date(at.getTime() + 31_000)))!.interval).toBe(55);
    expect(await store.pollDeviceAuthorization(hashToken("unknown"), CLIENT.id, at)).toBeNull();
  });

  it("lets exactly one of 50 concurrent device-code redemptions on two instances win, creating its family", async () => {
    const other = h.openAnother();
    const { deviceHash, grant } = await approvedDevice(store);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => (i % 2 ? other : store).consumeDeviceAuthorization(deviceHash, `dfamily-${i}`, at)),
    );
    const winners = results.filter((r) => r !== null);
    expect(winners).toHaveLength(1);
    expect(winners[0]).toMatchObject({
      clientId: CLIENT.id,
      status: "approved",
      userId: ALICE.id,
      grantId: grant.id,
      authTime: at,
      sessionId: "sid-device",
      scope: ["openid", "offline_access"],
      resource: [NOTES_API.identifier],
      grantActive: true,
      user: { sub: ALICE.id, email: ALICE.email },
    });
    const familyId = `dfamily-${results.findIndex((r) => r !== null)}`;
    // The family exists: a refresh token can be stored in it, and revoking it is seen.
    await store.saveRefreshToken(hashToken("device-rt"), newRefresh(familyId, grant.id));
    expect(await store.isAccessTokenRevokedAnywhere("jti-d", familyId, grant.id)).toBe(false);
    const polled = await store.pollDeviceAuthorization(deviceHash, CLIENT.id, at);
    expect(polled!.consumedAt).toEqual(at);
    expect(polled!.familyId).toBe(familyId);
  });

  it("consumes no device authorization that is pending, denied, expired, or whose grant was removed", async () => {
    const pendingHash = hashToken("dc-pending");
    await store.saveDeviceAuthorization(pendingHash, hashToken("UC-pending"), newDevice());
    expect(await store.consumeDeviceAuthorization(pendingHash, "f-1", at)).toBeNull();
    const deniedHash = hashToken("dc-denied");
    await store.saveDeviceAuthorization(deniedHash, hashToken("UC-denied"), newDevice());
    await store.decideDeviceAuthorization(hashToken("UC-denied"), { status: "denied" }, at);
    expect(await store.consumeDeviceAuthorization(deniedHash, "f-2", at)).toBeNull();
    const expired = await approvedDevice(store, "expired");
    expect(await store.consumeDeviceAuthorization(expired.deviceHash, "f-3", new Date(at.getTime() + 600_000))).toBeNull();
    const revoked = await approvedDevice(store, "revoked");
    await h.revokeGrant(revoked.grant.id);
    expect(await store.consumeDeviceAuthorization(revoked.deviceHash, "f-4", at)).toMatchObject({ grantActive: false });
  });

  it("counts issued tokens exactly across instances and flushes", async () => {
    const other = h.openAnother();
    for (let i = 0; i < 7; i++) store.recordTokenIssued(CLIENT.id, at);
    for (let i = 0; i < 5; i++) other.recordTokenIssued(CLIENT.id, at);
    store.markSecretUsed("secret-live", at);
    await Promise.all([store.flush(), other.flush()]);
    for (let i = 0; i < 3; i++) store.recordTokenIssued(CLIENT.id, at);
    await store.flush();
    expect(await h.tokensCounted(CLIENT.id)).toBe(15);
  });
});
