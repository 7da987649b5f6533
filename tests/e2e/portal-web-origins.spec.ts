import { expect, test } from "@playwright/test";
import { basicAuth, createApp, signIn } from "./portal-helpers";

test("a developer registers the web origins of a single-page app in the settings form", async ({ page }) => {
  await signIn(page);
  const { clientId, secret } = await createApp(page, {
    name: `SPA Backend ${Date.now()}`,
    type: "confidential",
    redirectUris: ["https://spa-callback.example.test/cb"],
    grantTypes: ["client_credentials"],
  });

  await page.goto(`/apps/${clientId}`);
  const overview = page.getByRole("region", { name: "Allowed web origins" });
  await expect(overview.getByTestId("web-origins").locator("li")).toHaveText(["https://spa-callback.example.test"]);
  await expect(overview).toContainText("Derived from your redirect URIs");

  await page.goto(`/apps/${clientId}/settings`);
  const field = page.getByLabel("Allowed web origins");
  await expect(field).toHaveValue("");
  await expect(page.getByText("Origins of single-page apps that call the token endpoint from the browser.")).toBeVisible();

  await field.fill("https://spa.example.test/path");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("https://spa.example.test/path: An origin has no path, query or fragment: register https://spa.example.test")).toBeVisible();
  await expect(field).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("Check the fields marked above.")).toBeVisible();

  await field.fill("https://spa.example.test\nhttp://localhost:5173");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("status")).toHaveText("Saved.");
  await expect(field).not.toHaveAttribute("aria-invalid", "true");

  await page.reload();
  await expect(page.getByLabel("Allowed web origins")).toHaveValue("https://spa.example.test\nhttp://localhost:5173");
  await page.goto(`/apps/${clientId}`);
  await expect(overview.getByTestId("web-origins").locator("li")).toHaveText(["https://spa.example.test", "http://localhost:5173"]);
  await expect(overview).toContainText("Registered in Settings.");

  const token = (origin: string) =>
    page.request.post("/oauth/token", {
      form: { grant_type: "client_credentials" },
      headers: { authorization: basicAuth(clientId, secret!), origin },
    });
  expect((await token("https://spa.example.test")).headers()["access-control-allow-origin"]).toBe("https://spa.example.test");
  expect((await token("https://spa-callback.example.test")).headers()["access-control-allow-origin"]).toBeUndefined();
});
