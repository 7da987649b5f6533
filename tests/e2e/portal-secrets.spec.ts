import { expect, test, type Page } from "@playwright/test";
import { clientCredentials, createApp, signIn } from "./portal-helpers";

async function rotate(page: Page, grace: "Stop working now" | "1 hour" | "24 hours" | "7 days") {
  const shown = page.getByTestId("new-secret");
  const before = (await shown.count()) ? await shown.textContent() : null;
  await page.getByLabel("After rotating, current secrets keep working for").selectOption({ label: grace });
  await page.getByRole("button", { name: "Rotate secret" }).click();
  await expect(shown).toHaveText(/^lk_secret_/);
  await expect(shown).not.toHaveText(before ?? "");
  await expect(page.getByText("This is the only time Latchkey shows it")).toBeVisible();
  return (await shown.textContent())!;
}

const liveHints = (page: Page) => page.getByTestId("live-secret");

test.describe.configure({ mode: "serial" });

test("rotating with a grace period keeps the old secret working; rotating with “now” ends it; any secret can be revoked", async ({ page }) => {
  await signIn(page);
  const { clientId, secret: first } = await createApp(page, {
    name: `Rotation ${Date.now()}`,
    type: "confidential",
    grantTypes: ["client_credentials"],
  });
  const works = async (secret: string) => (await clientCredentials(page.request, clientId, secret)).status;
  await page.goto(`/apps/${clientId}`);
  expect(await works(first!)).toBe(200);

  // Zero-downtime rotation: both secrets work for an hour.
  const second = await rotate(page, "1 hour");
  await expect(liveHints(page)).toHaveCount(2);
  await expect(liveHints(page).filter({ hasText: `…${first!.slice(-4)}` })).toContainText("Stops working in 1 hour");
  await expect(liveHints(page).filter({ hasText: `…${second.slice(-4)}` })).toContainText("Active");
  expect(await works(second)).toBe(200);
  expect(await works(first!)).toBe(200);

  // Shown once: a reload shows only hints, and the last use once the batched stamp lands.
  await expect(async () => {
    await page.reload();
    await expect(liveHints(page).filter({ hasText: `…${second.slice(-4)}` })).toContainText("just now", { timeout: 1000 });
  }).toPass();
  await expect(page.getByTestId("new-secret")).toHaveCount(0);
  await expect(page.locator("body")).not.toContainText(second);
  await expect(liveHints(page)).toHaveCount(2);

  // No grace: every older secret stops at once.
  const third = await rotate(page, "Stop working now");
  await expect(liveHints(page)).toHaveCount(1);
  await expect(liveHints(page)).toContainText(`…${third.slice(-4)}`);
  await expect.poll(() => works(first!)).toBe(401);
  await expect.poll(() => works(second)).toBe(401);
  const rejected = await clientCredentials(page.request, clientId, second);
  expect(rejected.body.error).toBe("invalid_client");
  expect(await works(third)).toBe(200);
  await page.getByText("Revoked and expired secrets (2)").click();
  await expect(page.getByTestId("retired-secret")).toHaveCount(2);
  await expect(page.getByTestId("retired-secret").first()).toContainText("Revoked");

  // Revoking one of two live secrets.
  const fourth = await rotate(page, "24 hours");
  await expect(liveHints(page)).toHaveCount(2);
  const thirdRow = liveHints(page).filter({ hasText: `…${third.slice(-4)}` });
  await thirdRow.getByRole("button", { name: "Revoke" }).click();
  await thirdRow.getByRole("button", { name: `Revoke …${third.slice(-4)}` }).click();
  await expect(liveHints(page)).toHaveCount(1);
  await expect(liveHints(page)).toContainText(`…${fourth.slice(-4)}`);
  await expect.poll(() => works(third)).toBe(401);
  expect(await works(fourth)).toBe(200);
  await page.getByText("Revoked and expired secrets (3)").click();
  await expect(page.getByTestId("retired-secret").filter({ hasText: `…${third.slice(-4)}` })).toContainText("Revoked");
});

test("revoking the only secret warns that the app stops getting tokens", async ({ page }) => {
  await signIn(page);
  const { clientId, secret } = await createApp(page, { name: `Lonely ${Date.now()}`, type: "confidential", grantTypes: ["client_credentials"] });
  await page.goto(`/apps/${clientId}`);
  await page.getByRole("button", { name: "Revoke", exact: true }).click();
  await expect(page.getByText("This is the only working secret")).toBeVisible();
  await page.getByRole("button", { name: `Revoke …${secret!.slice(-4)}` }).click();
  await expect(page.getByText("This app has no working secret")).toBeVisible();
  await expect.poll(async () => (await clientCredentials(page.request, clientId, secret!)).status).toBe(401);
});
