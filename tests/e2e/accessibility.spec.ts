import AxeBuilder from "@axe-core/playwright";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { E2E_PORT } from "./env";
import { authorizeUrl, signInAs } from "./helpers/oauth";
import { DEV, USER } from "./portal-helpers";

const ADMIN = { email: "admin@latchkey.local", password: "latchkey-admin" };
const DEMO_APP = "latchkey-demo";

test.describe.configure({ timeout: 120_000 });

const VIEWPORTS = [
  { name: "desktop", viewport: { width: 1440, height: 900 }, colorScheme: "light" },
  { name: "phone", viewport: { width: 390, height: 844 }, colorScheme: "light" },
  { name: "phone, dark", viewport: { width: 390, height: 844 }, colorScheme: "dark" },
] as const;

interface Checked {
  path: string;
  /** Waits for something only this page shows, so axe sees the finished page. */
  ready: (page: Page) => Promise<void>;
}

const heading = (name: string | RegExp) => async (page: Page) => {
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
};

const SIGNED_OUT: Checked[] = [
  { path: "/", ready: heading("Latchkey") },
  { path: "/signin", ready: async (page) => expect(page.getByRole("button", { name: "Sign in" })).toBeVisible() },
  { path: "/signup", ready: async (page) => expect(page.getByLabel("Email")).toBeVisible() },
  { path: "/docs", ready: async (page) => expect(page.getByRole("heading", { level: 1 })).toBeVisible() },
  { path: "/docs/authorization-code", ready: async (page) => expect(page.getByTestId("code-sample").first()).toBeVisible() },
  { path: "/docs/device", ready: heading("Device authorization") },
  { path: "/docs/logout", ready: heading("Sign-out (logout)") },
  { path: "/reset-password", ready: heading("Forgot your password?") },
];

const DEVELOPER: Checked[] = [
  { path: "/apps", ready: async (page) => expect(page.getByTestId("app-row").first()).toBeVisible() },
  { path: `/apps/${DEMO_APP}`, ready: async (page) => expect(page.getByTestId("client-id")).toBeVisible() },
  { path: `/apps/${DEMO_APP}/settings`, ready: async (page) => expect(page.getByLabel("App name")).toBeVisible() },
  { path: "/apps/new", ready: async (page) => expect(page.getByLabel("App name")).toBeVisible() },
  { path: "/account", ready: async (page) => expect(page.getByRole("heading", { level: 1 })).toBeVisible() },
  { path: "/device", ready: heading("Sign in a device") },
  { path: `/apps/${DEMO_APP}/team`, ready: async (page) => expect(page.getByRole("heading", { name: "Team" })).toBeVisible() },
  { path: `/apps/${DEMO_APP}/playground`, ready: async (page) => expect(page.getByRole("heading", { name: "Playground" })).toBeVisible() },
  { path: "/oauth/logout", ready: heading("Sign out of Latchkey?") },
];

const ADMINISTRATOR: Checked[] = [
  { path: "/admin", ready: heading("Admin console") },
  { path: "/admin/scopes", ready: async (page) => expect(page.getByRole("region", { name: "Scope catalog" })).toBeVisible() },
  { path: "/admin/apis", ready: async (page) => expect(page.getByRole("heading", { level: 1 })).toBeVisible() },
  { path: "/admin/registration", ready: async (page) => expect(page.getByRole("heading", { level: 1 })).toBeVisible() },
  { path: "/admin/users", ready: async (page) => expect(page.getByTestId("user-row").first()).toBeVisible() },
  { path: "/admin/audit", ready: async (page) => expect(page.getByTestId("audit-entry").first()).toBeVisible() },
];

async function seriousViolations(page: Page, contrastOnly: boolean) {
  const axe = new AxeBuilder({ page });
  // In dark mode only the colours change: check what colours can break.
  if (contrastOnly) axe.withRules(["color-contrast", "link-in-text-block"]);
  else axe.withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]);
  const results = await axe.analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.slice(0, 5).map((n) => `    ${n.target.join(" ")}`).join("\n")}`);
}

async function overflow(page: Page) {
  return page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
}

async function checkPage(page: Page, { path, ready }: Checked, { narrow, contrastOnly }: { narrow: boolean; contrastOnly: boolean }) {
  await page.goto(path);
  await ready(page);
  expect.soft(await seriousViolations(page, contrastOnly), `axe on ${path}`).toEqual([]);
  if (narrow) {
    const { scrollWidth, innerWidth } = await overflow(page);
    expect.soft(scrollWidth, `${path} is ${scrollWidth}px wide in a ${innerWidth}px viewport`).toBeLessThanOrEqual(innerWidth);
  }
}

async function signIn(page: Page, who: { email: string; password: string }) {
  await page.goto("/signin");
  await signInAs(page, who.email, who.password);
  await page.waitForURL((url) => !url.pathname.startsWith("/signin"));
}

const sessionFile = (who: { email: string }) => path.join(tmpdir(), `latchkey-a11y-${E2E_PORT}-${who.email}.json`);

test.beforeAll(async ({ browser }) => {
  for (const who of [DEV, ADMIN, USER]) {
    const context = await browser.newContext();
    await signIn(await context.newPage(), who);
    await context.storageState({ path: sessionFile(who) });
    await context.close();
  }
});

for (const { name, viewport, colorScheme } of VIEWPORTS) {
  test.describe(`${name} (${viewport.width}×${viewport.height})`, () => {
    test.use({ viewport, colorScheme });
    const options = { narrow: viewport.width < 768, contrastOnly: colorScheme === "dark" };
    const groups = [
      { who: null, pages: SIGNED_OUT },
      { who: DEV, pages: DEVELOPER },
      { who: ADMIN, pages: ADMINISTRATOR },
    ];
    for (const { who, pages } of groups) {
      for (const checked of pages) {
        test(`${checked.path}${who ? ` as ${who.email}` : ""}: no serious axe violations${options.narrow ? ", fits the screen" : ""}`, async ({ browser }) => {
          const context = await browser.newContext({ viewport, colorScheme, storageState: who ? sessionFile(who) : undefined });
          await checkPage(await context.newPage(), checked, options);
          await context.close();
        });
      }
    }

    test("the consent screen: no serious axe violations, fits the screen, no portal navigation", async ({ browser }) => {
      const context = await browser.newContext({ viewport, colorScheme, storageState: sessionFile(USER) });
      const page = await context.newPage();
      await checkPage(page, {
        path: authorizeUrl(DEMO_APP, "openid profile notes:read", { prompt: "consent" }).url,
        ready: async (p) => expect(p.getByRole("button", { name: "Allow" })).toBeVisible(),
      }, options);
      await expect(page.getByRole("navigation")).toHaveCount(0);
      await expect(page.getByRole("link", { name: "Docs" })).toHaveCount(0);
      await expect(page.getByTestId("signed-in-as")).toHaveText(USER.email);
      await expect(page.getByRole("button", { name: "Sign out" })).toBeInViewport();
      await expect(page.getByTestId("consent-app-avatar").or(page.getByTestId("consent-app-logo"))).toBeVisible();
      await context.close();
    });
  });
}

test("the first Tab stop on every page is a working skip link", async ({ page }) => {
  for (const path of ["/", "/docs", "/signin"]) {
    await page.goto(path);
    await page.keyboard.press("Tab");
    const skip = page.getByRole("link", { name: "Skip to content" });
    await expect(skip).toBeFocused();
    await expect(skip).toBeInViewport();
    await page.keyboard.press("Enter");
    await expect(page.locator("main#main")).toBeFocused();
  }
});

test.describe("on a phone", () => {
  test.use({ viewport: { width: 360, height: 740 } });

  test("the header menu opens from the keyboard, reports its state, and reaches Sign out", async ({ page }) => {
    await signIn(page, DEV);
    await page.goto("/apps");
    const menu = page.locator("summary[aria-controls=site-menu]");
    await expect(menu).toHaveAttribute("aria-expanded", "false");
    await expect(page.locator("#site-menu").getByRole("link", { name: "Connected apps" })).toBeHidden();
    await menu.focus();
    await page.keyboard.press("Enter");
    await expect(menu).toHaveAttribute("aria-expanded", "true");
    await expect(page.locator("#site-menu").getByRole("link", { name: "Connected apps" })).toBeVisible();
    await expect(page.locator("#site-menu").getByRole("button", { name: "Sign out" })).toBeInViewport();
    await page.keyboard.press("Escape");
    await expect(menu).toHaveAttribute("aria-expanded", "false");
    await expect(menu).toBeFocused();

    await menu.click();
    await page.locator("#site-menu").getByRole("link", { name: "Connected apps" }).click();
    await expect(page).toHaveURL(/\/account$/);
    await expect(menu).toHaveAttribute("aria-expanded", "false");
    const { scrollWidth, innerWidth } = await overflow(page);
    expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
  });
});
