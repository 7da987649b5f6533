import { expect, test } from "@playwright/test";
import { createClient } from "./helpers/cli";
import { adminActionWithReason } from "./helpers/admin";
import { CALLBACK, signInAs } from "./helpers/oauth";

test("an admin suspends an app with a reason: its tokens stop working within a second and stay ended after reactivation; both actions are in the audit log", async ({ page }) => {
  const name = `Admin Target ${Date.now()}`;
  const app = createClient(name, { scope: "notes:read", redirectUri: CALLBACK, grantTypes: "authorization_code,client_credentials" });
  const introspector = createClient(`Introspector ${Date.now()}`, { scope: "notes:read", redirectUri: CALLBACK });
  const basic = (c: { client_id: string; client_secret?: string }) => `Basic ${Buffer.from(`${c.client_id}:${c.client_secret}`).toString("base64")}`;
  const clientCredentials = () => page.request.post("/oauth/token", { headers: { authorization: basic(app) }, form: { grant_type: "client_credentials" } });
  const { access_token } = (await (await clientCredentials()).json()) as { access_token: string };
  const isActive = async (token = access_token) => {
    const res = await page.request.post("/oauth/introspect", { headers: { authorization: basic(introspector) }, form: { token } });
    return ((await res.json()) as { active: boolean }).active;
  };
  expect(await isActive()).toBe(true);

  await page.goto("/signin?callbackUrl=%2Fadmin");
  await signInAs(page, "admin@latchkey.local", "latchkey-admin");
  await expect(page.getByRole("heading", { name: "Admin console" })).toBeVisible();
  const row = page.getByRole("row", { name });
  await adminActionWithReason(page, row, "Suspend", name, "Abuse report #42");
  await expect(row.getByTestId("app-status")).toHaveText("suspended");
  await expect(row.getByTestId("app-status-reason")).toHaveText("Abuse report #42");
  await expect.poll(() => isActive()).toBe(false);
  const refused = await clientCredentials();
  expect(refused.status()).toBe(401);
  expect(((await refused.json()) as { error: string }).error).toBe("invalid_client");

  let confirmation = "";
  page.once("dialog", (d) => {
    confirmation = d.message();
    void d.accept();
  });
  await row.getByRole("button", { name: "Reactivate" }).click();
  await expect(row.getByTestId("app-status")).toHaveText("active");
  expect(confirmation).toContain("Its old tokens do not come back");
  // The app gets tokens again; the one from before the suspension stays inactive, though no grant or family held it.
  await expect
    .poll(async () => {
      const res = await clientCredentials();
      return res.ok() && (await isActive(((await res.json()) as { access_token: string }).access_token));
    })
    .toBe(true);
  expect(await isActive()).toBe(false);

  await page.getByRole("link", { name: "Audit log" }).click();
  const suspended = page.getByTestId("audit-entry").filter({ hasText: "app.suspended" }).filter({ hasText: app.client_id });
  await expect(suspended).toContainText("admin@latchkey.local");
  await expect(suspended).toContainText("Abuse report #42");
  await expect(page.getByTestId("audit-entry").filter({ hasText: "app.reactivated" }).filter({ hasText: app.client_id })).toHaveCount(1);
});

test("an admin adds a scope to the catalog; a bad name gets a field message", async ({ page }) => {
  await page.goto("/signin?callbackUrl=%2Fadmin%2Fscopes");
  await signInAs(page, "admin@latchkey.local", "latchkey-admin");
  await page.getByLabel("Scope name").fill("bad scope");
  await page.getByLabel("Category").fill("Photos API");
  await page.getByLabel("Description shown to users").fill("See your photos.");
  await page.getByRole("button", { name: "Save scope" }).click();
  await expect(page.getByText("Letters, digits and punctuation only")).toBeVisible();

  await page.getByLabel("Scope name").fill("photos:read");
  await page.getByLabel("Category").fill("Photos API");
  await page.getByLabel("Description shown to users").fill("See your photos.");
  await page.getByRole("button", { name: "Save scope" }).click();
  await expect(page.getByRole("row", { name: "photos:read" })).toContainText("See your photos.");
});

test("the admin console is not for ordinary users", async ({ page }) => {
  await page.goto("/signin?callbackUrl=%2Fadmin");
  await signInAs(page, "user@latchkey.local", "latchkey-user");
  await expect(page).not.toHaveURL(/\/admin/);
  await expect(page.getByRole("heading", { name: "Admin console" })).toHaveCount(0);
});
