import { expect, test, type Page } from "@playwright/test";
import { E2E_BASE_URL } from "./env";
import { png, SVG } from "./helpers/images";
import { authorizeUrl, CALLBACK, startCallbackServer } from "./helpers/oauth";
import { createApp, signIn } from "./portal-helpers";

test.describe.configure({ mode: "serial", timeout: 120_000 });

async function newApp(page: Page, name: string) {
  await signIn(page);
  const { clientId } = await createApp(page, { name, type: "public", redirectUris: [CALLBACK] });
  await page.goto(`/apps/${clientId}/settings`);
  return clientId;
}

async function upload(page: Page, file: { name: string; mimeType: string; buffer: Buffer }) {
  await page.getByLabel("Upload a logo").setInputFiles(file);
  await page.getByRole("button", { name: "Save changes" }).click();
}

test("an uploaded PNG is shown in the app header, the app list, on the consent screen and among the user's connected apps, and served as image/png with nosniff", async ({ page }) => {
  const name = `Logo ${Date.now()}`;
  const clientId = await newApp(page, name);
  const image = png(64, 64);
  await upload(page, { name: "logo.png", mimeType: "image/png", buffer: image });
  await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();

  const headerLogo = page.getByTestId("app-logo").first();
  await expect(headerLogo).toHaveAttribute("src", new RegExp(`^/logos/${clientId}\\?v=[0-9a-f]{16}$`));
  expect(await headerLogo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(64);

  const res = await page.request.get((await headerLogo.getAttribute("src"))!);
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toBe("image/png");
  expect(res.headers()["x-content-type-options"]).toBe("nosniff");
  expect(res.headers()["content-security-policy"]).toContain("default-src 'none'");
  expect(res.headers()["cache-control"]).toContain("immutable");
  expect(Buffer.compare(await res.body(), image)).toBe(0);

  await page.goto("/apps");
  await expect(page.getByTestId("app-row").filter({ hasText: name }).getByTestId("app-logo")).toHaveAttribute("src", /^\/logos\//);

  await page.goto(authorizeUrl(clientId, "openid").url);
  await expect(page.getByTestId("consent-app-name")).toHaveText(name);
  const consentLogo = page.getByTestId("consent-app-logo");
  await expect(consentLogo).toHaveAttribute("src", new RegExp(`^/logos/${clientId}\\?v=`));
  expect(await consentLogo.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(64);

  const stopCallback = await startCallbackServer();
  try {
    await page.getByRole("button", { name: "Allow" }).click();
    await page.waitForURL(/^http:\/\/127\.0\.0\.1:8765\/callback\?/);
  } finally {
    await stopCallback();
  }
  await page.goto("/account");
  const connected = page.getByTestId("connected-app").filter({ hasText: name }).getByTestId("app-logo");
  await expect(connected).toHaveAttribute("src", new RegExp(`^/logos/${clientId}\\?v=`));
  await expect.poll(() => connected.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(64);
});

test("an SVG or an oversized file gets a field error and nothing is stored", async ({ page }) => {
  const clientId = await newApp(page, `Refused logo ${Date.now()}`);
  await upload(page, { name: "logo.svg", mimeType: "image/svg+xml", buffer: SVG });
  await expect(page.getByText("SVG logos are not accepted")).toBeVisible();
  // The browser's type is not trusted either: SVG bytes named .png are still refused.
  await upload(page, { name: "logo.png", mimeType: "image/png", buffer: SVG });
  await expect(page.getByText("SVG logos are not accepted")).toBeVisible();
  await upload(page, { name: "big.png", mimeType: "image/png", buffer: png(64, 64, 300_000) });
  await expect(page.getByText("the limit is 256 KB")).toBeVisible();

  expect((await page.request.get(`/logos/${clientId}`)).status()).toBe(404);
  await page.reload();
  await expect(page.getByTestId("app-avatar").first()).toBeVisible();
});

test("removing the uploaded logo brings back the letter avatar", async ({ page }) => {
  const name = `Removed logo ${Date.now()}`;
  const clientId = await newApp(page, name);
  await upload(page, { name: "logo.png", mimeType: "image/png", buffer: png(32, 32) });
  await expect(page.getByTestId("app-logo").first()).toBeVisible();
  await page.getByLabel("Remove the uploaded logo").check();
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByTestId("app-avatar").first()).toHaveText(name[0]!);
  expect((await page.request.get(`/logos/${clientId}`)).status()).toBe(404);
});

test("a logo URL that does not load shows the app's first letter instead of a broken image", async ({ page }) => {
  const name = `Broken logo ${Date.now()}`;
  const clientId = await newApp(page, name);
  await page.getByLabel("Logo URL (optional)").fill(`${E2E_BASE_URL}/no-such-logo.png`);
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();

  for (const path of [`/apps/${clientId}`, "/apps"]) {
    await page.goto(path);
    const scope = path === "/apps" ? page.getByTestId("app-row").filter({ hasText: name }) : page;
    await expect(scope.getByTestId("app-avatar").first()).toHaveText("B");
    await expect(scope.getByTestId("app-logo")).toHaveCount(0);
  }
  await page.goto(authorizeUrl(clientId, "openid").url);
  await expect(page.getByTestId("consent-app-avatar")).toHaveText("B");
  await expect(page.getByTestId("consent-app-logo")).toHaveCount(0);
});
