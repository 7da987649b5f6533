// Public clients (PKCE, no secret) through oauth4webapi, and the opt-in implicit grant.
import * as oauth from "oauth4webapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { follow, signIn, answerConsent, type CookieJar } from "./helpers/browserless-login";
import { startServer, type RunningServer } from "./helpers/server";

let server: RunningServer;
let as: oauth.AuthorizationServer;
let user: CookieJar;
const REDIRECT = "http://127.0.0.1:9911/cb";

function createClient(grantTypes: string, scope = "openid notes:read") {
  const r = server.cli(["clients", "create", "--name", `Public ${grantTypes}`, "--owner", "dev@latchkey.local", "--redirect-uri", REDIRECT.replace(":9911", ""), "--scope", scope, "--grant-types", grantTypes, "--type", "public", "--json"]);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout.slice(r.stdout.indexOf("{"))) as { client_id: string; client_secret?: string };
}

beforeAll(async () => {
  server = await startServer();
  const issuer = new URL(server.issuer);
  as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { algorithm: "oidc", [oauth.allowInsecureRequests]: true }));
  user = await signIn(server.issuer, "user@latchkey.local", "latchkey-user");
}, 300_000);

afterAll(async () => {
  await server?.stop();
});

async function throughConsent(url: URL): Promise<URL> {
  let step = await follow(server.issuer, url.href, user);
  if (step.html?.includes("/oauth/consent/decide")) step = { url: await answerConsent(server.issuer, step.html, user, "allow") };
  return new URL(step.url);
}

describe("public client", () => {
  it("completes authorization code + PKCE with no secret, and gets a refresh token that rotates", async () => {
    const created = createClient("authorization_code,refresh_token", "openid offline_access notes:read");
    expect(created.client_secret).toBeUndefined();
    const client: oauth.Client = { client_id: created.client_id };
    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const url = new URL(as.authorization_endpoint!);
    url.search = new URLSearchParams({
      client_id: client.client_id, redirect_uri: REDIRECT, response_type: "code", scope: "openid offline_access notes:read",
      state, code_challenge: await oauth.calculatePKCECodeChallenge(verifier), code_challenge_method: "S256",
    }).toString();
    const callback = await throughConsent(url);
    const params = oauth.validateAuthResponse(as, client, callback, state);
    const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, REDIRECT, verifier, { [oauth.allowInsecureRequests]: true });
    const tokens = await oauth.processAuthorizationCodeResponse(as, client, response, { requireIdToken: true });
    expect(tokens.refresh_token).toBeTruthy();
    const refreshed = await oauth.processRefreshTokenResponse(as, client,
      await oauth.refreshTokenGrantRequest(as, client, oauth.None(), tokens.refresh_token!, { [oauth.allowInsecureRequests]: true }));
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
  });

  it("is refused without PKCE: invalid_request back to the app", async () => {
    const created = createClient("authorization_code");
    const url = new URL(as.authorization_endpoint!);
    url.search = new URLSearchParams({ client_id: created.client_id, redirect_uri: REDIRECT, response_type: "code", scope: "openid", state: "nopkce" }).toString();
    const back = await throughConsent(url);
    expect(back.searchParams.get("error")).toBe("invalid_request");
    expect(back.searchParams.get("state")).toBe("nopkce");
    expect(back.searchParams.get("iss")).toBe(server.issuer);
  });

  it("cannot use client credentials", async () => {
    const created = createClient("authorization_code");
    const res = await fetch(as.token_endpoint!, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "client_credentials", client_id: created.client_id }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: "unauthorized_client" });
  });
});

describe("implicit grant", () => {
  it("returns the access token in the fragment, with state and iss, only to apps that opted in", async () => {
    const optedIn = createClient("implicit", "notes:read");
    const url = new URL(as.authorization_endpoint!);
    url.search = new URLSearchParams({ client_id: optedIn.client_id, redirect_uri: REDIRECT, response_type: "token", scope: "notes:read", state: "imp" }).toString();
    const back = await throughConsent(url);
    const fragment = new URLSearchParams(back.hash.slice(1));
    expect(back.search).toBe("");
    expect(fragment.get("access_token")).toBeTruthy();
    expect(fragment.get("token_type")).toBe("Bearer");
    expect(fragment.get("state")).toBe("imp");
    expect(fragment.get("iss")).toBe(server.issuer);
    expect(fragment.get("refresh_token")).toBeNull();

    const notOptedIn = createClient("authorization_code", "notes:read");
    url.search = new URLSearchParams({ client_id: notOptedIn.client_id, redirect_uri: REDIRECT, response_type: "token", scope: "notes:read", state: "imp2" }).toString();
    const refused = await throughConsent(url);
    const refusedParams = new URLSearchParams(refused.hash.slice(1) || refused.search.slice(1));
    expect(refusedParams.get("error")).toBe("unauthorized_client");
    expect(refusedParams.get("state")).toBe("imp2");
  });
});
