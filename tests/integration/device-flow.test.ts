// RFC 8628 end to end against the real server: openid-client 6 is the device, and the user
// answers at /device over plain HTTP (the page's server-action form, submitted without JS).
import * as client from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, type CookieJar } from "./helpers/browserless-login";
import { startServer, type RunningServer } from "./helpers/server";

const DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

let server: RunningServer;
let user: CookieJar;
let config: client.Configuration;
let clientId: string;

beforeAll(async () => {
  server = await startServer();
  const r = server.cli([
    "clients", "create", "--name", "Device CLI", "--owner", "dev@latchkey.local", "--scope", "openid profile offline_access notes:read",
    "--grant-types", `${DEVICE_GRANT},refresh_token`, "--type", "public", "--json",
  ]);
  expect(r.status, r.stderr).toBe(0);
  clientId = (JSON.parse(r.stdout.slice(r.stdout.indexOf("{"))) as { client_id: string }).client_id;
  config = await client.discovery(new URL(server.issuer), clientId, undefined, client.None(), { execute: [client.allowInsecureRequests] });
  user = await signIn(server.issuer, "user@latchkey.local", "latchkey-user");
}, 300_000);

afterAll(async () => {
  await server?.stop();
});

const decode = (v: string) => v.replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

/** Opens /device with the code and submits Allow or Deny as a browser without JavaScript would. */
async function answer(verificationUri: string, decision: "allow" | "deny"): Promise<string> {
  const page = await fetch(verificationUri, { headers: { cookie: user.header() } });
  const html = await page.text();
  expect(html).toContain("Device CLI");
  const form = /<form[^>]*method="POST"[^>]*>([\s\S]*?)<\/form>/i.exec(html)?.[1];
  if (!form) throw new Error("no decision form on /device");
  const body = new FormData();
  for (const m of form.matchAll(/<input type="hidden" name="([^"]+)"(?: value="([^"]*)")?/g)) body.append(decode(m[1]!), decode(m[2] ?? ""));
  body.append("decision", decision);
  const res = await fetch(verificationUri, { method: "POST", body, redirect: "manual", headers: { cookie: user.header(), origin: server.issuer } });
  const location = res.headers.get("location");
  if (!location) throw new Error(`the decision answered ${res.status} without a redirect`);
  return (await fetch(new URL(location, server.issuer), { headers: { cookie: user.header() } })).text();
}

describe("device authorization grant (RFC 8628)", () => {
  it("is advertised in discovery", () => {
    const meta = config.serverMetadata();
    expect(meta.device_authorization_endpoint).toBe(`${server.issuer}/oauth/device_authorization`);
    expect(meta.grant_types_supported).toContain(DEVICE_GRANT);
  });

  it("signs a device in: the user approves at /device, the device polls and gets tokens once, and they refresh until the device code is replayed", async () => {
    const started = await client.initiateDeviceAuthorization(config, { scope: "openid profile offline_access notes:read" });
    expect(started.user_code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    expect(started.verification_uri).toBe(`${server.issuer}/device`);
    expect(started.interval).toBe(5);

    // The first poll comes before the user answers: authorization_pending.
    const early = await fetch(`${server.issuer}/oauth/token`, {
      method: "POST",
      body: new URLSearchParams({ grant_type: DEVICE_GRANT, device_code: started.device_code, client_id: clientId }),
    });
    expect(await early.json()).toMatchObject({ error: "authorization_pending" });

    const result = await answer(started.verification_uri_complete!, "allow");
    expect(result).toContain("Your device is now signed in");

    const tokens = await client.pollDeviceAuthorizationGrant(config, started);
    expect(tokens.token_type).toBe("bearer");
    expect(tokens.scope).toBe("openid profile offline_access notes:read");
    expect(tokens.claims()?.sub).toBeTruthy();
    expect(tokens.refresh_token).toMatch(/^lk_rt_/);

    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.access_token).toBeTruthy();

    const again = await fetch(`${server.issuer}/oauth/token`, {
      method: "POST",
      body: new URLSearchParams({ grant_type: DEVICE_GRANT, device_code: started.device_code, client_id: clientId }),
    });
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ error: "invalid_grant" });
    // A second redemption revokes what the first one issued (RFC 9700 §4.5, as for a replayed code).
    await expect(client.refreshTokenGrant(config, refreshed.refresh_token!)).rejects.toMatchObject({ error: "invalid_grant" });

    const rows = await server.query<{ status: string; deviceCodeHash: string }>(`SELECT "status", "deviceCodeHash" FROM "DeviceAuthorization"`);
    expect(rows.map((r) => r.status)).toContain("approved");
    expect(rows.some((r) => r.deviceCodeHash === started.device_code)).toBe(false);
  }, 60_000);

  it("tells the device access_denied when the user denies", async () => {
    const started = await client.initiateDeviceAuthorization(config, { scope: "notes:read" });
    expect(await answer(started.verification_uri_complete!, "deny")).toContain("The device was not signed in");
    await expect(client.pollDeviceAuthorizationGrant(config, started)).rejects.toMatchObject({ error: "access_denied" });
  }, 60_000);

  it("shows a clear message for a wrong code, and limits wrong guesses (RFC 8628 §5.1)", async () => {
    const guesser = await signIn(server.issuer, "dev@latchkey.local", "latchkey-dev");
    let html = "";
    for (let i = 0; i < 11; i++) {
      html = await (await fetch(`${server.issuer}/device?user_code=BBBB-BBB${"CDFGHJKLMNP"[i]}`, { headers: { cookie: guesser.header() } })).text();
      if (i === 0) expect(html).toContain("That code is not valid");
    }
    expect(html).toContain("Too many attempts");
  });

  it("sends a signed-out user to sign in and back to /device with the code", async () => {
    const res = await fetch(`${server.issuer}/device?user_code=BCDF-GHJK`, { redirect: "manual" });
    expect(res.status).toBeGreaterThanOrEqual(300);
    const location = new URL(res.headers.get("location")!, server.issuer);
    expect(location.pathname).toBe("/signin");
    expect(location.searchParams.get("callbackUrl")).toBe("/device?user_code=BCDF-GHJK");
  });

  it("refuses the device endpoint to an app without the grant type", async () => {
    const res = await fetch(`${server.issuer}/oauth/device_authorization`, {
      method: "POST",
      headers: { authorization: `Basic ${btoa(`${server.demo.clientId}:${server.demo.clientSecret}`)}` },
      body: new URLSearchParams({ scope: "openid" }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: "unauthorized_client" });
  });
});
