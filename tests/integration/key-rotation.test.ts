import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "./helpers/server";

let server: RunningServer;

beforeAll(async () => {
  server = await startServer();
}, 300_000);

afterAll(async () => {
  await server?.stop();
});

async function clientCredentialsToken(): Promise<string> {
  const res = await fetch(`${server.issuer}/oauth/token`, {
    method: "POST",
    headers: {
      authorization: `Basic ${Buffer.from(`${server.demo.clientId}:${server.demo.clientSecret}`).toString("base64")}`,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: "grant_type=client_credentials&scope=notes:read",
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

async function jwksKids(): Promise<string[]> {
  const res = await fetch(`${server.issuer}/oauth/jwks`);
  const { keys } = (await res.json()) as { keys: { kid: string; d?: string }[] };
  expect(keys.every((k) => k.d === undefined)).toBe(true);
  return keys.map((k) => k.kid);
}

describe("signing key rotation", () => {
  it("publishes only public keys, signs with the new key after `keys rotate`, and keeps verifying the old one", async () => {
    const before = await clientCredentialsToken();
    const oldKid = decodeProtectedHeader(before).kid!;
    expect(await jwksKids()).toEqual([oldKid]);

    const r = server.cli(["keys", "rotate", "--json"]);
    expect(r.status, r.stderr).toBe(0);
    const { kid: newKid } = JSON.parse(r.stdout.slice(r.stdout.indexOf("{"))) as { kid: string };
    expect(newKid).not.toBe(oldKid);

    // Instances reload keys every few seconds.
    await new Promise((resolve) => setTimeout(resolve, 5_500));
    expect((await jwksKids()).sort()).toEqual([oldKid, newKid].sort());
    const after = await clientCredentialsToken();
    expect(decodeProtectedHeader(after).kid).toBe(newKid);

    const jwks = createRemoteJWKSet(new URL(`${server.issuer}/oauth/jwks`));
    for (const token of [before, after]) {
      const { payload } = await jwtVerify(token, jwks, { issuer: server.issuer, typ: "at+jwt" });
      expect(payload.client_id).toBe(server.demo.clientId);
    }
    const introspect = await fetch(`${server.issuer}/oauth/introspect`, {
      method: "POST",
      headers: {
        authorization: `Basic ${Buffer.from(`${server.demo.clientId}:${server.demo.clientSecret}`).toString("base64")}`,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams({ token: before }),
    });
    expect(((await introspect.json()) as { active: boolean }).active).toBe(true);
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
