import { expect, test } from "@playwright/test";
import { E2E_BASE_URL } from "./env";
import { authorizeUrl, CALLBACK, signInAs, startCallbackServer } from "./helpers/oauth";
import { createApp, signIn } from "./portal-helpers";

let stopCallbackServer: () => Promise<void>;

test.beforeAll(async () => {
  stopCallbackServer = await startCallbackServer();
});

test.afterAll(async () => {
  await stopCallbackServer();
});

test("a developer picks default scopes among the app's scopes; a request without scope is granted them", async ({ page, browser }) => {
  await signIn(page);
  const { clientId } = await createApp(page, { name: `Defaults ${Date.now()}`, type: "public", redirectUris: [CALLBACK], scopes: ["notes:read", "notes:write"] });

  await page.goto(`/apps/${clientId}/settings`);
  const defaults = page.getByRole("group", { name: "Default scopes" });
  await expect(defaults.locator("input[name=defaultScopes]")).toHaveCount(3); // openid (preselected), notes:read, notes:write
  await defaults.locator('input[value="notes:read"]').check();
  await defaults.locator('input[value="notes:write"]').check();
  // Dropping a scope drops it from the defaults too.
  await page.locator('input[name=scopes][value="notes:write"]').uncheck();
  await expect(defaults.locator('input[value="notes:write"]')).toHaveCount(0);
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("status")).toHaveText(/^Saved/);
  await page.reload();
  await expect(page.getByRole("group", { name: "Default scopes" }).locator('input[value="notes:read"]')).toBeChecked();
  await expect(page.getByRole("group", { name: "Default scopes" }).locator('input[value="openid"]')).not.toBeChecked();

  const user = await browser.newPage({ baseURL: E2E_BASE_URL });
  await user.goto("/signin");
  await signInAs(user, "user@latchkey.local", "latchkey-user");
  await expect(user.getByTestId("signed-in-as")).toBeVisible();
  const { url } = authorizeUrl(clientId, "");
  await user.goto(url.replace(/&scope=(?=&|$)/, ""));
  await expect(user.getByTestId("consent-app-name")).toBeVisible();
  await expect(user.locator("[data-scope]")).toHaveCount(1);
  await expect(user.locator('[data-scope="notes:read"]')).toBeVisible();
  await user.close();
});
