import { spawnSync } from "node:child_process";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { E2E_DATA_DIR, E2E_PORT } from "./env";
import { signIn } from "./portal-helpers";

const root = path.resolve(import.meta.dirname, "../..");

/** Adds a scope to the catalog the way an operator would, straight through the data layer. */
function addScope(scope: { name: string; description: string; category: string; restricted: boolean }) {
  const code = `import("./lib/data/scopes.ts").then(async (m) => { await m.upsertScope(${JSON.stringify(scope)}); process.exit(0); })`;
  const r = spawnSync(path.join(root, "node_modules/.bin/tsx"), ["--eval", code], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, LATCHKEY_DATA_DIR: E2E_DATA_DIR, PORT: String(E2E_PORT) },
  });
  if (r.status !== 0) throw new Error(r.stderr);
}

test("the overview's flow table is generated from what the server supports", async ({ page, request }) => {
  const discovery = await (await request.get("/.well-known/openid-configuration")).json();
  expect(discovery.grant_types_supported).toContain("client_credentials");
  await page.goto("/docs");
  await expect(page.getByRole("heading", { name: "Which flow should I use?" })).toBeVisible();
  const table = page.getByTestId("flow-table");
  const row = (flow: string) => table.locator(`[data-flow=${flow}]`);
  await expect(row("authorization-code")).toContainText("Recommended");
  await expect(row("pkce").locator("td").nth(2)).toHaveText("No");
  await expect(row("client-credentials").locator("td").nth(1)).toHaveText("No");
  await expect(row("client-credentials").locator("td").nth(3)).toHaveText("No");
  // Legacy grants are listed only while the server offers them (some app has them enabled).
  if (discovery.grant_types_supported.includes("implicit")) await expect(row("implicit")).toContainText("Deprecated");
  else await expect(row("implicit")).toHaveCount(0);
  if (discovery.grant_types_supported.includes("password")) await expect(row("password")).toContainText("Legacy");
  else await expect(row("password")).toHaveCount(0);

  await row("pkce").getByRole("link").click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Authorization code with PKCE");
});

test("every docs page renders", async ({ page }) => {
  const pages: [href: string, nav: string, title: string][] = [
    ["/docs/authorization-code", "Authorization code", "Authorization code"],
    ["/docs/pkce", "Authorization code with PKCE", "Authorization code with PKCE"],
    ["/docs/client-credentials", "Client credentials", "Client credentials"],
    ["/docs/refreshing-tokens", "Refreshing tokens", "Refreshing tokens"],
    ["/docs/implicit", "Implicit (deprecated)", "Implicit flow (deprecated)"],
    ["/docs/password", "Password (legacy)", "Resource owner password (legacy)"],
    ["/docs/scopes", "Scopes", "Scopes"],
    ["/docs/app-settings", "App settings", "App settings"],
    ["/docs/endpoints", "Endpoints", "Endpoints"],
  ];
  const nav = page.getByRole("navigation", { name: "Documentation" });
  for (const [href, label, title] of pages) {
    await page.goto("/docs");
    await nav.getByRole("link", { name: label, exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`${href}$`));
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
    await expect(nav.getByRole("link", { name: label, exact: true })).toHaveAttribute("aria-current", "page");
  }
  await page.goto("/docs/implicit");
  await expect(page.getByText("Do not use this for new apps")).toBeVisible();
  await page.goto("/docs/password");
  await expect(page.getByText("Not available to developers")).toBeVisible();
});

test("the scope reference is rendered from the live catalog", async ({ page, request }) => {
  await page.goto("/docs/scopes");
  const emailRow = page.locator("[data-scope=email]");
  await expect(emailRow).toContainText("See your email address and whether it is verified.");
  await expect(page.locator("[data-scope='admin:audit']")).toContainText("Restricted: needs approval");
  await expect(page.locator("[data-scope='notes:write']")).toContainText("Open to every app");

  const name = `reports:read-${Date.now()}`;
  addScope({ name, description: "Read the reports you have saved.", category: "Reports API", restricted: false });
  await page.reload();
  await expect(page.getByRole("region", { name: "Reports API", exact: true })).toBeVisible();
  await expect(page.locator(`[data-scope='${name}']`)).toContainText("Read the reports you have saved.");

  await expect.poll(async () => (await (await request.get("/.well-known/openid-configuration")).json()).scopes_supported, { timeout: 15_000 }).toContain(name);
  await page.goto("/docs/endpoints");
  await expect(page.locator("[data-list=scopes_supported]")).toContainText(name);
});

test("the endpoint reference is rendered from the live discovery document", async ({ page, request }) => {
  const discovery = await (await request.get("/.well-known/openid-configuration")).json();
  await page.goto("/docs/endpoints");
  await expect(page.getByTestId("issuer")).toHaveText(discovery.issuer);
  for (const key of ["authorization_endpoint", "token_endpoint", "userinfo_endpoint", "revocation_endpoint", "introspection_endpoint", "jwks_uri"]) {
    await expect(page.locator(`[data-endpoint=${key}]`)).toContainText(discovery[key]);
  }
  for (const grant of discovery.grant_types_supported) {
    await expect(page.locator("[data-list=grant_types_supported]")).toContainText(grant);
  }
  await page.getByText("The full document").click();
  expect(JSON.parse((await page.getByTestId("discovery-json").textContent())!)).toEqual(discovery);
});

test("samples use a placeholder when signed out and the reader's own client ID when signed in", async ({ page }) => {
  await page.goto("/docs/authorization-code");
  await expect(page.getByTestId("sample-app")).toContainText("Sign in to see the samples with your own client ID.");
  await expect(page.getByTestId("code-sample").first()).toContainText("client_id=YOUR_CLIENT_ID");

  await signIn(page);
  await page.goto("/docs/authorization-code");
  await page.getByLabel("Samples use your app").selectOption("latchkey-demo");
  await expect(page).toHaveURL(/app=latchkey-demo/);
  const authorize = page.getByTestId("code-sample").first();
  await expect(authorize).toContainText("client_id=latchkey-demo");
  await expect(authorize).toContainText("redirect_uri=http://127.0.0.1/callback");
  const exchange = page.getByTestId("code-sample").nth(1);
  await expect(exchange).toContainText('-u "latchkey-demo:YOUR_CLIENT_SECRET"');
  await exchange.getByRole("tab", { name: "JavaScript" }).click();
  await expect(exchange).toContainText('encodeURIComponent("latchkey-demo")');
  await expect(exchange.getByRole("button", { name: "Copy JavaScript" })).toBeVisible();
});
