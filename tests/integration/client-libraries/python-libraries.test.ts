// Authlib and requests-oauthlib (Debian's packages) against the real server, each with its
// default settings: the Python programs under tests/integration/fixtures/client-libraries.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consent, FIXTURES, findPython, REDIRECT, runProgram, SCOPE, startHarness, USER, type ClientCredentials, type Harness } from "./harness";

const found = findPython(["authlib", "requests_oauthlib", "jwt"]);
if ("missing" in found) console.warn(`Python client libraries skipped: ${found.missing}`);
const python = "python" in found ? found.python : "";

let h: Harness;

beforeAll(async () => {
  if (python) h = await startHarness();
}, 300_000);

afterAll(async () => {
  await h?.server.stop();
});

interface Authorization {
  url: string;
  state: string;
  code_verifier: string;
  nonce: string;
}

interface OAuthErrorReport {
  raised: string;
  error: string;
  status_code?: number;
}

/** The library builds the authorization URL, the user consents, the library handles the callback. */
async function codeFlow<T>(script: string, client: ClientCredentials): Promise<T> {
  const program = [python, path.join(FIXTURES, script)];
  const args = { issuer: h.server.issuer, ...client, redirect_uri: REDIRECT, scope: SCOPE };
  const { json: auth } = await runProgram<Authorization>(program, "authorize", args);
  const url = new URL(auth.url);
  expect(url.searchParams.get("code_challenge_method")).toBe("S256");
  expect(url.searchParams.get("nonce")).toBe(auth.nonce);
  const callbackUrl = await consent(h, auth.url);
  return (await runProgram<T>(program, "callback", { ...args, ...auth, callback_url: callbackUrl })).json;
}

interface AuthlibFlow {
  token_type: string;
  has_refresh_token: boolean;
  id_token_claims: Record<string, unknown>;
  userinfo: Record<string, unknown>;
  refresh_token_rotated: boolean;
  refreshed_id_token_sub: string | null;
  revocation_status: number;
  after_revocation: OAuthErrorReport;
  replay: OAuthErrorReport;
}

function expectAuthlibFlow(r: AuthlibFlow, clientId: string) {
  expect(r.token_type.toLowerCase()).toBe("bearer");
  expect(r.has_refresh_token).toBe(true);
  expect(r.id_token_claims).toMatchObject({ iss: h.server.issuer, aud: clientId, nonce: expect.any(String) });
  expect(r.userinfo).toMatchObject({ sub: r.id_token_claims.sub, email: USER.email, name: USER.name });
  expect(r.refresh_token_rotated).toBe(true);
  expect(r.refreshed_id_token_sub).toBe(r.id_token_claims.sub);
  expect(r.revocation_status).toBe(200);
  expect(r.after_revocation).toMatchObject({ raised: "OAuthError", error: "invalid_grant" });
  expect(r.replay).toMatchObject({ raised: "OAuthError", error: "invalid_grant" });
}

describe.skipIf(!python)("Authlib", () => {
  const program = () => [python, path.join(FIXTURES, "authlib_client.py")];

  it("accepts both discovery documents with its metadata validators (RFC 8414, OIDC Discovery)", async () => {
    const { json } = await runProgram(program(), "metadata", { issuer: h.server.issuer });
    expect(json).toEqual({ openid: "valid", oauth: "valid" });
  });

  it("completes code + PKCE as a confidential client: ID token validated by Authlib, userinfo, refresh, revocation, invalid_grant on replay", async () => {
    expectAuthlibFlow(await codeFlow<AuthlibFlow>("authlib_client.py", h.confidential), h.confidential.client_id);
  });

  it("completes the same flow as a public client (token_endpoint_auth_method none)", async () => {
    expectAuthlibFlow(await codeFlow<AuthlibFlow>("authlib_client.py", h.public), h.public.client_id!);
  });

  it("gets a client credentials token and introspects it; a wrong secret is reported as invalid_client", async () => {
    const { json } = await runProgram(program(), "client-credentials", { issuer: h.server.issuer, ...h.confidential, scope: "notes:read" });
    expect(json).toMatchObject({ token_type: "Bearer", scope: "notes:read", has_refresh_token: false, introspection: { active: true, client_id: h.confidential.client_id } });
    const wrong = await runProgram(program(), "client-credentials", { issuer: h.server.issuer, ...h.confidential, client_secret: "lk_secret_wrong", scope: "notes:read" });
    expect(wrong.json).toMatchObject({ raised: "OAuthError", error: "invalid_client" });
  });
});

interface RequestsOAuthlibFlow {
  token_type: string;
  has_refresh_token: boolean;
  id_token_claims: Record<string, unknown>;
  userinfo_status: number;
  userinfo: Record<string, unknown>;
  refresh_token_rotated: boolean;
  refreshed_id_token_sub: string | null;
  replay: OAuthErrorReport;
}

function expectRequestsOAuthlibFlow(r: RequestsOAuthlibFlow, clientId: string) {
  expect(r.token_type.toLowerCase()).toBe("bearer");
  expect(r.has_refresh_token).toBe(true);
  expect(r.id_token_claims).toMatchObject({ iss: h.server.issuer, aud: clientId });
  expect(r.userinfo_status).toBe(200);
  expect(r.userinfo).toMatchObject({ sub: r.id_token_claims.sub, email: USER.email });
  expect(r.refresh_token_rotated).toBe(true);
  expect(r.refreshed_id_token_sub).toBe(r.id_token_claims.sub);
  expect(r.replay).toMatchObject({ raised: "InvalidGrantError", error: "invalid_grant", status_code: 400 });
}

describe.skipIf(!python)("requests-oauthlib (ID tokens checked with PyJWT, RS256)", () => {
  const program = () => [python, path.join(FIXTURES, "requests_oauthlib_client.py")];

  it("completes code + PKCE as a confidential client with Basic credentials: userinfo, refresh, invalid_grant on replay", async () => {
    expectRequestsOAuthlibFlow(await codeFlow<RequestsOAuthlibFlow>("requests_oauthlib_client.py", h.confidential), h.confidential.client_id);
  });

  it("completes the same flow as a public client sending only its client_id", async () => {
    expectRequestsOAuthlibFlow(await codeFlow<RequestsOAuthlibFlow>("requests_oauthlib_client.py", h.public), h.public.client_id!);
  });

  it("gets a client credentials token; a wrong secret raises InvalidClientError with status 401", async () => {
    const { json } = await runProgram(program(), "client-credentials", { issuer: h.server.issuer, ...h.confidential, scope: "notes:read" });
    expect(json).toMatchObject({ token_type: "Bearer", scope: ["notes:read"], has_refresh_token: false });
    const wrong = await runProgram(program(), "client-credentials", { issuer: h.server.issuer, ...h.confidential, client_secret: "lk_secret_wrong", scope: "notes:read" });
    expect(wrong.json).toMatchObject({ raised: "InvalidClientError", error: "invalid_client", status_code: 401 });
  });
});
