import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "./helpers/server";

// A rotated key signs only this long after it is published. It must exceed what a client's
// cached JWKS can lag behind: here jose's default refetch cooldown (30 s) for a client that
// fetched the JWKS just before the rotation; in production also the JWKS max-age (60 s),
// hence the default of 600 s.
const ACTIVATION_DELAY = 32;

let server: RunningServer;

beforeAll(async () => {
  server = await startServer({ LATCHKEY_KEY_ACTIVATION_DELAY: String(ACTIVATION_DELAY) });
}, 300_000);

afterAll(async () => {
  await server?.stop();
});

const basic = () => `Basic ${Buffer.from(`${server.demo.clientId}:${server.demo.clientSecret}`).toString("base64")}`;

async function clientCredentialsToken(): Promise<string> {
  const res = await fetch(`${server.issuer}/oauth/token`, {
    method: "POST",
    headers: { authorization: basic(), "content-type": "application/x-www-form-urlencoded" },
    body: "grant_type=client_credentials&scope=notes:read",
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

async function jwks(): Promise<{ kid: string; alg: string; use: string; d?: string }[]> {
  const res = await fetch(`${server.issuer}/oauth/jwks`);
  expect(res.headers.get("cache-control")).toBe("public, max-age=60");
  const { keys } = (await res.json()) as { keys: { kid: string; alg: string; use: string; d?: string }[] };
  expect(keys.every((k) => k.d === undefined && k.use === "sig")).toBe(true);
  return keys;
}

function rotate(args: string[] = []): { kid: string; alg: string; activatesAt: string }[] {
  const r = server.cli(["keys", "rotate", ...args, "--json"]);
  expect(r.status, r.stderr).toBe(0);
  return (JSON.parse(r.stdout.slice(r.stdout.indexOf("{"))) as { keys: { kid: string; alg: string; activatesAt: string }[] }).keys;
}

function keysList(): { kid: string; alg: string; status: string }[] {
  const r = server.cli(["keys", "list", "--json"]);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout.slice(r.stdout.indexOf("[\n"))) as { kid: string; alg: string; status: string }[];
}

async function introspect(token: string): Promise<boolean> {
  const res = await fetch(`${server.issuer}/oauth/introspect`, {
    method: "POST",
    headers: { authorization: basic(), "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ token }),
  });
  return ((await res.json()) as { active: boolean }).active;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("signing keys", () => {
  it("start with one RS256 and one ES256 key, both published", async () => {
    const keys = await jwks();
    expect(keys.map((k) => k.alg).sort()).toEqual(["ES256", "RS256"]);
    expect(keysList().map((k) => `${k.alg} ${k.status}`).sort()).toEqual(["ES256 active", "RS256 active"]);
  });

  it("`keys rotate` publishes the new keys first: a client with a warm JWKS cache never fails a token", async () => {
    // Created and warmed before the rotation, with jose's default cooldown and cache age.
    const client = createRemoteJWKSet(new URL(`${server.issuer}/oauth/jwks`));
    const before = await clientCredentialsToken();
    const oldKid = decodeProtectedHeader(before).kid!;
    await jwtVerify(before, client, { issuer: server.issuer, typ: "at+jwt" });

    const created = rotate();
    const newKid = created.find((k) => k.alg === "ES256")!.kid;
    expect(created.map((k) => k.alg).sort()).toEqual(["ES256", "RS256"]);
    expect(keysList().filter((k) => k.status === "next").map((k) => k.kid).sort()).toEqual(created.map((k) => k.kid).sort());

    // Until the switch every token verifies through the warm client; after it too.
    let verified = 0;
    let sawNewKey = false;
    let afterSwitch = 0;
    const deadline = Date.now() + (ACTIVATION_DELAY + 30) * 1000;
    while (afterSwitch < 5) {
      expect(Date.now(), "the new key never started signing").toBeLessThan(deadline);
      const token = await clientCredentialsToken();
      const kid = decodeProtectedHeader(token).kid;
      expect([oldKid, newKid]).toContain(kid);
      if (kid === newKid) sawNewKey = true;
      else expect(sawNewKey, "every instance switches once, for good").toBe(false);
      if (sawNewKey) afterSwitch++;
      const { payload } = await jwtVerify(token, client, { issuer: server.issuer, typ: "at+jwt" });
      expect(payload.client_id).toBe(server.demo.clientId);
      verified++;
      if (!sawNewKey) await pause(250);
    }
    expect(verified).toBeGreaterThan(afterSwitch);
    // The old key stays published (and its tokens valid) until they expire.
    expect((await jwks()).map((k) => k.kid)).toContain(oldKid);
    expect(await introspect(before)).toBe(true);
    await jwtVerify(before, client, { issuer: server.issuer, typ: "at+jwt" });
    const statuses = new Map(keysList().map((k) => [k.kid, k.status]));
    expect(statuses.get(newKid)).toBe("active");
    expect(statuses.get(oldKid)).toBe("retired");
  }, 120_000);

  it("`keys rotate --now` signs with the new key at once and keeps verifying the old one", async () => {
    const before = await clientCredentialsToken();
    const oldKid = decodeProtectedHeader(before).kid!;
    const created = rotate(["--now"]);
    const newKid = created.find((k) => k.alg === "ES256")!.kid;
    // Instances reload keys within seconds.
    const deadline = Date.now() + 15_000;
    let after = await clientCredentialsToken();
    while (decodeProtectedHeader(after).kid !== newKid) {
      expect(Date.now(), "the new key never started signing").toBeLessThan(deadline);
      await pause(200);
      after = await clientCredentialsToken();
    }
    const kids = (await jwks()).map((k) => k.kid);
    expect(kids).toEqual(expect.arrayContaining([oldKid, newKid]));
    const client = createRemoteJWKSet(new URL(`${server.issuer}/oauth/jwks`));
    for (const token of [before, after]) {
      const { payload } = await jwtVerify(token, client, { issuer: server.issuer, typ: "at+jwt" });
      expect(payload.client_id).toBe(server.demo.clientId);
    }
    expect(await introspect(before)).toBe(true);
  }, 60_000);

  it("`keys rotate --now --withdraw` (a leaked key) drops the keys waiting to sign and stops trusting the old ones at once", async () => {
    const before = await clientCredentialsToken();
    const oldKid = decodeProtectedHeader(before).kid!;
    const pending = rotate([]).map((k) => k.kid); // "next" keys, published but not yet signing
    expect(await introspect(before)).toBe(true);

    const created = rotate(["--now", "--withdraw"]);
    const newKid = created.find((k) => k.alg === "ES256")!.kid;
    const deadline = Date.now() + 15_000;
    while (await introspect(before)) {
      expect(Date.now(), "the withdrawn key is still trusted").toBeLessThan(deadline);
      await pause(200);
    }
    const after = await clientCredentialsToken();
    expect(decodeProtectedHeader(after).kid).toBe(newKid);
    const published = (await jwks()).map((k) => k.kid);
    expect(published).toEqual(expect.arrayContaining(created.map((k) => k.kid)));
    for (const kid of [oldKid, ...pending]) expect(published).not.toContain(kid);
    const statuses = new Map(keysList().map((k) => [k.kid, k.status]));
    for (const kid of pending) expect(statuses.get(kid)).toBe("retired");
    expect(await introspect(after)).toBe(true);
  }, 60_000);

  it("stores private keys encrypted at rest", async () => {
    const rows = await server.query<{ privateJwk: string; publicJwk: string }>(`SELECT "privateJwk", "publicJwk" FROM "SigningKey"`);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.privateJwk.startsWith("v1.")).toBe(true);
      expect(row.privateJwk).not.toContain('"d"');
      expect(JSON.parse(row.publicJwk)).not.toHaveProperty("d");
    }
  });
});
