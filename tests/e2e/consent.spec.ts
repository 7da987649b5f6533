import { expect, test, type Page } from "@playwright/test";
import { E2E_BASE_URL } from "./env";
import { createClient, latchkey, type CreatedClient } from "./helpers/cli";
import { authorizeUrl, CALLBACK, callbackParams, signInAs, startCallbackServer } from "./helpers/oauth";

let app: CreatedClient;
const appName = `Consent Test ${Date.now()}`;
const issuer = E2E_BASE_URL;

let stopCallbackServer: () => Promise<void>;

test.beforeAll(async () => {
  stopCallbackServer = await startCallbackServer();
  app = createClient(appName, { scope: "openid profile email offline_access notes:read notes:write", redirectUri: CALLBACK });
});

test.afterAll(async () => {
  await stopCallbackServer();
});

test.describe.configure({ mode: "serial" });

async function signInAsUser(page: Page) {
  await page.goto("/signin");
  await signInAs(page, "user@latchkey.local", "latchkey-user");
  await expect(page.getByTestId("signed-in-as")).toBeVisible();
}

test("a signed-out user signs in, sees the consent screen, allows, and the app gets a code with state and iss", async ({ page }) => {
  const { url, state } = authorizeUrl(app.client_id, "openid profile notes:read");
  await page.goto(url);
  await expect(page).toHaveURL(/\/signin/);
  await signInAs(page, "user@latchkey.local", "latchkey-user");

  await expect(page.getByTestId("consent-app-name")).toHaveText(appName);
  await expect(page.getByText("Registered by Devon Developer")).toBeVisible();
  await expect(page.getByTestId("consent-redirect-host")).toHaveText("127.0.0.1:8765");
  await expect(page.getByText("See your name, username, picture, website, birthdate, locale and time zone from your profile.")).toBeVisible();
  await expect(page.getByText("Read your notes.")).toBeVisible();
  await expect(page.getByRole("region", { name: "Identity" })).toBeVisible();

  await page.getByRole("button", { name: "Allow" }).click();
  await expect(page.getByText("callback reached")).toBeVisible();
  const params = callbackParams(page);
  expect(params.get("code")).toMatch(/^lk_code_/);
  expect(params.get("state")).toBe(state);
  expect(params.get("iss")).toBe(issuer);
});

test("remembered consent skips the screen; prompt=consent shows it again", async ({ page }) => {
  await signInAsUser(page);

  await page.goto(authorizeUrl(app.client_id, "openid notes:read").url);
  await expect(page.getByText("callback reached")).toBeVisible();
  expect(callbackParams(page).get("code")).toMatch(/^lk_code_/);

  await page.goto(authorizeUrl(app.client_id, "openid notes:read", { prompt: "consent" }).url);
  await expect(page.getByRole("button", { name: "Allow" })).toBeVisible();
  await expect(page.locator("[data-new]")).toHaveCount(0);
});

test("when the app asks for more, only the new scopes are highlighted", async ({ page }) => {
  await signInAsUser(page);
  await page.goto(authorizeUrl(app.client_id, "openid profile notes:read notes:write").url);
  await expect(page.locator('[data-scope="notes:write"][data-new="true"]')).toBeVisible();
  await expect(page.locator('[data-scope="notes:read"]')).not.toHaveAttribute("data-new", "true");
  await expect(page.locator("[data-new]")).toHaveCount(1);
});

test("deny returns access_denied with state and iss", async ({ page }) => {
  await signInAsUser(page);
  const { url, state } = authorizeUrl(app.client_id, "openid email", { prompt: "consent" });
  await page.goto(url);
  await page.getByRole("button", { name: "Deny" }).click();
  await expect(page.getByText("callback reached")).toBeVisible();
  const params = callbackParams(page);
  expect(params.get("error")).toBe("access_denied");
  expect(params.get("state")).toBe(state);
  expect(params.get("iss")).toBe(issuer);
});

test("prompt=none: login_required when signed out, consent_required when consent is missing, a code when granted", async ({ page }) => {
  await page.goto(authorizeUrl(app.client_id, "openid", { prompt: "none" }).url);
  await expect(page.getByText("callback reached")).toBeVisible();
  expect(callbackParams(page).get("error")).toBe("login_required");

  await signInAsUser(page);
  await page.goto(authorizeUrl(app.client_id, "openid email", { prompt: "none" }).url);
  await expect(page.getByText("callback reached")).toBeVisible();
  expect(callbackParams(page).get("error")).toBe("consent_required");

  await page.goto(authorizeUrl(app.client_id, "openid notes:read", { prompt: "none" }).url);
  await expect(page.getByText("callback reached")).toBeVisible();
  expect(callbackParams(page).get("code")).toMatch(/^lk_code_/);
});

test("the consent page cannot be framed and a replayed approval fails cleanly", async ({ page }) => {
  await signInAsUser(page);
  const consentResponse = page.waitForResponse((r) => r.url().includes("/oauth/consent?"));
  await page.goto(authorizeUrl(app.client_id, "openid", { prompt: "consent" }).url);
  const headers = (await consentResponse).headers();
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");

  const id = await page.locator('input[name="id"]').inputValue();
  const csrf = await page.locator('input[name="csrf_token"]').inputValue();
  await page.getByRole("button", { name: "Allow" }).click();
  await expect(page.getByText("callback reached")).toBeVisible();

  const replay = await page.request.post("/oauth/consent/decide", { form: { id, csrf_token: csrf, decision: "allow" }, maxRedirects: 0 });
  expect(replay.status()).toBe(303);
  expect(replay.headers()["location"]).toContain("/oauth/error");
  const tampered = await page.request.post("/oauth/consent/decide", { form: { id: id.replace(/.$/, "A"), csrf_token: csrf, decision: "allow" }, maxRedirects: 0 });
  expect(tampered.headers()["location"]).toContain("/oauth/error");
});

test("connected apps lists the app; removing access makes its refresh token fail with invalid_grant", async ({ page }) => {
  await signInAsUser(page);
  const { url, verifier } = authorizeUrl(app.client_id, "openid offline_access notes:read", { prompt: "consent" });
  await page.goto(url);
  await page.getByRole("button", { name: "Allow" }).click();
  await expect(page.getByText("callback reached")).toBeVisible();
  const code = callbackParams(page).get("code")!;
  const basic = `Basic ${Buffer.from(`${app.client_id}:${app.client_secret}`).toString("base64")}`;
  const tokenRes = await page.request.post("/oauth/token", {
    headers: { authorization: basic },
    form: { grant_type: "authorization_code", code, redirect_uri: CALLBACK, code_verifier: verifier },
  });
  expect(tokenRes.status()).toBe(200);
  const tokens = (await tokenRes.json()) as { refresh_token: string; access_token: string };

  await page.goto("/account");
  const card = page.getByRole("listitem", { name: appName });
  await expect(card).toBeVisible();
  await expect(card.getByText("Read your notes.")).toBeVisible();
  page.once("dialog", (d) => d.accept());
  await card.getByRole("button", { name: "Remove access" }).click();
  await expect(page.getByRole("listitem", { name: appName })).toHaveCount(0);

  const refresh = await page.request.post("/oauth/token", {
    headers: { authorization: basic },
    form: { grant_type: "refresh_token", refresh_token: tokens.refresh_token },
  });
  expect(refresh.status()).toBe(400);
  expect(((await refresh.json()) as { error: string }).error).toBe("invalid_grant");
  const isActive = async () => {
    const introspect = await page.request.post("/oauth/introspect", { headers: { authorization: basic }, form: { token: tokens.access_token } });
    return ((await introspect.json()) as { active: boolean }).active;
  };
  await expect.poll(isActive).toBe(false);
});

test("a suspended app cannot get consent", async ({ page }) => {
  const suspended = createClient(`Suspended ${Date.now()}`, { scope: "openid", redirectUri: CALLBACK });
  latchkey(["clients", "suspend", suspended.client_id]);
  await signInAsUser(page);
  await page.goto(authorizeUrl(suspended.client_id, "openid").url);
  await expect(page).toHaveURL(/\/oauth\/error/);
  await expect(page.getByRole("button", { name: "Allow" })).toHaveCount(0);
});

test("prompt=login asks a signed-in user to sign in again before consenting", async ({ page }) => {
  await signInAsUser(page);
  const { url, state } = authorizeUrl(app.client_id, "openid notes:read", { prompt: "login consent" });
  await page.goto(url);
  await expect(page).toHaveURL(/\/signin/);
  await expect(page.getByText("Confirm it is you to continue.")).toBeVisible();
  await signInAs(page, "user@latchkey.local", "latchkey-user");
  await page.getByRole("button", { name: "Allow" }).click();
  await expect(page.getByText("callback reached")).toBeVisible();
  const params = callbackParams(page);
  expect(params.get("code")).toMatch(/^lk_code_/);
  expect(params.get("state")).toBe(state);
});
