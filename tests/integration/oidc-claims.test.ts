// OIDC Core §5 against the real server with openid-client 6: standard claims of the profile,
// email, address and phone scopes from userinfo (not in the ID token when an access token is
// issued, §5.4), the `claims` request parameter (§5.5), acr/amr, and the CLI that sets an
// app up for it (`clients update`).
import * as client from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answerConsent, follow, signIn, type CookieJar } from "./helpers/browserless-login";
import { cliJson as cliJsonOf } from "./helpers/cli-json";
import { startServer, type RunningServer } from "./helpers/server";

const REDIRECT = "http://127.0.0.1:8765/callback";
const ACR = "urn:latchkey:acr:password";

let server: RunningServer;
let user: CookieJar;
let config: client.Configuration;
let app: { client_id: string; client_secret: string };
let sub: string;

const cliJson = <T>(args: string[]) => cliJsonOf<T>(server, args);

const PROFILE = {
  givenName: "Uma",
  familyName: "User",
  middleName: "Q",
  nickname: "umi",
  preferredUsername: "uma",
  profileUrl: "https://example.test/uma",
  image: "https://example.test/uma.png",
  website: "https://uma.example.test",
  gender: "female",
  birthdate: "1990-04-01",
  zoneinfo: "Europe/Paris",
  locale: "fr-FR",
  phoneNumber: "+33 1 23 45 67 89",
  phoneNumberVerified: true,
  address: JSON.stringify({ street_address: "1 rue de la Paix", locality: "Paris", postal_code: "75002", country: "FR" }),
};

beforeAll(async () => {
  server = await startServer();
  app = cliJson(["clients", "create", "--name", "Claims RP", "--owner", "dev@latchkey.local", "--redirect-uri", REDIRECT,
    "--scope", "openid profile email", "--grant-types", "authorization_code,refresh_token", "--type", "confidential"]);
  const [row] = await server.query<{ id: string }>(`SELECT "id" FROM "User" WHERE "email" = ?`, ["user@latchkey.local"]);
  sub = row!.id;
  for (const [column, value] of Object.entries(PROFILE)) {
    await server.execute(`UPDATE "User" SET "${column}" = ? WHERE "id" = ?`, [value, sub]);
  }
  user = await signIn(server.issuer, "user@latchkey.local", "latchkey-user");
}, 300_000);

afterAll(async () => {
  await server?.stop();
});

async function discover() {
  if (server.exitCode() !== null) throw new Error(`the server exited:\n${server.output().slice(-4000)}`);
  config = await client.discovery(new URL(server.issuer), app.client_id, app.client_secret, undefined, {
    execute: [client.allowInsecureRequests],
  });
}

async function codeFlow(scope: string, extra: Record<string, string> = {}) {
  const codeVerifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT, scope, state, nonce,
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier), code_challenge_method: "S256", ...extra,
  });
  let step = await follow(server.issuer, url.href, user);
  if (step.html?.includes("/oauth/consent/decide")) step = { url: await answerConsent(server.issuer, step.html, user, "allow") };
  return client.authorizationCodeGrant(config, new URL(step.url), { pkceCodeVerifier: codeVerifier, expectedState: state, expectedNonce: nonce });
}

describe("clients update (CLI)", () => {
  it("adds scopes, an admin-only grant and an ID token algorithm to an app, validated and audited", async () => {
    const updated = cliJson<{ scope: string; grant_types: string[]; id_token_signed_response_alg: string | null; web_origins: string[] }>([
      "clients", "update", app.client_id, "--scope", "openid profile email address phone offline_access",
      "--grant-types", "authorization_code,refresh_token,password", "--id-token-alg", "ES256", "--web-origins", "https://rp.example.test",
    ]);
    expect(updated.scope).toBe("openid profile email address phone offline_access");
    expect(updated.grant_types).toEqual(["authorization_code", "refresh_token", "password"]);
    expect(updated.id_token_signed_response_alg).toBe("ES256");
    expect(updated.web_origins).toEqual(["https://rp.example.test"]);
    const audit = await server.query<{ actor: string }>(`SELECT "actor" FROM "AuditLog" WHERE "action" = 'app.updated' AND "target" = ?`, [app.client_id]);
    expect(audit.map((a) => a.actor)).toContain("cli");

    const refused = server.cli(["clients", "update", app.client_id, "--grant-types", "refresh_token", "--json"]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain("--grant-types: Refresh tokens need the authorization code or device grant.");
    const badAlg = server.cli(["clients", "update", app.client_id, "--id-token-alg", "HS256"]);
    expect(badAlg.status).toBe(2);
    expect(badAlg.stderr).toContain("--id-token-alg: RS256, ES256 or default");

    // Back to RS256, so openid-client's defaults verify the ID tokens below.
    const reset = cliJson<{ id_token_signed_response_alg: string | null }>(["clients", "update", app.client_id, "--id-token-alg", "default"]);
    expect(reset.id_token_signed_response_alg).toBeNull();
  }, 300_000);
});

describe("standard claims (OIDC Core §5)", () => {
  beforeAll(discover);

  it("discovery lists the standard scopes, every claim userinfo returns, the claims parameter and acr values", async () => {
    const meta = config.serverMetadata();
    expect(meta.scopes_supported).toEqual(expect.arrayContaining(["openid", "profile", "email", "address", "phone"]));
    expect(meta.claims_parameter_supported).toBe(true);
    expect(meta.acr_values_supported).toEqual([ACR]);
    const tokens = await codeFlow("openid profile email address phone");
    const info = await client.fetchUserInfo(config, tokens.access_token, sub);
    for (const claim of Object.keys(info)) expect(meta.claims_supported).toContain(claim);
  });

  it("returns profile, email, address and phone claims from userinfo and keeps them out of the ID token", async () => {
    const tokens = await codeFlow("openid profile email address phone");
    const info = await client.fetchUserInfo(config, tokens.access_token, sub);
    expect(info).toMatchObject({
      sub,
      name: "Uma User",
      given_name: "Uma",
      family_name: "User",
      middle_name: "Q",
      nickname: "umi",
      preferred_username: "uma",
      profile: "https://example.test/uma",
      picture: "https://example.test/uma.png",
      website: "https://uma.example.test",
      gender: "female",
      birthdate: "1990-04-01",
      zoneinfo: "Europe/Paris",
      locale: "fr-FR",
      email: "user@latchkey.local",
      phone_number: "+33 1 23 45 67 89",
      phone_number_verified: true,
      address: { street_address: "1 rue de la Paix", locality: "Paris", postal_code: "75002", country: "FR" },
    });
    expect(typeof info.email_verified).toBe("boolean");
    expect(typeof info.updated_at).toBe("number");
    const idToken = tokens.claims()!;
    for (const claim of ["name", "given_name", "email", "address", "phone_number", "birthdate"]) expect(idToken).not.toHaveProperty(claim);
    expect(idToken.amr).toEqual(["pwd"]);
  });

  it("puts a claim requested for the ID token there, answers acr_values, and returns an essential userinfo claim", async () => {
    const claims = JSON.stringify({ id_token: { email: { essential: true } }, userinfo: { name: { essential: true } } });
    const tokens = await codeFlow("openid offline_access", { claims, acr_values: `${ACR} 1` });
    expect(tokens.claims()).toMatchObject({ sub, email: "user@latchkey.local", acr: ACR, amr: ["pwd"] });
    expect(await client.fetchUserInfo(config, tokens.access_token, sub)).toEqual({ sub, name: "Uma User" });
    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.claims()).toMatchObject({ sub, email: "user@latchkey.local", acr: ACR });
  });

  it("refuses a claims parameter that is not JSON with invalid_request at the redirect URI", async () => {
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT, scope: "openid", state: "s-bad", claims: "{not json",
      code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()), code_challenge_method: "S256",
    });
    const callback = new URL((await follow(server.issuer, url.href, user)).url);
    expect(callback.searchParams.get("error")).toBe("invalid_request");
    expect(callback.searchParams.get("state")).toBe("s-bad");
  });
});
