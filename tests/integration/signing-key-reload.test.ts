// Every 5 s a server reads its signing keys again (another instance may have rotated them).
// Requests that arrive then keep signing with the keys they have, and the keys are read
// once, not once per request: on PostgreSQL, where the exchanges of a batch all resume
// together, each of them used to read the keys itself (tens of queries at once, every 5 s).
// The reads are counted by PostgreSQL itself (pg_stat_statements, on a cluster of this test's).
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findPostgresBin, POSTGRES_INSTALL_HINT, startPostgres, type PostgresCluster } from "@/scripts/postgres-cluster";
import { signIn } from "./helpers/browserless-login";
import { authorizationCode, postForm } from "./helpers/code-flow";
import { freePort, startServer, type RunningServer } from "./helpers/server";

const available = findPostgresBin() !== null;
if (!available && process.env.CI) throw new Error(`the signing key reload test must run in CI: ${POSTGRES_INSTALL_HINT}`);

const REDIRECT = "http://127.0.0.1:9/callback";
/**
 * The key provider's reload interval (`reloadMs` in lib/data/signing-keys.ts), and a margin for
 * a background read the warm-up request may have started (if something read the keys more than
 * 5 s before it).
 */
const KEY_SET_STALE_AFTER_MS = 5_000 + 1_000;

let cluster: PostgresCluster;
let server: RunningServer;
const demo = { clientId: "latchkey-demo", clientSecret: "" };

/**
 * How many times the server has read its key set so far: the key provider's query, the one that
 * reads the private keys (housekeeping's reads of the key statuses do not).
 */
async function keyReads(): Promise<number> {
  const [row] = await server.query<{ n: string | null }>(
    `SELECT sum(calls) AS n FROM pg_stat_statements WHERE query LIKE 'SELECT %"privateJwk"%FROM "public"."SigningKey" WHERE%'`,
  );
  return Number(row?.n ?? 0);
}

describe.skipIf(!available)("signing keys read again under load", () => {
  beforeAll(async () => {
    cluster = await startPostgres({ extraOptions: ["-c shared_preload_libraries=pg_stat_statements"] });
    const url = await cluster.createDatabase();
    const port = await freePort();
    server = await startServer(
      { DATABASE_URL: url, AUTH_SECRET: randomBytes(32).toString("base64url"), LATCHKEY_ISSUER: `http://localhost:${port}`, LATCHKEY_RATE_LIMITS: "off" },
      { port },
    );
    demo.clientSecret = /client_secret: (lk_secret_\S+)/.exec(server.output())![1]!;
    await server.execute("CREATE EXTENSION pg_stat_statements");
  }, 300_000);

  afterAll(async () => {
    await server?.stop();
    cluster?.stop();
  });

  it("a batch of code exchanges arriving when the keys are due for a reload reads them once", async () => {
    const warm = await postForm(server.issuer, "/oauth/token", demo, { grant_type: "client_credentials", scope: "account:read" });
    expect(warm.status).toBe(200);
    const keysLoaded = Date.now();

    const user = await signIn(server.issuer, "user@latchkey.local", "latchkey-user");
    const codes = [];
    for (let i = 0; i < 24; i++) codes.push(await authorizationCode(server.issuer, user, demo, REDIRECT));

    // What is under test is the key set's age: there is nothing to poll but the clock.
    while (Date.now() - keysLoaded < KEY_SET_STALE_AFTER_MS) await new Promise((r) => setTimeout(r, 50));
    const before = await keyReads();
    const answers = await Promise.all(
      codes.map(({ code, verifier }) =>
        postForm(server.issuer, "/oauth/token", demo, { grant_type: "authorization_code", code, code_verifier: verifier, redirect_uri: REDIRECT }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(codes.map(() => 200));
    expect(answers.every((a) => typeof a.body.id_token === "string" && typeof a.body.refresh_token === "string")).toBe(true);

    // The exchanges answered with the keys they had; the read runs in the background, and
    // PostgreSQL counts it when it ends. Reads made by the exchanges themselves (as before)
    // would all have ended before their answers.
    const deadline = Date.now() + 10_000;
    let after = await keyReads();
    while (after === before) {
      expect(Date.now(), "the keys were never read again").toBeLessThan(deadline);
      after = await keyReads();
    }
    // One read of the keys, whichever exchange found them due; not one per exchange.
    expect(after - before).toBe(1);
  }, 120_000);
});
