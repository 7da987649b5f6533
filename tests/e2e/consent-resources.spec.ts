import { expect, test, type Page } from "@playwright/test";
import { createClient, latchkey } from "./helpers/cli";
import { authorizeUrl, CALLBACK, callbackParams, signInAs, startCallbackServer } from "./helpers/oauth";

test.describe.configure({ mode: "serial" });

const stamp = Date.now();
const apiName = `Consent Calendar API ${stamp}`;
const apiIdentifier = `https://calendar-${stamp}.example.test/mcp`;
let stopCallbackServer: () => Promise<void>;
let registrationBefore: string;

test.beforeAll(async () => {
  stopCallbackServer = await startCallbackServer();
  latchkey(["apis", "create", "--identifier", apiIdentifier, "--name", apiName, "--scopes", "notes:read"]);
  registrationBefore = (JSON.parse(latchkey(["settings", "show", "--json"])) as { registration: string }).registration;
});

test.afterAll(async () => {
  latchkey(["settings", "set", "registration", registrationBefore]);
  await stopCallbackServer();
});

async function signInAsUser(page: Page) {
  await page.goto("/signin");
  await signInAs(page, "user@latchkey.local", "latchkey-user");
  await expect(page.getByTestId("signed-in-as")).toBeVisible();
}

test("a request with resource=<api identifier> names the API and its host on the consent screen", async ({ page }) => {
  const app = createClient(`Resource Test ${stamp}`, { scope: "openid notes:read", redirectUri: CALLBACK });
  await signInAsUser(page);
  await page.goto(authorizeUrl(app.client_id, "openid notes:read", { resource: apiIdentifier }).url);
  await expect(page.getByTestId("consent-resource-name")).toHaveText(apiName);
  await expect(page.getByTestId("consent-resource-host")).toHaveText(`calendar-${stamp}.example.test`);
  await expect(page.getByText("Registered by Devon Developer")).toBeVisible();
  await expect(page.getByTestId("consent-unreviewed")).toHaveCount(0);
  await page.getByRole("button", { name: "Allow" }).click();
  await expect(page.getByText("callback reached")).toBeVisible();
  expect(callbackParams(page).get("code")).toMatch(/^lk_code_/);
});

test("without resource no API is named", async ({ page }) => {
  const app = createClient(`No Resource ${stamp}`, { scope: "openid notes:read", redirectUri: CALLBACK });
  await signInAsUser(page);
  await page.goto(authorizeUrl(app.client_id, "openid notes:read").url);
  await expect(page.getByTestId("consent-app-name")).toBeVisible();
  await expect(page.getByTestId("consent-resource")).toHaveCount(0);
});

test("a client that registered itself gets a not-reviewed note and, with only loopback redirect URIs, the local-program warning", async ({ page }) => {
  latchkey(["settings", "set", "registration", "open"]);
  const register = () =>
    page.request.post("/oauth/register", {
      data: { client_name: `Self Registered ${stamp}`, redirect_uris: [CALLBACK], token_endpoint_auth_method: "none", grant_types: ["authorization_code"], response_types: ["code"], scope: "openid notes:read" },
    });
  // The CLI writes the setting in another process: the server sees it within its cache lifetime.
  await expect.poll(async () => (await register()).status(), { timeout: 10_000 }).toBe(201);
  const { client_id } = (await (await register()).json()) as { client_id: string };

  await signInAsUser(page);
  await page.goto(authorizeUrl(client_id, "openid notes:read").url);
  await expect(page.getByTestId("consent-app-name")).toHaveText(`Self Registered ${stamp}`);
  await expect(page.getByText("Registered itself", { exact: true })).toBeVisible();
  await expect(page.getByTestId("consent-unreviewed")).toContainText("Latchkey has not reviewed it");
  await expect(page.getByTestId("consent-loopback-warning")).toContainText("a program on this computer");
});
