import { expect, test } from "@playwright/test";

test("the sign-in form says when an account is locked after too many wrong passwords", async ({ page }) => {
  // Unknown or not, an email is locked the same way (the default: 5 failures in 15 minutes).
  const email = `locked-${Date.now()}@example.com`;
  await page.goto("/signin");
  for (let attempt = 1; attempt <= 5; attempt++) {
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(`wrong-password-${attempt}`);
    await page.getByRole("button", { name: "Sign in" }).click();
    const expected = attempt < 5 ? "The email or password is incorrect." : "Too many attempts. Try again in 15 minutes.";
    await expect(page.getByTestId("form-error")).toHaveText(expected);
    await expect(page.getByRole("button", { name: "Sign in" })).toBeEnabled();
  }
  await expect(page.getByTestId("signed-in-as")).toHaveCount(0);
});
