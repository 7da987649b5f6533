// Teams: the owner invites a registered user as a viewer, who accepts and reads but cannot rotate
// a secret (neither in the UI nor by replaying the server action); promoted to developer they can;
// ownership moves to them and the old owner stays on as a developer.
import { expect, test, type Browser, type Page } from "@playwright/test";
import { latchkey } from "./helpers/cli";
import { createApp, signIn } from "./portal-helpers";

/**
 * A teammate whose address is verified (here an admin vouches for it): invitations go to whoever
 * reads mail at the address, so an unverified account accepts only through the emailed link
 * (tests/integration/account-email.test.ts).
 */
async function teammate(browser: Browser, email: string): Promise<Page> {
  latchkey(["users", "create", "--email", email, "--password", "correct horse battery", "--name", "Tess Teammate", "--email-verified"]);
  const page = await (await browser.newContext()).newPage();
  await signIn(page, { email, password: "correct horse battery" });
  return page;
}


test("an invited viewer reads the app but cannot rotate its secret; as a developer they can; ownership transfers", async ({ page: owner, browser }) => {
  test.setTimeout(180_000);
  const stamp = Date.now();
  const inviteeEmail = `teammate-${stamp}@example.com`;
  const appName = `Team ${stamp}`;

  await signIn(owner);
  const { clientId } = await createApp(owner, { name: appName, type: "confidential", grantTypes: ["client_credentials"] });
  const invitee = await teammate(browser, inviteeEmail);

  // Only registered users can be invited.
  await owner.goto(`/apps/${clientId}/team`);
  await owner.getByLabel("Email", { exact: true }).fill(`nobody-${stamp}@example.com`);
  await owner.getByRole("button", { name: "Invite" }).click();
  await expect(owner.getByText("No Latchkey account uses this email")).toBeVisible();

  await owner.getByLabel("Email", { exact: true }).fill(inviteeEmail);
  await owner.getByLabel("Role").selectOption("viewer");
  await owner.getByRole("button", { name: "Invite" }).click();
  await expect(owner.getByRole("status").filter({ hasText: `Invited ${inviteeEmail} as viewer` })).toBeVisible();
  await owner.reload();
  await expect(owner.locator(`[data-testid=pending-invitation][data-email="${inviteeEmail}"]`)).toBeVisible();

  // The invitee sees the invitation in their apps list and accepts it.
  await invitee.goto("/apps");
  const invitation = invitee.locator(`[data-testid=invitation][data-app="${appName}"]`);
  await expect(invitation).toContainText("viewer");
  await invitation.getByRole("button", { name: "Accept" }).click();
  await expect(invitee).toHaveURL(new RegExp(`/apps/${clientId}$`));
  await expect(invitee.getByTestId("your-role")).toContainText("viewer");
  await expect(invitee.getByTestId("live-secret")).toHaveCount(1);
  await expect(invitee.getByRole("button", { name: "Rotate secret" })).toHaveCount(0);
  await expect(invitee.getByTestId("viewer-notice")).toBeVisible();
  await invitee.goto(`/apps/${clientId}/settings`);
  await expect(invitee.getByTestId("viewer-notice")).toBeVisible();
  await expect(invitee.getByRole("button", { name: /Save/ })).toHaveCount(0);
  await invitee.goto("/apps");
  await expect(invitee.getByTestId("app-row").filter({ hasText: appName }).getByTestId("app-role")).toHaveText("viewer");

  // The owner rotates; the viewer replays that very server action with their own session.
  await owner.goto(`/apps/${clientId}`);
  await owner.getByLabel("After rotating, current secrets keep working for").selectOption({ label: "1 hour" });
  const [rotateRequest] = await Promise.all([
    owner.waitForRequest((r) => r.method() === "POST" && !!r.headers()["next-action"]),
    owner.getByRole("button", { name: "Rotate secret" }).click(),
  ]);
  await expect(owner.getByTestId("new-secret")).toHaveText(/^lk_secret_/);
  await expect(owner.getByTestId("live-secret")).toHaveCount(2);
  const headers = rotateRequest.headers();
  const replay = await invitee.request.post(rotateRequest.url(), {
    headers: { "next-action": headers["next-action"]!, "content-type": headers["content-type"]!, origin: headers["origin"] ?? new URL(rotateRequest.url()).origin, accept: "text/x-component" },
    data: rotateRequest.postDataBuffer()!,
  });
  const replayed = await replay.text();
  expect(replayed).toContain("As a viewer of this app you cannot do this.");
  expect(replayed).not.toContain("lk_secret_");
  await owner.reload();
  await expect(owner.getByTestId("live-secret")).toHaveCount(2);

  // Promoted to developer, the teammate rotates.
  await owner.goto(`/apps/${clientId}/team`);
  const row = owner.locator(`[data-testid=team-member][data-email="${inviteeEmail}"]`);
  await row.getByRole("button", { name: "Make developer" }).click();
  await expect(row.getByTestId("member-role")).toHaveText("developer");
  await invitee.goto(`/apps/${clientId}`);
  await expect(invitee.getByTestId("your-role")).toContainText("developer");
  await invitee.getByLabel("After rotating, current secrets keep working for").selectOption({ label: "1 hour" });
  await invitee.getByRole("button", { name: "Rotate secret" }).click();
  await expect(invitee.getByTestId("new-secret")).toHaveText(/^lk_secret_/);
  await expect(invitee.getByRole("button", { name: "Invite" })).toHaveCount(0);

  // Ownership moves to the teammate; the old owner stays as a developer.
  owner.once("dialog", (d) => void d.accept());
  await row.getByRole("button", { name: "Make owner" }).click();
  await expect(owner.getByText("Ownership transferred")).toBeVisible();
  await expect(owner.locator(`[data-testid=team-member][data-email="${inviteeEmail}"]`).getByTestId("member-role")).toHaveText("owner");
  await expect(owner.locator(`[data-testid=team-member][data-email="dev@latchkey.local"]`).getByTestId("member-role")).toHaveText("developer");
  await expect(owner.getByRole("button", { name: "Invite" })).toHaveCount(0);
  await invitee.goto(`/apps/${clientId}/team`);
  await expect(invitee.getByRole("button", { name: "Invite" })).toBeVisible();
  await expect(invitee.getByTestId("your-role")).toHaveCount(0);
});
