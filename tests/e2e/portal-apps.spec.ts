import { expect, test } from "@playwright/test";
import { clientCredentials, createApp, signIn, USER } from "./portal-helpers";

test("a developer without apps sees an empty state that explains what to do first", async ({ page }) => {
  await signIn(page, USER);
  await page.goto("/apps");
  const empty = page.getByTestId("apps-empty-state");
  await expect(empty.getByRole("heading", { name: "You have no apps yet" })).toBeVisible();
  await expect(empty.getByText("Save your credentials")).toBeVisible();
  await empty.getByRole("link", { name: "Create your first app" }).click();
  await expect(page.getByRole("heading", { name: "Create an app" })).toBeVisible();
});

test("the create form explains client types, defaults the grants, warns about implicit and hides password", async ({ page }) => {
  await signIn(page);
  await page.goto("/apps/new");
  await expect(page.getByText("Runs on a server that can keep a secret")).toBeVisible();
  await expect(page.getByText("Must use PKCE.")).toBeVisible();
  await expect(page.locator("input[name=grantTypes][value=authorization_code]")).toBeChecked();
  await expect(page.locator("input[name=grantTypes][value=refresh_token]")).toBeChecked();
  await expect(page.locator("input[name=grantTypes][value=implicit]")).not.toBeChecked();
  await expect(page.getByText("Not recommended.")).toBeVisible();
  await expect(page.locator("input[name=grantTypes][value=password]")).toHaveCount(0);
  await expect(page.locator("[data-scope=email]")).toContainText("See your email address");
  await expect(page.locator("[data-scope='admin:audit']")).toContainText("Needs admin approval");

  await page.getByRole("radio", { name: /Public/ }).check();
  await expect(page.locator("input[name=grantTypes][value=client_credentials]")).toBeDisabled();
  await expect(page.getByText("Only confidential apps can use this")).toBeVisible();
});

test("creating a public app gives a client ID and no secret, and lists it on the dashboard", async ({ page }) => {
  await signIn(page);
  const name = `Notes Mobile ${Date.now()}`;
  const { clientId, secret } = await createApp(page, {
    name,
    type: "public",
    redirectUris: ["com.example.notes:/callback", "http://127.0.0.1/callback"],
  });
  expect(secret).toBeNull();
  await expect(page.getByRole("heading", { name })).toBeVisible();
  await expect(page.getByText("Public apps have no secret")).toBeVisible();
  await expect(page.getByRole("button", { name: "Copy client ID" })).toBeVisible();

  await page.getByRole("link", { name: "Settings" }).click();
  await expect(page.getByLabel("Redirect URI 1", { exact: true })).toHaveValue("com.example.notes:/callback");
  await expect(page.getByLabel("Redirect URI 2", { exact: true })).toHaveValue("http://127.0.0.1/callback");

  await page.goto("/apps");
  const row = page.getByTestId("app-row").filter({ hasText: name });
  await expect(row).toContainText("Public");
  await expect(row).toContainText("Active");
  await expect(row).toContainText(clientId);
  await expect(row).toContainText("Never");
});

test("a confidential app's secret is shown once at creation and never again", async ({ page }) => {
  await signIn(page);
  const name = `Billing Backend ${Date.now()}`;
  const { clientId, secret } = await createApp(page, { name, type: "confidential", grantTypes: ["client_credentials"] });
  expect(secret).toMatch(/^lk_secret_/);
  await expect(page.getByText("This is the only time Latchkey shows it")).toBeVisible();
  await expect(page.getByRole("button", { name: "Copy secret" })).toBeVisible();

  expect((await clientCredentials(page.request, clientId, secret!)).status).toBe(200);

  await page.getByRole("link", { name: /go to the app/ }).click();
  await expect(page.getByTestId("live-secret")).toHaveCount(1);
  await expect(page.getByTestId("live-secret")).toContainText(`…${secret!.slice(-4)}`);
  await expect(page.locator("body")).not.toContainText(secret!);
  await page.reload();
  await expect(page.getByTestId("live-secret")).toContainText(`…${secret!.slice(-4)}`);
  await expect(page.getByTestId("new-secret")).toHaveCount(0);
  await expect(page.locator("body")).not.toContainText(secret!);
  expect(await page.content()).not.toContain(secret!);

  await page.goto("/apps");
  await expect(page.getByTestId("app-row").filter({ hasText: name })).toContainText("Confidential");
});

test("a restricted scope waits for an administrator's approval", async ({ page }) => {
  await signIn(page);
  await createApp(page, { name: `Auditor ${Date.now()}`, type: "public", redirectUris: ["http://localhost/cb"], scopes: ["admin:audit"] });
  await expect(page.getByText("Waiting for an administrator to approve")).toBeVisible();
  await page.getByRole("link", { name: "Settings" }).click();
  await expect(page.locator("[data-scope='admin:audit']")).toContainText("Awaiting approval");
});

test("settings can be edited, and deleting after typing the name revokes the app's credentials", async ({ page }) => {
  await signIn(page);
  const name = `Short Lived ${Date.now()}`;
  const { clientId, secret } = await createApp(page, { name, type: "confidential", grantTypes: ["client_credentials"] });
  await page.goto(`/apps/${clientId}/settings`);
  await page.getByLabel("Description").fill("Now with a description");
  await page.getByRole("button", { name: "Add redirect URI" }).click();
  await page.getByLabel("Redirect URI 2", { exact: true }).fill("https://example.com/second");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("Description")).toHaveValue("Now with a description");
  await expect(page.getByLabel("Redirect URI 2", { exact: true })).toHaveValue("https://example.com/second");

  const del = page.getByRole("button", { name: "Delete this app" });
  await expect(del).toBeDisabled();
  await page.getByLabel(/to confirm/).fill("wrong name");
  await expect(del).toBeDisabled();
  await page.getByLabel(/to confirm/).fill(name);
  await del.click();
  await expect(page).toHaveURL(/\/apps\?deleted=/);
  await expect(page.getByRole("status")).toContainText(`Deleted “${name}”`);
  await expect(page.getByTestId("app-row").filter({ hasText: name })).toHaveCount(0);
  await expect.poll(async () => (await clientCredentials(page.request, clientId, secret!)).status).toBe(401);

  await page.goto(`/apps/${clientId}`);
  await expect(page.getByRole("heading", { name: "App not found" })).toBeVisible();
});

test("another developer's app is not found", async ({ page }) => {
  await signIn(page, USER);
  await page.goto("/apps/latchkey-demo");
  await expect(page.getByRole("heading", { name: "App not found" })).toBeVisible();
});
