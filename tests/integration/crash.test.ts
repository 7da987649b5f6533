// kill -9 under load: after a restart the database is intact and every write the
// server acknowledged before dying is there (rotated refresh tokens, revocations).
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPostgres, type PostgresCluster } from "@/scripts/postgres-cluster";
import { signIn } from "./helpers/browserless-login";
import { authorizationCode, postForm, type FormAnswer } from "./helpers/code-flow";
import { freePort, startServer, TEST_DATABASE, type RunningServer } from "./helpers/server";

const REDIRECT = "http://127.0.0.1:9/callback";
const CHAINS = 12;

let dir: string;
let cluster: PostgresCluster | null = null;
let env: Record<string, string>;
let first: RunningServer;
let second: RunningServer | undefined;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "latchkey-crash-"));
  const port = await freePort();
  env = { LATCHKEY_DATA_DIR: dir, LATCHKEY_ACCESS_LOG: "false", PORT: String(port) };
  if (TEST_DATABASE === "postgresql") {
    cluster = await startPostgres();
    Object.assign(env, {
      DATABASE_URL: await cluster.createDatabase(),
      AUTH_SECRET: randomBytes(32).toString("base64url"),
      LATCHKEY_ISSUER: `http://localhost:${port}`,
    });
  } else {
    env.DATABASE_URL = `file:${path.join(dir, "latchkey.db")}`;
  }
  first = await startServer(env, { port });
}, 300_000);

afterAll(async () => {
  await second?.stop();
  cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe(`kill -9 under load (${TEST_DATABASE})`, () => {
  it("keeps every acknowledged rotation and revocation after a restart", async () => {
    const base = first.issuer;
    const demo = first.demo;
    const user = await signIn(base, "user@latchkey.local", "latchkey-user");
    const post = (s: RunningServer, p: string, params: Record<string, string>) => postForm(s.issuer, p, demo, params);

    // Independent refresh-token chains, each rotated as fast as the server answers.
    const latest: string[] = [];
    const revoked: string[] = [];
    for (let i = 0; i < CHAINS; i++) {
      const { code, verifier } = await authorizationCode(base, user, demo, REDIRECT);
      const t = await post(first, "/oauth/token", { grant_type: "authorization_code", code, redirect_uri: REDIRECT, code_verifier: verifier });
      latest.push(t.body.refresh_token!);
    }
    let acknowledged = 0;
    let dead = false;
    const rotate = async (i: number) => {
      while (!dead) {
        let answer: FormAnswer;
        try {
          answer = await post(first, "/oauth/token", { grant_type: "refresh_token", refresh_token: latest[i]! });
        } catch {
          return; // the connection died with the server: not acknowledged
        }
        if (answer.status !== 200) throw new Error(`rotation answered ${answer.status} ${JSON.stringify(answer.body)}`);
        latest[i] = answer.body.refresh_token!;
        acknowledged++;
        if (acknowledged % 7 === 0) {
          const r = await post(first, "/oauth/revoke", { token: answer.body.access_token! }).catch(() => null);
          if (r?.status === 200) revoked.push(answer.body.access_token!);
        }
      }
    };
    const load = Promise.all(latest.map((_, i) => rotate(i)));
    await expect.poll(() => acknowledged, { timeout: 60_000, interval: 20 }).toBeGreaterThan(200);
    process.kill(first.serverPid, "SIGKILL");
    dead = true;
    await load;
    await expect.poll(() => first.exitCode() !== null, { timeout: 10_000 }).toBe(true);

    second = await startServer(env, { port: first.port });
    if (TEST_DATABASE === "sqlite") {
      const [check] = await second.query<{ integrity_check: string }>("PRAGMA integrity_check");
      expect(check!.integrity_check).toBe("ok");
    }
    // The last acknowledged refresh token of every chain is stored (a rotation in flight at
    // the kill may have rotated it since: that write was never acknowledged)…
    const hashes = latest.map((t) => createHash("sha256").update(t).digest("base64url"));
    const stored = await second.query<{ id: string }>(
      `SELECT "id" FROM "RefreshToken" WHERE "id" IN (${hashes.map(() => "?").join(", ")})`,
      hashes,
    );
    expect(stored.map((r) => r.id).sort()).toEqual([...hashes].sort());
    // …and every acknowledged revocation is recorded and holds.
    expect(revoked.length).toBeGreaterThan(0);
    const jtis = revoked.map((t) => (JSON.parse(Buffer.from(t.split(".")[1]!, "base64url").toString()) as { jti: string }).jti);
    const recorded = await second.query<{ jti: string }>(
      `SELECT "jti" FROM "RevokedAccessToken" WHERE "jti" IN (${jtis.map(() => "?").join(", ")})`,
      jtis,
    );
    expect(recorded).toHaveLength(jtis.length);
    for (const token of revoked) expect((await post(second, "/oauth/introspect", { token })).body.active).toBe(false);
    // The restarted server serves: a new sign-in and exchange work.
    const again = await authorizationCode(second.issuer, await signIn(second.issuer, "user@latchkey.local", "latchkey-user"), demo, REDIRECT);
    expect((await post(second, "/oauth/token", { grant_type: "authorization_code", code: again.code, redirect_uri: REDIRECT, code_verifier: again.verifier })).status).toBe(200);
  }, 300_000);
});
