import { expect, test } from "@playwright/test";
import { decodeJwt } from "jose";
import { E2E_BASE_URL } from "./env";
import { latchkey } from "./helpers/cli";
import { signInAs } from "./helpers/oauth";

const DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
const appName = `Device Test ${Date.now()}`;

test("a signed-out user opens verification_uri_complete, signs in, sees the app and scopes, allows, and the device gets tokens naming the sign-in session", async ({ page }) => {
  const out = latchkey([
    "clients", "create", "--name", appName, "--owner", "dev@latchkey.local", "--scope", "openid profile notes:read",
    "--grant-types", `${DEVICE_GRANT},refresh_token`, "--type", "public", "--json",
  ]);
  const { client_id: clientId } = JSON.parse(out.slice(out.indexOf("{"))) as { client_id: string };

  const started = (await (
    await fetch(`${E2E_BASE_URL}/oauth/device_authorization`, {
      method: "POST",
      body: new URLSearchParams({ client_id: clientId, scope: "openid profile notes:read" }),
    })
  ).json()) as { device_code: string; user_code: string; verification_uri_complete: string };

  await page.goto(started.verification_uri_complete);
  await expect(page).toHaveURL(/\/signin/);
  await signInAs(page, "user@latchkey.local", "latchkey-user");

  await expect(page.getByTestId("consent-app-name")).toHaveText(appName);
  await expect(page.getByTestId("device-user-code")).toHaveText(started.user_code);
  await expect(page.getByText("Registered by Devon Developer")).toBeVisible();
  await expect(page.getByText("Read your notes.")).toBeVisible();
  await expect(page.getByRole("region", { name: "Identity" })).toBeVisible();
  await page.getByRole("button", { name: "Allow" }).click();
  await expect(page.getByTestId("device-result")).toHaveText(/Your device is now signed in/);

  const poll = await fetch(`${E2E_BASE_URL}/oauth/token`, {
    method: "POST",
    body: new URLSearchParams({ grant_type: DEVICE_GRANT, device_code: started.device_code, client_id: clientId }),
  });
  expect(poll.status).toBe(200);
  const tokens = (await poll.json()) as { access_token: string; id_token?: string; scope: string };
  expect(tokens.scope).toBe("openid profile notes:read");
  expect(tokens.id_token).toBeTruthy();
  // The ID token names the browser's sign-in session, so logging out there reaches the device's app.
  const idClaims = decodeJwt(tokens.id_token!);
  expect(idClaims.sid).toMatch(/^[A-Za-z0-9_-]{20,}$/);

  // A code typed by hand, in lower case without the dash, finds nothing once used.
  await page.goto("/device");
  await page.getByLabel("Enter the code shown on your device").fill(started.user_code.replace("-", "").toLowerCase());
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByText("That code was already used.")).toBeVisible();
});
