import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type Page } from "@playwright/test";
import { createRemoteJWKSet, jwtVerify } from "jose";
import { E2E_BASE_URL } from "./env";
import { latchkey } from "./helpers/cli";
import { pkcePair, signInAs } from "./helpers/oauth";

const issuer = E2E_BASE_URL;
const appName = `Logout Test ${Date.now()}`;
let clientId: string;
/** The app: its redirect URI, post-logout page and back-channel logout receiver, on one port. */
let receiver: Server;
let rp: string;
const tokens: string[] = [];

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  receiver = createServer((req, res) => {
    if (req.method === "GET") {
      res.writeHead(200, { "content-type": "text/plain" }).end("app page reached");
      return;
    }
    let raw = "";
    req.on("data", (d) => (raw += d));
    req.on("end", () => {
      const token = new URLSearchParams(raw).get("logout_token");
      if (token) tokens.push(token);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  rp = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  const out = latchkey([
    "clients", "create", "--name", appName, "--owner", "dev@latchkey.local", "--redirect-uri", `${rp}/callback`,
    "--scope", "openid profile", "--grant-types", "authorization_code,refresh_token", "--type", "confidential",
    "--post-logout-redirect-uri", `${rp}/bye`, "--backchannel-logout-uri", `${rp}/backchannel`, "--json",
  ]);
  clientId = (JSON.parse(out.slice(out.indexOf("{"))) as { client_id: string }).client_id;
});

test.afterAll(async () => {
  await new Promise((r) => receiver.close(r));
});

async function signInAsUser(page: Page) {
  await page.goto("/signin");
  await signInAs(page, "user@latchkey.local", "latchkey-user");
  // Patience for a loaded CI machine, not a timing assertion.
  await expect(page.getByTestId("signed-in-as")).toBeVisible({ timeout: 30_000 });
}

test("signing out of the portal sends the app a back-channel logout token", async ({ page }) => {
  await signInAsUser(page);
  const { challenge } = pkcePair();
  await page.goto(`/oauth/authorize?${new URLSearchParams({
    response_type: "code", client_id: clientId, redirect_uri: `${rp}/callback`, scope: "openid profile", state: "s1",
    code_challenge: challenge, code_challenge_method: "S256",
  })}`);
  await page.getByRole("button", { name: "Allow" }).click();
  await expect(page.getByText("app page reached")).toBeVisible({ timeout: 30_000 });

  const before = tokens.length;
  await page.goto("/apps");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect.poll(() => tokens.length, { timeout: 30_000 }).toBeGreaterThan(before);

  const jwks = createRemoteJWKSet(new URL(`${issuer}/oauth/jwks`));
  const { payload, protectedHeader } = await jwtVerify(tokens.at(-1)!, jwks, { issuer, audience: clientId, typ: "logout+jwt" });
  expect(protectedHeader.typ).toBe("logout+jwt");
  expect(payload.events).toEqual({ "http://schemas.openid.net/event/backchannel-logout": {} });
  expect(typeof payload.sid).toBe("string");
  expect(payload).not.toHaveProperty("nonce");
});

test("the end-session endpoint without an ID token hint asks before signing out", async ({ page }) => {
  await signInAsUser(page);
  await page.goto(`/oauth/logout?${new URLSearchParams({ client_id: clientId, post_logout_redirect_uri: `${rp}/bye`, state: "z1" })}`);
  await expect(page.getByRole("heading", { name: "Sign out of Latchkey?" })).toBeVisible();
  await expect(page.getByTestId("logout-app-name")).toHaveText(appName);
  await page.locator('form[action="/oauth/logout/decide"]').getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByText("app page reached")).toBeVisible({ timeout: 30_000 });
  expect(page.url()).toBe(`${rp}/bye?state=z1`);
  await page.goto("/apps");
  await expect(page).toHaveURL(/\/signin/);
});
