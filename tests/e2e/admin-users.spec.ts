import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { latchkey } from "./helpers/cli";
import { signInAs } from "./helpers/oauth";

function createUser(email: string, password: string) {
  latchkey(["users", "create", "--email", email, "--password", password, "--name", "Target Person"]);
}

async function findUser(page: Page, email: string) {
  await page.goto("/admin/users");
  await page.getByLabel("Search users").fill(email);
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await expect(page.getByTestId("user-row")).toHaveCount(1);
  return page.getByTestId("user-row").filter({ hasText: email });
}

test("an admin finds a user and blocks them: the user's session ends and their next sign-in fails", async ({ page, browser }) => {
  const email = `block-${Date.now()}@example.com`;
  createUser(email, "block-e2e-password");
  const userContext = await browser.newContext();
  const userPage = await userContext.newPage();
  await userPage.goto("/signin?callbackUrl=%2Fapps");
  await signInAs(userPage, email, "block-e2e-password");
  await expect(userPage).toHaveURL(/\/apps/);

  await page.goto("/signin?callbackUrl=%2Fadmin%2Fusers");
  await signInAs(page, "admin@latchkey.local", "latchkey-admin");
  await expect(page.getByRole("heading", { name: "Admin console" })).toBeVisible();
  const row = await findUser(page, email);
  await expect(row.getByTestId("user-role")).toHaveText("user");
  page.once("dialog", (d) => d.accept());
  await row.getByRole("button", { name: "Block" }).click();
  await expect(row.getByTestId("user-role")).toHaveText("blocked");

  await userPage.goto("/apps");
  await expect(userPage).toHaveURL(/\/signin/);
  await signInAs(userPage, email, "block-e2e-password");
  // With the right password, the account holder is told the account is blocked.
  await expect(userPage.getByTestId("form-error")).toHaveText("This account is blocked. Ask an administrator.");
  await expect(userPage).toHaveURL(/\/signin/);
  await expect(userPage.getByTestId("signed-in-as")).toHaveCount(0);

  await row.getByRole("button", { name: "Unblock" }).click();
  await expect(row.getByTestId("user-role")).toHaveText("user");
  await userContext.close();
});

test("an admin promotes and demotes a user and resets their password, shown once", async ({ page, browser }) => {
  const email = `promote-${Date.now()}@example.com`;
  createUser(email, "promote-e2e-password");
  await page.goto("/signin?callbackUrl=%2Fadmin%2Fusers");
  await signInAs(page, "admin@latchkey.local", "latchkey-admin");
  await expect(page.getByRole("heading", { name: "Admin console" })).toBeVisible();
  const row = await findUser(page, email);
  await row.getByRole("button", { name: "Make admin" }).click();
  await expect(row.getByTestId("user-role")).toHaveText("admin");
  page.once("dialog", (d) => d.accept());
  await row.getByRole("button", { name: "Demote" }).click();
  await expect(row.getByTestId("user-role")).toHaveText("user");

  page.once("dialog", (d) => d.accept());
  await row.getByRole("button", { name: "Reset password" }).click();
  const password = (await row.getByTestId("new-password").textContent())!;
  expect(password.length).toBeGreaterThanOrEqual(16);
  const userContext = await browser.newContext();
  const userPage = await userContext.newPage();
  await userPage.goto("/signin?callbackUrl=%2Fapps");
  await signInAs(userPage, email, password);
  await expect(userPage).toHaveURL(/\/apps/);
  await userContext.close();

  await page.reload();
  await expect(page.getByTestId("new-password")).toHaveCount(0);
});

test("the audit log filters by action, names the target user, and exports the filtered entries as CSV", async ({ page, request }) => {
  const email = `audit-${Date.now()}@example.com`;
  createUser(email, "audit-e2e-password");
  latchkey(["users", "block", email]);
  await page.goto("/signin?callbackUrl=%2Fadmin%2Faudit");
  await signInAs(page, "admin@latchkey.local", "latchkey-admin");
  await expect(page.getByTestId("audit-entry").first()).toBeVisible();
  await page.getByLabel("Action", { exact: true }).fill("user.blocked");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/action=user.blocked/);
  const entries = page.getByTestId("audit-entry");
  await expect(entries.filter({ hasText: email })).toHaveCount(1);
  for (const text of await entries.allTextContents()) expect(text).toContain("user.blocked");

  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export CSV" }).click();
  const csv = readFileSync((await (await download).path())!, "utf8");
  const lines = csv.trim().split(/\r?\n/);
  expect(lines[0]).toBe("time,action,actor,actor_id,target,target_name,details");
  expect(lines.length).toBeGreaterThan(1);
  for (const line of lines.slice(1)) expect(line.split(",")[1]).toBe("user.blocked");
  expect(csv).toContain(email);

  const denied = await request.get("/admin/audit/export?format=json", { maxRedirects: 0 });
  expect(denied.status()).not.toBe(200);
});
