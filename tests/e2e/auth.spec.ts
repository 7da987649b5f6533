import { expect, test } from "@playwright/test";

test("a new developer signs up, signs out and signs back in", async ({ page }) => {
  const email = `dev-${Date.now()}@example.com`;
  await page.goto("/signup");
  await page.getByLabel("Name").fill("Test Developer");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("correct horse battery");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByTestId("signed-in-as")).toHaveText(email);

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
  await expect(page.getByTestId("signed-in-as")).toHaveCount(0);

  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("correct horse battery");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("signed-in-as")).toHaveText(email);
});

test("a wrong password and an unknown email get the same generic message", async ({ page }) => {
  await page.goto("/signin");
  await page.getByLabel("Email").fill("dev@latchkey.local");
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("form-error")).toBeVisible();
  const wrongPassword = await page.getByTestId("form-error").textContent();

  await page.getByLabel("Email").fill("nobody@example.com");
  await page.getByLabel("Password").fill("whatever-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("form-error")).toHaveText(wrongPassword ?? "");
  expect(wrongPassword).toBe("The email or password is incorrect.");
  await expect(page.getByTestId("signed-in-as")).toHaveCount(0);
});

test("sign-up shows field messages for bad input and keeps no account", async ({ page }) => {
  await page.goto("/signup");
  await page.getByLabel("Email").fill("dev@latchkey.local");
  await page.getByLabel("Password").fill("short");
  await page.locator("form").evaluate((f) => f.setAttribute("novalidate", ""));
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("Use at least 8 characters.")).toBeVisible();
  await expect(page.getByLabel("Email")).toHaveValue("dev@latchkey.local");
  await page.getByLabel("Password").fill("long enough password");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("An account with this email already exists.")).toBeVisible();
});

test("sign-in honours the return URL", async ({ page }) => {
  await page.goto("/signin?callbackUrl=%2Fdocs%3Ffrom%3Dsignin");
  await page.getByLabel("Email").fill("user@latchkey.local");
  await page.getByLabel("Password").fill("latchkey-user");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/docs\?from=signin$/);
});
