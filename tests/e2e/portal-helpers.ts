import { expect, type APIRequestContext, type Page } from "@playwright/test";

export const DEV = { email: "dev@latchkey.local", password: "latchkey-dev" };
/** Owns no apps in the demo data. */
export const USER = { email: "user@latchkey.local", password: "latchkey-user" };

export async function signIn(page: Page, who = DEV) {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(who.email);
  await page.getByLabel("Password").fill(who.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("signed-in-as")).toHaveText(who.email);
}

export interface NewApp {
  name: string;
  type: "confidential" | "public";
  redirectUris?: string[];
  grantTypes?: string[];
  scopes?: string[];
}

/** Fills the create form; returns the client ID and, for confidential apps, the secret shown once. */
export async function createApp(page: Page, app: NewApp): Promise<{ clientId: string; secret: string | null }> {
  await page.goto("/apps/new");
  await page.getByLabel("App name").fill(app.name);
  await page.getByRole("radio", { name: app.type === "public" ? /Public/ : /Confidential/ }).check();
  const uris = app.redirectUris ?? ["https://example.com/callback"];
  for (const [i, uri] of uris.entries()) {
    if (i > 0) await page.getByRole("button", { name: "Add redirect URI" }).click();
    await page.getByLabel(`Redirect URI ${i + 1}`, { exact: true }).fill(uri);
  }
  for (const grant of app.grantTypes ?? []) await page.locator(`input[name=grantTypes][value="${grant}"]`).check();
  for (const scope of app.scopes ?? []) await page.locator(`input[name=scopes][value="${scope}"]`).check();
  await page.getByRole("button", { name: "Create app" }).click();
  if (app.type === "public") {
    await expect(page).toHaveURL(/\/apps\/[0-9a-f]{32}$/);
    return { clientId: (await page.getByTestId("client-id").textContent())!, secret: null };
  }
  await expect(page.getByRole("heading", { name: `${app.name} is ready` })).toBeVisible();
  const clientId = (await page.getByTestId("client-id").textContent())!;
  const secret = (await page.getByTestId("new-secret").textContent())!;
  return { clientId, secret };
}

export function basicAuth(clientId: string, secret: string) {
  return `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString("base64")}`;
}

/** A client_credentials request: the quickest way to ask the token endpoint whether a secret works. */
export async function clientCredentials(request: APIRequestContext, clientId: string, secret: string) {
  const res = await request.post("/oauth/token", {
    form: { grant_type: "client_credentials" },
    headers: { authorization: basicAuth(clientId, secret) },
  });
  return { status: res.status(), body: (await res.json()) as Record<string, unknown> };
}
