import { expect, type Locator, type Page } from "@playwright/test";

/** Suspends, revokes or rejects from a row of the admin console, giving the reason it asks for. */
export async function adminActionWithReason(page: Page, row: Locator, label: "Suspend" | "Revoke" | "Reject", appName: string, reason: string) {
  await row.getByText(`${label}…`, { exact: true }).click();
  const verb = { Suspend: "suspending", Revoke: "revoking", Reject: "rejecting" }[label];
  await row.getByLabel(new RegExp(`^Reason for ${verb} `)).fill(reason);
  await row.getByRole("button", { name: `${label} ${appName}` }).click();
  await expect(row.getByRole("button", { name: `${label} ${appName}` })).toBeHidden();
}
