import { expect, test, type Browser, type Page } from "@playwright/test";
import { adminActionWithReason } from "./helpers/admin";
import { authorizeUrl, CALLBACK, callbackParams, signInAs, startCallbackServer } from "./helpers/oauth";
import { createApp, signIn, USER } from "./portal-helpers";

const ADMIN = { email: "admin@latchkey.local", password: "latchkey-admin" };

async function asAdmin(browser: Browser): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto("/signin?callbackUrl=%2Fadmin");
  await signInAs(page, ADMIN.email, ADMIN.password);
  await expect(page.getByRole("heading", { name: "Admin console" })).toBeVisible();
  return page;
}

test.describe.configure({ timeout: 120_000 });

test("after creating an app the browser is on the app's page: the secret shows once, a reload shows the app", async ({ page }) => {
  await signIn(page);
  await page.goto("/apps/new");
  const name = `Landed ${Date.now()}`;
  await page.getByLabel("App name").fill(name);
  await page.getByLabel("Redirect URI 1", { exact: true }).fill("https://example.com/callback");
  await page.getByLabel("Label for the client secret (optional)").fill("production");
  await page.getByRole("button", { name: "Create app" }).click();
  await expect(page.getByRole("heading", { name: `${name} is ready` })).toBeVisible();
  const clientId = (await page.getByTestId("client-id").textContent())!;
  const secret = (await page.getByTestId("new-secret").textContent())!;
  await expect(page).toHaveURL(new RegExp(`/apps/${clientId}$`));

  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  await expect(page.locator("body")).not.toContainText(secret);
  await expect(page.getByTestId("live-secret").getByTestId("secret-label")).toHaveText("production");
});

test("redirect URIs come back in the order they were entered", async ({ page }) => {
  await signIn(page);
  const uris = ["https://zeta.example/cb", "https://alpha.example/cb", "http://127.0.0.1/middle"];
  const { clientId } = await createApp(page, { name: `Order ${Date.now()}`, type: "public", redirectUris: uris });
  await page.goto(`/apps/${clientId}/settings`);
  for (const [i, uri] of uris.entries()) await expect(page.getByLabel(`Redirect URI ${i + 1}`, { exact: true })).toHaveValue(uri);
  // Reordered by editing: the new order is kept too.
  await page.getByLabel("Redirect URI 1", { exact: true }).fill("https://omega.example/cb");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("Redirect URI 1", { exact: true })).toHaveValue("https://omega.example/cb");
  await expect(page.getByLabel("Redirect URI 2", { exact: true })).toHaveValue("https://alpha.example/cb");
});

test("logout URIs, the ID token algorithm and the privacy and terms links save, reload, and show on the consent screen", async ({ page }) => {
  await signIn(page);
  const name = `OIDC settings ${Date.now()}`;
  const { clientId } = await createApp(page, { name, type: "public", redirectUris: [CALLBACK] });
  await page.goto(`/apps/${clientId}/settings`);

  await page.getByLabel("Post-logout redirect URIs").fill("https://app.example/signed-out\nhttp://evil.example/bye");
  await page.getByLabel("Back-channel logout URI").fill("http://app.example/backchannel");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("http://evil.example/bye: Plain http is only allowed for loopback addresses")).toBeVisible();
  await expect(page.getByText("Use https (plain http only for 127.0.0.1")).toBeVisible();

  await page.getByLabel("Post-logout redirect URIs").fill("https://app.example/signed-out\nhttp://127.0.0.1:4000/bye");
  await page.getByLabel("Back-channel logout URI").fill("https://app.example/backchannel");
  await page.getByLabel("Include the session ID (sid) in logout tokens and ID tokens").uncheck();
  await page.getByLabel("ID token signing algorithm").selectOption("ES256");
  await page.getByLabel("Privacy policy URL").fill("https://app.example/privacy");
  await page.getByLabel("Terms of service URL").fill("https://app.example/terms");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();

  await page.reload();
  await expect(page.getByLabel("Post-logout redirect URIs")).toHaveValue("https://app.example/signed-out\nhttp://127.0.0.1:4000/bye");
  await expect(page.getByLabel("Back-channel logout URI")).toHaveValue("https://app.example/backchannel");
  await expect(page.getByLabel("Include the session ID (sid) in logout tokens and ID tokens")).not.toBeChecked();
  await expect(page.getByLabel("ID token signing algorithm")).toHaveValue("ES256");
  await expect(page.getByLabel("Privacy policy URL")).toHaveValue("https://app.example/privacy");
  await expect(page.getByLabel("Terms of service URL")).toHaveValue("https://app.example/terms");

  await page.goto(authorizeUrl(clientId, "openid").url);
  await expect(page.getByTestId("consent-policy-link")).toHaveAttribute("href", "https://app.example/privacy");
  await expect(page.getByTestId("consent-terms-link")).toHaveAttribute("href", "https://app.example/terms");
  // The consent screen is focused: no portal navigation.
  await expect(page.getByRole("navigation", { name: "Main" })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Docs", exact: true })).toHaveCount(0);
});

test("secrets carry labels: set when rotating, renamed in place; the grace period chosen stays selected", async ({ page }) => {
  await signIn(page);
  const { clientId } = await createApp(page, { name: `Labels ${Date.now()}`, type: "confidential", grantTypes: ["client_credentials"] });
  await page.goto(`/apps/${clientId}`);
  const grace = page.getByLabel("After rotating, current secrets keep working for");
  await grace.selectOption({ label: "1 hour" });
  await page.getByLabel("Label for the new secret (optional)").fill("ci");
  await page.getByRole("button", { name: "Rotate secret" }).click();
  await expect(page.getByTestId("new-secret")).toBeVisible();
  await expect(grace).toHaveValue("1h");
  await expect(page.getByTestId("secret-label").filter({ hasText: "ci" })).toHaveCount(1);

  const hint = await page.getByTestId("live-secret").filter({ hasText: "No label" }).getAttribute("data-hint");
  const unlabelled = page.locator(`[data-testid=live-secret][data-hint="${hint}"]`);
  await unlabelled.getByRole("button", { name: /^Add label/ }).click();
  await unlabelled.getByRole("textbox").fill("legacy server");
  await unlabelled.getByRole("button", { name: "Save label" }).click();
  await page.reload();
  await expect(page.getByTestId("secret-label")).toHaveText(["ci", "legacy server"]);
});

test("a revoked app's settings cannot be saved: the form is disabled and the action refuses; the reason is shown to the owner", async ({ page, browser }) => {
  await signIn(page);
  const name = `Revoked ${Date.now()}`;
  const { clientId } = await createApp(page, { name, type: "public", redirectUris: [CALLBACK] });
  await page.goto(`/apps/${clientId}/settings`);
  await page.getByLabel("App name").fill(`${name} renamed`);

  const admin = await asAdmin(browser);
  await adminActionWithReason(admin, admin.getByRole("row", { name }), "Revoke", name, "Phishing pages on its website");
  await expect(admin.getByRole("row", { name }).getByTestId("app-status")).toHaveText("revoked");

  // The form was loaded before: the action itself refuses.
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "its settings can no longer be changed" })).toBeVisible();
  await page.reload();
  await expect(page.getByTestId("settings-read-only")).toBeVisible();
  await expect(page.getByLabel("App name")).toBeDisabled();
  await expect(page.getByLabel("App name")).toHaveValue(name);
  await expect(page.getByRole("button", { name: "Save changes" })).toBeDisabled();
  await expect(page.getByTestId("app-status-reason")).toHaveText("Phishing pages on its website");
});

test("suspending needs a reason; reactivating ends the tokens users gave the app", async ({ page, browser }) => {
  const stop = await startCallbackServer();
  try {
    await signIn(page);
    const name = `Reactivated ${Date.now()}`;
    const { clientId } = await createApp(page, { name, type: "public", redirectUris: [CALLBACK], scopes: ["offline_access"] });

    const user = await (await browser.newContext()).newPage();
    const { url, verifier } = authorizeUrl(clientId, "openid offline_access");
    await user.goto(url);
    await signInAs(user, USER.email, USER.password);
    await user.getByRole("button", { name: "Allow" }).click();
    await expect(user.getByText("callback reached")).toBeVisible();
    const code = callbackParams(user).get("code")!;
    const tokenRes = await page.request.post("/oauth/token", {
      form: { grant_type: "authorization_code", code, redirect_uri: CALLBACK, code_verifier: verifier, client_id: clientId },
    });
    expect(tokenRes.status()).toBe(200);
    const { refresh_token } = (await tokenRes.json()) as { refresh_token: string };

    const admin = await asAdmin(browser);
    const row = admin.getByRole("row", { name });
    await row.getByText("Suspend…", { exact: true }).click();
    await row.getByRole("button", { name: `Suspend ${name}` }).click();
    expect(await row.getByLabel(/^Reason for suspending /).evaluate((el: HTMLTextAreaElement) => el.validity.valueMissing)).toBe(true);
    await expect(row.getByTestId("app-status")).toHaveText("active");
    await row.getByLabel(/^Reason for suspending /).fill("Unpaid invoice");
    await row.getByRole("button", { name: `Suspend ${name}` }).click();
    await expect(row.getByTestId("app-status")).toHaveText("suspended");

    await page.goto(`/apps/${clientId}`);
    await expect(page.getByTestId("app-status-reason")).toHaveText("Unpaid invoice");

    admin.once("dialog", (d) => d.accept());
    await row.getByRole("button", { name: "Reactivate" }).click();
    await expect(row.getByTestId("app-status")).toHaveText("active");
    const refresh = await page.request.post("/oauth/token", { form: { grant_type: "refresh_token", refresh_token, client_id: clientId } });
    expect(refresh.status()).toBe(400);
    expect(((await refresh.json()) as { error: string }).error).toBe("invalid_grant");
  } finally {
    await stop();
  }
});
