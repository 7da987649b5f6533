// The consent screen says when the app keeps access while the user is away: exactly when
// the token endpoint will issue a refresh token (OIDC Core §11).
import { expect, test, type Page } from "@playwright/test";
import { createClient, type CreatedClient } from "./helpers/cli";
import { authorizeUrl, CALLBACK, callbackParams, signInAs, startCallbackServer } from "./helpers/oauth";

const stamp = Date.now();
const refreshingName = `Offline Test ${stamp}`;
const shortName = `Short Test ${stamp}`;
let refreshing: CreatedClient;
let short: CreatedClient;
let stopCallbackServer: () => Promise<void>;

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  stopCallbackServer = await startCallbackServer();
  refreshing = createClient(refreshingName, { scope: "openid offline_access notes:read", redirectUri: CALLBACK });
  short = createClient(shortName, { scope: "openid offline_access notes:read", redirectUri: CALLBACK, grantTypes: "authorization_code" });
});

test.afterAll(async () => {
  await stopCallbackServer();
});

const keeps = (name: string) => `${name} will keep this access when you are not using it, until you remove it in Connected apps.`;
const doesNotKeep = (name: string) => `${name} can use this access for a short time each time you use the app; it cannot keep it while you are away.`;

async function signInAsUser(page: Page) {
  await page.goto("/signin");
  await signInAs(page, "user@latchkey.local", "latchkey-user");
  await expect(page.getByTestId("signed-in-as")).toBeVisible();
}

/** Allows the request on the consent screen and exchanges the code; returns the token response. */
async function allowAndExchange(page: Page, client: CreatedClient, verifier: string) {
  await page.getByRole("button", { name: "Allow" }).click();
  await expect(page.getByText("callback reached")).toBeVisible();
  const code = callbackParams(page).get("code")!;
  const res = await page.request.post("/oauth/token", {
    headers: { authorization: `Basic ${Buffer.from(`${client.client_id}:${client.client_secret}`).toString("base64")}` },
    form: { grant_type: "authorization_code", code, redirect_uri: CALLBACK, code_verifier: verifier },
  });
  expect(res.status()).toBe(200);
  return (await res.json()) as { refresh_token?: string };
}

test("openid with offline_access: the screen says the app keeps access, and a refresh token is issued", async ({ page }) => {
  await signInAsUser(page);
  const { url, verifier } = authorizeUrl(refreshing.client_id, "openid offline_access notes:read", { prompt: "consent" });
  await page.goto(url);
  await expect(page.getByTestId("consent-keeps-access")).toHaveText(keeps(refreshingName));
  expect((await allowAndExchange(page, refreshing, verifier)).refresh_token).toMatch(/^lk_rt_/);
});

test("openid without offline_access: the screen says the access is short, and no refresh token is issued", async ({ page }) => {
  await signInAsUser(page);
  const { url, verifier } = authorizeUrl(refreshing.client_id, "openid notes:read", { prompt: "consent" });
  await page.goto(url);
  await expect(page.getByTestId("consent-keeps-access")).toHaveText(doesNotKeep(refreshingName));
  expect((await allowAndExchange(page, refreshing, verifier)).refresh_token).toBeUndefined();
});

test("plain OAuth for a client with the refresh_token grant: the screen says the app keeps access", async ({ page }) => {
  await signInAsUser(page);
  const { url, verifier } = authorizeUrl(refreshing.client_id, "notes:read", { prompt: "consent" });
  await page.goto(url);
  await expect(page.getByTestId("consent-keeps-access")).toHaveText(keeps(refreshingName));
  expect((await allowAndExchange(page, refreshing, verifier)).refresh_token).toMatch(/^lk_rt_/);
});

test("offline_access for a client without the refresh_token grant: the screen does not promise it", async ({ page }) => {
  await signInAsUser(page);
  const { url, verifier } = authorizeUrl(short.client_id, "openid offline_access notes:read", { prompt: "consent" });
  await page.goto(url);
  await expect(page.getByTestId("consent-keeps-access")).toHaveText(doesNotKeep(shortName));
  expect((await allowAndExchange(page, short, verifier)).refresh_token).toBeUndefined();
});
