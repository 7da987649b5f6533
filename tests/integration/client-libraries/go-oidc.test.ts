// go-oidc v2 with golang.org/x/oauth2 (Debian's packages, GOPATH mode) against the real server,
// each with its default settings: tests/integration/fixtures/client-libraries/go-oidc.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildGoClient, consent, REDIRECT, runProgram, SCOPE, startHarness, USER, type ClientCredentials, type Harness } from "./harness";

// Built once per run, into a temporary directory.
const go = buildGoClient();
if ("missing" in go) console.warn(`go-oidc skipped: ${go.missing}`);

let h: Harness;

beforeAll(async () => {
  if (!("missing" in go)) h = await startHarness();
}, 300_000);

afterAll(async () => {
  await h?.server.stop();
  if ("cleanUp" in go) go.cleanUp();
});

function run<T = Record<string, unknown>>(command: string, args: Record<string, unknown>) {
  if ("missing" in go) throw new Error(go.missing);
  return runProgram<T>([go.binary], command, { issuer: h.server.issuer, ...args });
}

interface TokenError {
  status: number;
  body: { error: string; error_description?: string };
  www_authenticate: string;
}

interface GoFlow {
  token_type: string;
  expires_in_future: boolean;
  has_refresh_token: boolean;
  id_token_claims: Record<string, unknown>;
  userinfo_subject: string;
  userinfo_email: string;
  userinfo: Record<string, unknown>;
  refresh_token_rotated: boolean;
  access_token_changed: boolean;
  refreshed_id_token_claims: Record<string, unknown>;
  replay_error: TokenError;
}

async function codeFlow(client: ClientCredentials): Promise<GoFlow> {
  const args = { ...client, redirect_uri: REDIRECT, scopes: SCOPE.split(" ") };
  const { json: auth } = await run<{ url: string; state: string; nonce: string; verifier: string }>("authorize", args);
  const url = new URL(auth.url);
  expect(url.origin + url.pathname).toBe(`${h.server.issuer}/oauth/authorize`);
  expect(url.searchParams.get("nonce")).toBe(auth.nonce);
  const callbackUrl = await consent(h, auth.url);
  return (await run<GoFlow>("callback", { ...args, ...auth, callback_url: callbackUrl })).json;
}

function expectFlow(r: GoFlow, clientId: string) {
  expect(r.token_type).toBe("Bearer");
  expect(r.expires_in_future).toBe(true);
  expect(r.has_refresh_token).toBe(true);
  expect(r.id_token_claims).toMatchObject({ iss: h.server.issuer, aud: clientId, nonce: expect.any(String) });
  expect(r.userinfo_subject).toBe(r.id_token_claims.sub);
  expect(r.userinfo_email).toBe(USER.email);
  expect(r.userinfo).toMatchObject({ name: USER.name });
  expect(r.refresh_token_rotated).toBe(true);
  expect(r.access_token_changed).toBe(true);
  expect(r.refreshed_id_token_claims).toMatchObject({ iss: h.server.issuer, aud: clientId, sub: r.id_token_claims.sub });
  expect(r.replay_error).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
}

describe.skipIf("missing" in go)("go-oidc v2 + x/oauth2", () => {
  it("discovers the provider with NewProvider (issuer must match the discovery URL)", async () => {
    const { json } = await run<{ auth_url: string; token_url: string; metadata: Record<string, unknown> }>("discover", {});
    expect(json.auth_url).toBe(`${h.server.issuer}/oauth/authorize`);
    expect(json.token_url).toBe(`${h.server.issuer}/oauth/token`);
    expect(json.metadata.id_token_signing_alg_values_supported).toContain("RS256");
  });

  it("completes code + PKCE as a confidential client: ID token through the default RS256 Verifier, at_hash, userinfo, refresh, invalid_grant on replay", async () => {
    expectFlow(await codeFlow(h.confidential), h.confidential.client_id);
  });

  it("completes the same flow as a public client (client_id in the body, no secret)", async () => {
    expectFlow(await codeFlow(h.public), h.public.client_id);
  });

  it("gets a client credentials token; a wrong secret is a 401 invalid_client with a Basic challenge", async () => {
    const { json } = await run("client-credentials", { ...h.confidential, scopes: ["notes:read"] });
    expect(json).toMatchObject({ token_type: "Bearer", expires_in_future: true, scope: "notes:read", has_refresh_token: false });
    const wrong = await run<{ error: TokenError }>("client-credentials", { ...h.confidential, client_secret: "lk_secret_wrong", scopes: ["notes:read"] });
    expect(wrong.json.error).toMatchObject({ status: 401, body: { error: "invalid_client" } });
    expect(wrong.json.error.www_authenticate).toMatch(/^Basic /);
  });
});
