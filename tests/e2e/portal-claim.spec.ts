// Claiming a client that registered itself (RFC 7591) in the portal, with its registration
// access token.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { E2E_DATA_DIR, E2E_PORT } from "./env";
import { clientCredentials, signIn } from "./portal-helpers";

const root = path.resolve(import.meta.dirname, "../..");

interface Registered {
  client_id: string;
  client_secret: string;
  registration_access_token: string;
}

/** Registers through the protocol core, whatever the server's registration policy. */
function registerClient(metadata: Record<string, unknown>): Registered {
  const r = spawnSync(path.join(root, "node_modules/.bin/tsx"), ["tests/integration/helpers/registration-tasks.ts", "register", JSON.stringify(metadata)], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, LATCHKEY_DATA_DIR: E2E_DATA_DIR, PORT: String(E2E_PORT) },
  });
  if (r.status !== 0) throw new Error(`registration failed:\n${r.stderr}`);
  const registered = JSON.parse(r.stdout.trim().split("\n").pop()!) as Registered;
  if (!registered.registration_access_token) throw new Error(`registration refused: ${r.stdout}`);
  return registered;
}

test("a developer claims a registered client with its registration access token: it joins their apps and cannot be claimed again", async ({ page }) => {
  const name = `Registered ${Date.now()}`;
  const client = registerClient({
    client_name: name,
    redirect_uris: ["https://mcp-client.example/callback"],
    grant_types: ["authorization_code", "client_credentials"],
    scope: "openid account:read",
  });
  await signIn(page);
  await page.goto("/apps");
  await expect(page.getByRole("link", { name })).toHaveCount(0);
  await page.getByRole("link", { name: "Claim a client that registered itself" }).click();
  await expect(page).toHaveURL(/\/apps\/claim$/);

  const claim = async (clientId: string, token: string) => {
    await page.getByLabel("Client ID").fill(clientId);
    await page.getByLabel("Registration access token").fill(token);
    await page.getByRole("button", { name: "Claim client" }).click();
  };
  await claim("latchkey-demo", client.registration_access_token);
  await expect(page.getByText("32 hexadecimal characters")).toBeVisible();
  await claim(client.client_id, "lk_reg_not-the-token");
  await expect(page.getByRole("alert").filter({ hasText: "No unclaimed registered client" })).toBeVisible();

  await claim(client.client_id, client.registration_access_token);
  await expect(page).toHaveURL(new RegExp(`/apps/${client.client_id}$`));
  await expect(page.getByRole("heading", { name })).toBeVisible();
  // The client keeps working; its owner now manages it here.
  expect((await clientCredentials(page.request, client.client_id, client.client_secret)).status).toBe(200);
  await page.goto("/apps");
  await expect(page.getByTestId("app-row").filter({ hasText: name })).toBeVisible();

  // The registration access token was used up.
  await page.goto("/apps/claim");
  await claim(client.client_id, client.registration_access_token);
  await expect(page.getByRole("alert").filter({ hasText: "No unclaimed registered client" })).toBeVisible();
});
