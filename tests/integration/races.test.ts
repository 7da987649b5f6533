// Exactly-once under 100 parallel requests, on whichever database the suite runs on
// (`npm test` runs the integration suite on SQLite and again on PostgreSQL).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, type CookieJar } from "./helpers/browserless-login";
import { authorizationCode, postForm } from "./helpers/code-flow";
import { startServer, type RunningServer } from "./helpers/server";

const REDIRECT = "http://127.0.0.1:9/callback";
let server: RunningServer;
let user: CookieJar;

beforeAll(async () => {
  server = await startServer();
  user = await signIn(server.issuer, "user@latchkey.local", "latchkey-user");
}, 300_000);

afterAll(async () => {
  await server?.stop();
});

const post = (path: string, params: Record<string, string>) => postForm(server.issuer, path, server.demo, params);
const active = async (token: string) => (await post("/oauth/introspect", { token })).body.active;

describe(`races (${process.env.LATCHKEY_TEST_DATABASE ?? "sqlite"})`, () => {
  it("redeems a code once among 100 parallel requests, and the replays revoke what it issued", async () => {
    const { code, verifier } = await authorizationCode(server.issuer, user, server.demo, REDIRECT);
    const answers = await Promise.all(
      Array.from({ length: 100 }, () =>
        post("/oauth/token", { grant_type: "authorization_code", code, redirect_uri: REDIRECT, code_verifier: verifier }),
      ),
    );
    expect(answers.filter((a) => a.status >= 500)).toEqual([]);
    const won = answers.filter((a) => a.status === 200);
    expect(won).toHaveLength(1);
    expect(new Set(answers.filter((a) => a.status !== 200).map((a) => a.body.error))).toEqual(new Set(["invalid_grant"]));
    expect(await active(won[0]!.body.access_token!)).toBe(false);
    expect((await post("/oauth/token", { grant_type: "refresh_token", refresh_token: won[0]!.body.refresh_token! })).status).toBe(400);
  });

  it("rotates a refresh token once among 100 parallel uses, and the reuse revokes the family", async () => {
    const { code, verifier } = await authorizationCode(server.issuer, user, server.demo, REDIRECT);
    const first = (await post("/oauth/token", { grant_type: "authorization_code", code, redirect_uri: REDIRECT, code_verifier: verifier })).body;
    const answers = await Promise.all(
      Array.from({ length: 100 }, () => post("/oauth/token", { grant_type: "refresh_token", refresh_token: first.refresh_token! })),
    );
    expect(answers.filter((a) => a.status >= 500)).toEqual([]);
    const won = answers.filter((a) => a.status === 200);
    expect(won).toHaveLength(1);
    expect(await active(first.access_token!)).toBe(false);
    expect(await active(won[0]!.body.access_token!)).toBe(false);
    expect((await post("/oauth/token", { grant_type: "refresh_token", refresh_token: won[0]!.body.refresh_token! })).body.error).toBe("invalid_grant");
  });
});
