import { expect, test, type Page } from "@playwright/test";
import { latchkey } from "./helpers/cli";
import { createApp, signIn } from "./portal-helpers";

const SCOPES = ["openid", "profile", "email", "account:read"];

async function openPlayground(page: Page, clientId: string) {
  await page.goto(`/apps/${clientId}`);
  await page.getByRole("navigation", { name: "App sections" }).getByRole("link", { name: "Playground" }).click();
  const missing = page.getByTestId("playground-redirect-missing");
  await expect(missing).toContainText("/playground/callback");
  await missing.getByRole("button", { name: "Add http://localhost/playground/callback" }).click();
  await expect(missing).toHaveCount(0);
}

async function authorize(page: Page) {
  await page.getByRole("button", { name: "Run authorization request" }).click();
  await expect(page.getByTestId("consent-app-name")).toBeVisible();
  await page.getByRole("button", { name: "Allow" }).click();
  await expect(page).toHaveURL(/\/playground\/callback\?code=/);
  await expect(page.getByTestId("state-check")).toContainText("state matches");
}

async function callApis(page: Page) {
  await page.getByRole("button", { name: "Call userinfo" }).click();
  await expect(page.getByTestId("userinfo-response")).toContainText('"email": "dev@latchkey.local"');
  await page.getByRole("button", { name: "Call /api/v1/me" }).click();
  await expect(page.getByTestId("resource-response")).toContainText('"email": "dev@latchkey.local"');
  await expect(page.getByTestId("resource-response")).toContainText("account:read");
}

test("a confidential app runs the whole flow: authorize, exchange with a pasted secret, decode, call the APIs", async ({ page }) => {
  await signIn(page);
  const name = `Playground Web ${Date.now()}`;
  const { clientId, secret } = await createApp(page, { name, type: "confidential", scopes: ["account:read", "profile", "email", "offline_access"] });
  await openPlayground(page, clientId);
  // With openid, a refresh token comes only with offline_access (OIDC Core §11).
  await page.getByLabel("offline_access", { exact: true }).check();
  await expect(page.getByTestId("playground-url")).toContainText("offline_access");

  const url = page.getByTestId("playground-url");
  await expect(url).toContainText(`client_id=${clientId}`);
  await expect(url).toContainText("code_challenge_method=S256");
  await page.getByLabel("prompt").selectOption("consent");
  await expect(url).toContainText("prompt=consent");
  for (const scope of SCOPES) await expect(page.getByLabel(scope, { exact: true })).toBeChecked();

  await authorize(page);
  await expect(page.getByTestId("callback-code")).toHaveText(/^lk_code_/);
  await expect(page.getByTestId("callback-iss")).toHaveText(/^http:\/\/localhost:\d+$/);

  await page.getByLabel("Client secret").fill("lk_secret_wrong");
  await page.getByRole("button", { name: "Exchange code" }).click();
  await expect(page.getByTestId("token-response")).toContainText('"error": "invalid_client"');

  await page.getByLabel("Client secret").fill(secret!);
  await page.getByRole("button", { name: "Exchange code" }).click();
  const response = page.getByTestId("token-response");
  await expect(response).toContainText('"token_type": "Bearer"');
  await expect(response).toContainText('"refresh_token": "lk_rt_');
  await expect(page.getByTestId("access-token-claims")).toContainText(`"client_id": "${clientId}"`);
  for (const scope of SCOPES) await expect(page.getByTestId("access-token-claims")).toContainText(new RegExp(`"scope": "[^"]*\\b${scope}\\b`));
  await expect(page.getByTestId("id-token-claims")).toContainText(`"aud": "${clientId}"`);
  await expect(page.getByTestId("id-token-claims")).toContainText('"nonce"');
  await callApis(page);

  const first = await response.textContent();
  await page.getByRole("button", { name: "Refresh the tokens" }).click();
  await expect(response).not.toHaveText(first!);
  await expect(response).toContainText('"token_type": "Bearer"');
  expect(await page.locator("body").textContent()).not.toContain(secret!);

  // The usage counters are aggregated in memory and flushed in batches, so poll.
  await expect(async () => {
    await page.goto(`/apps/${clientId}`);
    await expect(page.getByTestId("usage-total")).toHaveText("2", { timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  await expect(page.getByTestId("usage-users")).toHaveText("1");
  await expect(page.getByTestId("usage-last-token")).toHaveText("just now");
  const today = new Date().toISOString().slice(0, 10);
  await expect(page.locator(`rect[data-day='${today}']`)).toHaveAttribute("data-tokens", "2");
  await page.goto("/apps");
  await expect(page.getByTestId("app-row").filter({ hasText: name })).toContainText("just now");
});

test("a public app runs the flow with PKCE and exchanges the code in the browser", async ({ page }) => {
  await signIn(page);
  const { clientId } = await createApp(page, {
    name: `Playground SPA ${Date.now()}`,
    type: "public",
    redirectUris: ["https://spa.example.com/callback"],
    scopes: ["account:read", "profile", "email"],
  });
  await openPlayground(page, clientId);
  await expect(page.getByLabel("Use PKCE (S256)")).toBeDisabled();
  await expect(page.getByLabel("Use PKCE (S256)")).toBeChecked();

  await authorize(page);
  await expect(page.getByLabel("Client secret")).toHaveCount(0);
  await expect(page.getByText("code_verifier=")).toBeVisible();
  await page.getByRole("button", { name: "Exchange code" }).click();
  await expect(page.getByTestId("token-response")).toContainText('"token_type": "Bearer"');
  await expect(page.getByTestId("access-token-claims")).toContainText(`"client_id": "${clientId}"`);
  await callApis(page);
});

test("prompt=none without earlier consent comes back with an error the page explains", async ({ page }) => {
  await signIn(page);
  const { clientId } = await createApp(page, { name: `Silent ${Date.now()}`, type: "public", redirectUris: ["http://127.0.0.1/cb"] });
  await openPlayground(page, clientId);
  await page.getByLabel("prompt").selectOption("none");
  await page.getByRole("button", { name: "Run authorization request" }).click();
  await expect(page).toHaveURL(/\/playground\/callback\?error=/);
  await expect(page.getByRole("alert").filter({ hasText: "consent_required" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Exchange code" })).toHaveCount(0);
});

test("a confidential app plays the device of the device flow: user code, approval in another tab, polls until tokens", async ({ page, context }) => {
  const out = latchkey([
    "clients", "create", "--name", `Device Playground ${Date.now()}`, "--owner", "dev@latchkey.local", "--scope", "openid profile",
    "--grant-types", "urn:ietf:params:oauth:grant-type:device_code,refresh_token", "--type", "confidential", "--json",
  ]);
  const created = JSON.parse(out.slice(out.indexOf("{"))) as { client_id: string; client_secret: string };
  await signIn(page);
  await page.goto(`/apps/${created.client_id}/playground`);
  const device = page.getByTestId("playground-device");
  await device.getByLabel("Client secret").fill(created.client_secret);
  await device.getByRole("button", { name: "Start device authorization" }).click();
  const userCode = (await page.getByTestId("playground-device-user-code").textContent())!;
  expect(userCode).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
  await expect(page.getByTestId("playground-device-note")).toContainText(/authorization_pending|Waiting/);

  const phone = await context.newPage();
  await phone.goto((await page.getByTestId("playground-device-link").getAttribute("href"))!);
  await expect(phone.getByTestId("device-user-code")).toHaveText(userCode);
  await phone.getByRole("button", { name: "Allow" }).click();
  await expect(phone.getByTestId("device-result")).toHaveText(/Your device is now signed in/);

  const tokens = page.getByTestId("playground-device-tokens");
  await expect(tokens).toContainText('"access_token"', { timeout: 30_000 });
  await expect(tokens).toContainText('"id_token"');
  await expect(tokens).toContainText('"scope": "openid profile"');
});
