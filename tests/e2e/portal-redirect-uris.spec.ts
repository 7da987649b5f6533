import { expect, test, type Page } from "@playwright/test";
import { createApp, signIn } from "./portal-helpers";

async function typeUri(page: Page, uri: string, row = 1) {
  await page.getByLabel(`Redirect URI ${row}`, { exact: true }).fill(uri);
}

const uriError = (page: Page, row = 1) =>
  page.getByLabel(`Redirect URI ${row}`, { exact: true }).locator("xpath=ancestor::li[1]").getByTestId("redirect-uri-error");

test.beforeEach(async ({ page }) => {
  await signIn(page);
  await page.goto("/apps/new");
  await page.getByLabel("App name").fill("Redirect rules");
});

const rejected: { uri: string; type: "confidential" | "public"; message: string }[] = [
  { uri: "/callback", type: "confidential", message: "Must be an absolute URI, such as https://example.com/callback." },
  { uri: "example.com/callback", type: "confidential", message: "Must be an absolute URI, such as https://example.com/callback." },
  { uri: "http://example.com/callback", type: "confidential", message: "Plain http is only allowed for loopback addresses (127.0.0.1, [::1], localhost); use https." },
  { uri: "https://example.com/callback#done", type: "confidential", message: "A redirect URI must not contain a fragment (#…)." },
  { uri: "https://*.example.com/callback", type: "confidential", message: "Wildcards are not allowed: register each URI exactly." },
  { uri: "com.example.app:/callback", type: "confidential", message: "Custom schemes (like com.example.app:/callback) are only allowed for public clients." },
  { uri: "myapp:/callback", type: "public", message: "A private-use scheme must be a reverse domain name you control, like com.example.app." },
  { uri: "javascript:alert(1)", type: "public", message: "The javascript: scheme cannot be used for redirects." },
];

for (const { uri, type, message } of rejected) {
  test(`${type}: "${uri}" is rejected with its reason`, async ({ page }) => {
    await page.getByRole("radio", { name: type === "public" ? /Public/ : /Confidential/ }).check();
    await typeUri(page, uri);
    await expect(uriError(page)).toHaveText(message);
    await expect(page.getByLabel("Redirect URI 1", { exact: true })).toHaveAttribute("aria-invalid", "true");
    await page.getByRole("button", { name: "Create app" }).click();
    await expect(page.getByText("Fix the redirect URIs marked above.")).toBeVisible();
    await expect(page).toHaveURL(/\/apps\/new$/);
  });
}

test("a URI listed twice is flagged on its second entry", async ({ page }) => {
  await typeUri(page, "https://example.com/callback");
  await page.getByRole("button", { name: "Add redirect URI" }).click();
  await typeUri(page, "https://example.com/callback", 2);
  await expect(uriError(page, 1)).toHaveCount(0);
  await expect(uriError(page, 2)).toHaveText("This URI is listed twice.");
});

test("at most 10 redirect URIs can be registered", async ({ page }) => {
  for (let i = 1; i <= 10; i++) {
    if (i > 1) await page.getByRole("button", { name: "Add redirect URI" }).click();
    await typeUri(page, `https://example.com/callback/${i}`, i);
  }
  await expect(page.getByRole("button", { name: "Add redirect URI" })).toBeDisabled();
  await expect(page.getByText("Limit reached: at most 10 redirect URIs.")).toBeVisible();
});

test("the message updates as the developer fixes the URI", async ({ page }) => {
  await typeUri(page, "http://example.com/callback");
  await expect(uriError(page)).toContainText("Plain http is only allowed for loopback");
  await typeUri(page, "https://example.com/callback");
  await expect(uriError(page)).toHaveCount(0);
  await expect(page.getByLabel("Redirect URI 1", { exact: true })).not.toHaveAttribute("aria-invalid", "true");
});

test("loopback, https and (for public apps) private-use URIs are accepted", async ({ page }) => {
  const ok = ["http://127.0.0.1/callback", "http://[::1]:8080/callback", "http://localhost:3000/callback", "https://example.com/callback"];
  for (const [i, uri] of ok.entries()) {
    if (i > 0) await page.getByRole("button", { name: "Add redirect URI" }).click();
    await typeUri(page, uri, i + 1);
  }
  await page.getByRole("radio", { name: /Public/ }).check();
  await page.getByRole("button", { name: "Add redirect URI" }).click();
  await typeUri(page, "com.example.app:/callback", 5);
  await expect(page.getByTestId("redirect-uri-error")).toHaveCount(0);
});

test("the authorization code flow needs at least one redirect URI", async ({ page }) => {
  await page.getByRole("button", { name: "Create app" }).click();
  await expect(page.getByText("Add at least one redirect URI for the authorization code or implicit flow.")).toBeVisible();
});

test("loopback redirect URIs match any port; all others must match exactly", async ({ page }) => {
  const { clientId } = await createApp(page, {
    name: `Matcher ${Date.now()}`,
    type: "public",
    redirectUris: ["http://127.0.0.1/callback", "https://example.com/callback"],
  });
  const authorize = (redirectUri: string) =>
    `/oauth/authorize?${new URLSearchParams({
      client_id: clientId,
      redirect_uri: redirectUri,
      response_type: "code",
      scope: "openid",
      code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
      code_challenge_method: "S256",
    })}`;

  await page.goto(authorize("http://127.0.0.1:49152/callback"));
  await expect(page.getByRole("button", { name: "Allow" })).toBeVisible();
  await expect(page.getByTestId("consent-redirect-host")).toHaveText("127.0.0.1:49152");

  await page.goto(authorize("https://example.com/callback/other"));
  await expect(page.getByRole("button", { name: "Allow" })).toHaveCount(0);
  await expect(page.getByTestId("oauth-error-description")).toHaveText("The redirect_uri is not registered for this client");
});
