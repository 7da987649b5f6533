import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { adminActionWithReason } from "./helpers/admin";
import { latchkey } from "./helpers/cli";
import { CALLBACK, signInAs } from "./helpers/oauth";

test.describe.configure({ mode: "serial" });

interface Settings {
  registration: string;
  metadataDocuments: string;
  metadataDocumentDomains: string[];
}

let before: Settings;

test.beforeAll(() => {
  before = JSON.parse(latchkey(["settings", "show", "--json"])) as Settings;
});

test.afterAll(() => {
  latchkey(["settings", "set", "registration", before.registration]);
  latchkey(["settings", "set", "metadata-documents", before.metadataDocuments]);
  latchkey(["settings", "set", "metadata-document-domains", before.metadataDocumentDomains.join(" ")]);
});

async function signInAsAdmin(page: Page, path: string) {
  await page.goto(`/signin?${new URLSearchParams({ callbackUrl: path })}`);
  await signInAs(page, "admin@latchkey.local", "latchkey-admin");
  await expect(page.getByRole("heading", { name: "Admin console" })).toBeVisible();
}

/** RFC 7591 registration, as an MCP client does it. */
async function register(request: APIRequestContext, name: string) {
  return request.post("/oauth/register", {
    data: { client_name: name, redirect_uris: [CALLBACK], token_endpoint_auth_method: "none", grant_types: ["authorization_code"], response_types: ["code"] },
  });
}

test("an admin adds an API with catalog scopes and a token lifetime, edits it and deletes it; a bad identifier gets a field message", async ({ page }) => {
  const name = `Calendar MCP ${Date.now()}`;
  const identifier = `https://calendar-${Date.now()}.example.test/mcp`;
  await signInAsAdmin(page, "/admin/apis");
  const form = page.getByRole("form", { name: "Add an API" });

  await form.getByLabel("Identifier").fill("http://calendar.example.test/mcp");
  await form.getByLabel("API name").fill(name);
  await form.getByRole("button", { name: "Add API" }).click();
  await expect(form.getByText("plain http is only allowed for loopback hosts")).toBeVisible();

  await form.getByLabel("Identifier").fill(identifier);
  await form.getByLabel("API name").fill(name);
  await form.locator('input[name=scopes][value="notes:read"]').check();
  await form.getByLabel("Access token lifetime (seconds)").fill("900");
  await form.getByRole("button", { name: "Add API" }).click();
  await expect(form.getByRole("status")).toHaveText(`Added ${name}.`);

  const entry = page.getByRole("article", { name });
  await expect(entry.getByTestId("api-identifier")).toHaveText(identifier);
  await expect(entry).toContainText("notes:read");
  await expect(entry).toContainText("900 s");
  expect(JSON.parse(latchkey(["apis", "list", "--json"]))).toContainEqual({ identifier, name, scopes: ["notes:read"], accessTokenTtl: 900 });

  await entry.getByText("Edit").click();
  const edit = entry.getByRole("form", { name: `Edit ${name}` });
  await edit.locator('input[name=scopes][value="notes:write"]').check();
  await edit.getByLabel("Access token lifetime (seconds)").fill("");
  await edit.getByRole("button", { name: "Save API" }).click();
  await expect(edit.getByRole("status")).toHaveText("Saved.");
  await expect(entry).toContainText("notes:read notes:write");
  await expect(entry).toContainText("server default");

  page.once("dialog", (d) => d.accept());
  await entry.getByRole("button", { name: "Delete" }).click();
  await expect(page.getByRole("article", { name })).toHaveCount(0);

  await page.getByRole("link", { name: "Audit log" }).click();
  for (const action of ["api.created", "api.updated", "api.deleted"]) {
    await expect(page.getByTestId("audit-entry").filter({ hasText: action }).filter({ hasText: identifier })).toHaveCount(1);
  }
});

test("an admin opens registration; a client that registered itself is marked, has no owner, and can be suspended", async ({ page }) => {
  await signInAsAdmin(page, "/admin/registration");
  const policy = page.getByRole("form", { name: "Registration policy" });
  await policy.getByRole("radio", { name: /^Off/ }).check();
  await policy.getByRole("button", { name: "Save registration policy" }).click();
  await expect(policy.getByRole("status")).toHaveText("Saved.");
  expect((await register(page.request, "Refused MCP client")).status()).toBeGreaterThanOrEqual(400);

  await policy.getByRole("radio", { name: /^Open for public clients only/ }).check();
  await policy.getByRole("button", { name: "Save registration policy" }).click();
  await expect(policy.getByRole("status")).toHaveText("Saved.");
  await page.reload();
  await expect(page.getByRole("radio", { name: /^Open for public clients only/ })).toBeChecked();
  expect((JSON.parse(latchkey(["settings", "show", "--json"])) as { registration: string }).registration).toBe("public");

  const name = `Self MCP ${Date.now()}`;
  const res = await register(page.request, name);
  expect(res.status()).toBe(201);
  const { client_id } = (await res.json()) as { client_id: string };

  await page.goto("/admin?source=registration");
  const row = page.getByRole("row", { name });
  await expect(row.getByTestId("app-source")).toHaveText("registered itself");
  await expect(row.getByTestId("app-owner")).toHaveText("no owner");
  await expect(row).toContainText(client_id);
  await expect(page.getByRole("row").filter({ hasText: "latchkey-demo" })).toHaveCount(0);

  await adminActionWithReason(page, row, "Suspend", name, "Registered itself with a misleading name");
  await expect(row.getByTestId("app-status")).toHaveText("suspended");
});

test("an admin creates an initial access token (shown once), revokes it, and limits metadata documents to listed domains", async ({ page }) => {
  await signInAsAdmin(page, "/admin/registration");
  const label = `Partner ${Date.now()}`;
  const create = page.getByRole("form", { name: "Create a registration token" });
  await create.getByLabel("Label").fill(label);
  await create.getByLabel("Expires in (days)").fill("30");
  await create.getByRole("button", { name: "Create token" }).click();
  const token = (await page.getByTestId("new-registration-token").textContent())!;
  expect(token.length).toBeGreaterThan(30);

  const row = page.getByRole("row", { name: label });
  await expect(row.getByTestId("registration-token-status")).toHaveText("active");
  await page.reload();
  await expect(page.getByTestId("new-registration-token")).toHaveCount(0);
  await expect(page.getByText(token)).toHaveCount(0);
  page.once("dialog", (d) => d.accept());
  await page.getByRole("row", { name: label }).getByRole("button", { name: "Revoke" }).click();
  await expect(page.getByRole("row", { name: label }).getByTestId("registration-token-status")).toHaveText("revoked");

  const documents = page.getByRole("form", { name: "Metadata document policy" });
  await documents.getByRole("radio", { name: /^Listed domains only/ }).check();
  await documents.getByLabel("Allowed domains").fill("");
  await documents.getByRole("button", { name: "Save metadata document policy" }).click();
  await expect(documents.getByText("List at least one domain")).toBeVisible();
  await documents.getByLabel("Allowed domains").fill("https://apps.example.test/");
  await documents.getByRole("button", { name: "Save metadata document policy" }).click();
  await expect(documents.getByText("a host name only")).toBeVisible();
  await documents.getByLabel("Allowed domains").fill("apps.example.test\n*.tools.example.test");
  await documents.getByRole("button", { name: "Save metadata document policy" }).click();
  await expect(documents.getByRole("status")).toHaveText("Saved.");
  expect(JSON.parse(latchkey(["settings", "show", "--json"]))).toMatchObject({
    metadataDocuments: "listed",
    metadataDocumentDomains: ["apps.example.test", "*.tools.example.test"],
  });
});
