// Two production servers on one PostgreSQL, started at the same moment on an empty
// database, as two instances behind a load balancer would run.
import { randomBytes } from "node:crypto";
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findPostgresBin, POSTGRES_INSTALL_HINT, startPostgres, type PostgresCluster } from "@/scripts/postgres-cluster";
import { signIn } from "./helpers/browserless-login";
import { authorizationCode, postForm } from "./helpers/code-flow";
import { freePort, startServer, type RunningServer } from "./helpers/server";

const available = findPostgresBin() !== null;
if (!available && process.env.CI) throw new Error(`the two-instance test must run in CI: ${POSTGRES_INSTALL_HINT}`);

let cluster: PostgresCluster;
let a: RunningServer;
let b: RunningServer;
let issuer: string;
const demo = { clientId: "latchkey-demo", clientSecret: "" };
const REDIRECT = "http://127.0.0.1:9/callback";

const base = (s: RunningServer) => `http://localhost:${s.port}`;

const post = (s: RunningServer, path: string, params: Record<string, string>) => postForm(base(s), path, demo, params);

const clientCredentials = (s: RunningServer) => post(s, "/oauth/token", { grant_type: "client_credentials", scope: "account:read" });
const introspect = async (s: RunningServer, token: string) => (await post(s, "/oauth/introspect", { token })).body.active;

/** A code issued through A (sign-in and consent on A), with the verifier to redeem it. */
async function codeThroughA() {
  const jar = await signIn(base(a), "user@latchkey.local", "latchkey-user");
  return authorizationCode(base(a), jar, demo, REDIRECT);
}

const redeem = (s: RunningServer, code: string, verifier: string) =>
  post(s, "/oauth/token", { grant_type: "authorization_code", code, redirect_uri: REDIRECT, code_verifier: verifier });

/** Polls `check` until it is true; returns how long that took. */
async function pollUntil(check: () => Promise<boolean>, limitMs: number): Promise<number> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > limitMs) throw new Error(`condition not met within ${limitMs} ms`);
  }
  return Date.now() - start;
}

describe.skipIf(!available)("two instances on one PostgreSQL", () => {
  beforeAll(async () => {
    cluster = await startPostgres();
    const url = await cluster.createDatabase();
    const [portA, portB] = [await freePort(), await freePort()];
    issuer = `http://localhost:${portA}`;
    // A short activation delay: `keys rotate` publishes the new keys at once and both
    // instances start signing with them 2 s later.
    const shared = {
      DATABASE_URL: url,
      AUTH_SECRET: randomBytes(32).toString("base64url"),
      LATCHKEY_ISSUER: issuer,
      LATCHKEY_KEY_ACTIVATION_DELAY: "2",
    };
    [a, b] = await Promise.all([startServer(shared, { port: portA }), startServer(shared, { port: portB })]);
    const secrets = [a, b].map((s) => /client_secret: (lk_secret_\S+)/.exec(s.output())?.[1]).filter(Boolean);
    expect(secrets, "exactly one instance seeds the empty database").toHaveLength(1);
    demo.clientSecret = secrets[0]!;
  }, 300_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    cluster?.stop();
  });

  it("serves one issuer and one key set from both instances", async () => {
    const [da, db] = await Promise.all([a, b].map(async (s) => (await fetch(`${base(s)}/.well-known/openid-configuration`)).json()));
    expect(da.issuer).toBe(issuer);
    expect(db.issuer).toBe(issuer);
    const [ja, jb] = await Promise.all([a, b].map(async (s) => (await fetch(`${base(s)}/oauth/jwks`)).json()));
    expect(jb).toEqual(ja);
  });

  it("introspects on B a token issued by A", async () => {
    const { status, body } = await clientCredentials(a);
    expect(status).toBe(200);
    expect(await introspect(b, body.access_token!)).toBe(true);
  });

  it("redeems on B a code issued through A", async () => {
    const { code, verifier } = await codeThroughA();
    const { status, body } = await redeem(b, code, verifier);
    expect(status).toBe(200);
    expect(body.refresh_token).toMatch(/^lk_rt_/);
    expect(await introspect(a, body.access_token!)).toBe(true);
  });

  it("lets one of 50 concurrent redemptions split across both win, and the replays revoke its tokens", async () => {
    const { code, verifier } = await codeThroughA();
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => redeem(i % 2 ? b : a, code, verifier)));
    expect(results.filter((r) => r.status >= 500)).toEqual([]);
    const winners = results.filter((r) => r.status === 200);
    expect(winners).toHaveLength(1);
    for (const r of results.filter((r) => r.status !== 200)) expect(r.body.error).toBe("invalid_grant");
    const won = winners[0]!.body;
    expect(await introspect(a, won.access_token!)).toBe(false);
    expect(await introspect(b, won.access_token!)).toBe(false);
    const refresh = await post(b, "/oauth/token", { grant_type: "refresh_token", refresh_token: won.refresh_token! });
    expect(refresh.body.error).toBe("invalid_grant");
  });

  it("rotates a refresh token once under 40 concurrent uses split across both, and revokes the family", async () => {
    const { code, verifier } = await codeThroughA();
    const first = (await redeem(a, code, verifier)).body;
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => post(i % 2 ? b : a, "/oauth/token", { grant_type: "refresh_token", refresh_token: first.refresh_token! })),
    );
    expect(results.filter((r) => r.status >= 500)).toEqual([]);
    const winners = results.filter((r) => r.status === 200);
    expect(winners).toHaveLength(1);
    const next = winners[0]!.body;
    expect(await introspect(a, next.access_token!)).toBe(false);
    const again = await post(b, "/oauth/token", { grant_type: "refresh_token", refresh_token: next.refresh_token! });
    expect(again.body.error).toBe("invalid_grant");
  });

  it("answers 200 on both when the same token is revoked on both at once", async () => {
    const { code, verifier } = await codeThroughA();
    const tokens = (await redeem(a, code, verifier)).body;
    for (const token of [tokens.refresh_token!, tokens.access_token!]) {
      const answers = await Promise.all([a, b, a, b].map((s) => post(s, "/oauth/revoke", { token })));
      expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    }
    expect(await introspect(b, tokens.access_token!)).toBe(false);
    expect(await introspect(a, tokens.refresh_token!)).toBe(false);
  });

  it("verifies on both instances every token either signed, before and after `keys rotate`", async () => {
    const before = await Promise.all([a, b].map(async (s) => (await clientCredentials(s)).body.access_token!));
    const rotated = a.cli(["keys", "rotate", "--json"]);
    expect(rotated.status, rotated.stderr).toBe(0);
    const { keys } = JSON.parse(rotated.stdout.slice(rotated.stdout.indexOf("{"))) as { keys: { kid: string; alg: string }[] };
    const newKid = keys.find((k) => k.alg === "ES256")!.kid; // access tokens are ES256
    // Both instances sign with the new key once it activates.
    const after: string[] = [];
    for (const s of [a, b]) {
      await pollUntil(async () => {
        const token = (await clientCredentials(s)).body.access_token!;
        if (decodeProtectedHeader(token).kid !== newKid) return false;
        after.push(token);
        return true;
      }, 30_000);
    }
    for (const s of [a, b]) {
      const jwks = createRemoteJWKSet(new URL(`${base(s)}/oauth/jwks`));
      for (const token of [...before, ...after]) {
        await expect(jwtVerify(token, jwks, { issuer })).resolves.toBeTruthy();
        expect(await introspect(s, token)).toBe(true);
      }
    }
  });

  it("refuses on B within a second an app suspended through A's database", async () => {
    expect((await clientCredentials(b)).status).toBe(200);
    const suspended = a.cli(["clients", "suspend", demo.clientId]);
    expect(suspended.status, suspended.stderr).toBe(0);
    try {
      await pollUntil(async () => (await clientCredentials(b)).status === 401, 1_000);
      expect((await clientCredentials(b)).body.error).toBe("invalid_client");
    } finally {
      expect(a.cli(["clients", "activate", demo.clientId]).status).toBe(0);
    }
  }, 120_000);
});
