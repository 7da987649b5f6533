// Account basics in a real browser, with email through a real SMTP server started here: password
// reset, email verification and change, password change, the profile form, account deletion.
import type { AddressInfo } from "node:net";
import { chromium, type Browser, type Locator, type Page } from "playwright-core";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findChromium } from "../e2e/chromium";
import { signIn } from "./helpers/browserless-login";
import { startServer, type RunningServer } from "./helpers/server";

interface Received {
  to: string[];
  body: string;
}

let server: RunningServer;
let smtp: SMTPServer;
let browser: Browser;
const inbox: Received[] = [];
const logins: string[] = [];

/** The message as text: quoted-printable soft breaks and escapes undone. */
const decode = (raw: string) => raw.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: false,
    allowInsecureAuth: true,
    disabledCommands: ["STARTTLS"],
    onAuth(auth, _session, cb) {
      logins.push(`${auth.username}:${auth.password}`);
      cb(null, { user: auth.username });
    },
    onData(stream, session, cb) {
      let raw = "";
      stream.on("data", (chunk: Buffer) => (raw += chunk.toString("utf8")));
      stream.on("end", () => {
        inbox.push({ to: session.envelope.rcptTo.map((r) => r.address), body: decode(raw) });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  const { port } = smtp.server.address() as AddressInfo;
  server = await startServer({
    LATCHKEY_SMTP_URL: `smtp://mailer:mail-secret@127.0.0.1:${port}`,
    LATCHKEY_MAIL_FROM: "Latchkey <auth@example.test>",
  });
  const found = findChromium();
  if (!found.ok) throw new Error(found.message);
  browser = await chromium.launch({ executablePath: found.executablePath, args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
}, 400_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
});

let counter = 0;
const uniqueEmail = (label: string) => `${label}-${Date.now().toString(36)}-${++counter}@example.test`;

function createUser(email: string, password: string) {
  const r = server.cli(["users", "create", "--email", email, "--password", password]);
  expect(r.status, r.stderr).toBe(0);
}

/** Polls the inbox for a message to `to` containing a link to `path`; returns the link. */
async function linkMailedTo(to: string, path: string, after = 0): Promise<string> {
  const pattern = new RegExp(`${server.issuer.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}${path}\\?[A-Za-z0-9_=&%-]+`);
  const deadline = Date.now() + 30_000;
  for (;;) {
    const mail = inbox.slice(after).find((m) => m.to.includes(to) && pattern.test(m.body));
    if (mail) return pattern.exec(mail.body)![0];
    if (Date.now() > deadline) throw new Error(`no mail to ${to} with ${path}; inbox: ${JSON.stringify(inbox.map((m) => m.to))}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits for the element (server actions hash passwords and send mail), then reads its text. */
async function textOf(locator: Locator): Promise<string> {
  await locator.waitFor({ timeout: 30_000 });
  return (await locator.textContent()) ?? "";
}

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ baseURL: server.issuer });
  return context.newPage();
}

async function signInWithBrowser(page: Page, email: string, password: string) {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/apps$/);
}

async function signInFails(email: string, password: string): Promise<boolean> {
  return signIn(server.issuer, email, password).then(
    () => false,
    () => true,
  );
}

describe("password reset by email", () => {
  it("mails a single-use link that sets a new password, and answers the same for unknown addresses", async () => {
    const email = uniqueEmail("reset");
    createUser(email, "old-password-1");
    const page = await newPage();

    await page.goto("/signin");
    await page.getByRole("link", { name: "Forgot password?" }).click();
    await page.waitForURL(/\/reset-password$/);
    await page.getByLabel("Email").fill(uniqueEmail("nobody"));
    await page.getByRole("button", { name: "Email me a reset link" }).click();
    const answer = await textOf(page.getByTestId("form-done"));
    expect(answer).toContain("If an account uses this address");

    await page.goto("/reset-password");
    await page.getByLabel("Email").fill(email.toUpperCase());
    await page.getByRole("button", { name: "Email me a reset link" }).click();
    expect(await textOf(page.getByTestId("form-done"))).toBe(answer);

    const link = await linkMailedTo(email, "/reset-password");
    expect(logins).toContain("mailer:mail-secret");
    await page.goto(link);
    await page.getByLabel("New password").fill("short");
    await page.getByRole("button", { name: "Set new password" }).click();
    expect(await textOf(page.locator("#field-password-error"))).toContain("at least 8");
    await page.getByLabel("New password").fill("new-password-2");
    await page.getByRole("button", { name: "Set new password" }).click();
    expect(await textOf(page.getByTestId("form-done"))).toContain("Your password is changed");

    await signInWithBrowser(page, email, "new-password-2");
    expect(await signInFails(email, "old-password-1")).toBe(true);

    await page.goto(link);
    expect(await page.getByTestId("link-expired").isVisible()).toBe(true);
    expect(await page.getByLabel("New password").count()).toBe(0);
    const audit = await server.query(`SELECT "action" FROM "AuditLog" WHERE "actor" = ? AND "action" LIKE 'user.password_reset%'`, [email]);
    expect(audit.map((a) => a.action).sort()).toEqual(["user.password_reset_completed", "user.password_reset_requested"]);
  }, 120_000);
});

describe("email verification and change", () => {
  it("sign-up mails a verification link; opening it marks the email verified on the account page", async () => {
    const email = uniqueEmail("verify");
    const page = await newPage();
    await page.goto("/signup");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("password-123");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(/\/apps$/);
    await page.goto("/account");
    expect(await page.getByTestId("email-status").textContent()).toBe("not verified");

    const link = await linkMailedTo(email, "/verify-email");
    await page.goto(link);
    await page.getByRole("button", { name: "Verify my email" }).click();
    expect(await textOf(page.getByTestId("form-done"))).toContain(`${email} is verified`);
    await page.goto("/account");
    expect(await page.getByTestId("email-status").textContent()).toBe("verified");
    const [row] = await server.query<{ emailVerified: unknown }>(`SELECT "emailVerified" FROM "User" WHERE "email" = ?`, [email]);
    expect(row!.emailVerified).not.toBeNull();
  }, 120_000);

  it("the account page sends a verification link on demand, and the email changes only when the new address confirms", async () => {
    const email = uniqueEmail("change");
    const next = uniqueEmail("changed");
    createUser(email, "password-123");
    const page = await newPage();
    await signInWithBrowser(page, email, "password-123");
    await page.goto("/account");
    await page.getByRole("button", { name: "Send verification email" }).click();
    await page.getByText(`We sent a verification link to ${email}`).waitFor({ timeout: 30_000 });
    await linkMailedTo(email, "/verify-email");

    await page.getByLabel("New email").fill(next);
    await page.getByRole("button", { name: "Change email" }).click();
    await page.getByText(`We sent a confirmation link to ${next}`).waitFor({ timeout: 30_000 });
    await page.reload();
    expect(await page.getByTestId("account-email").textContent()).toBe(email);

    const link = await linkMailedTo(next, "/verify-email");
    expect(link).toContain("change=1");
    await page.goto(link);
    await page.getByRole("button", { name: "Change my email" }).click();
    expect(await textOf(page.getByTestId("form-done"))).toContain(`Your email is now ${next}`);
    await page.goto("/account");
    expect(await page.getByTestId("account-email").textContent()).toBe(next);
    expect(await page.getByTestId("email-status").textContent()).toBe("verified");
    expect(await signInFails(next, "password-123")).toBe(false);
  }, 120_000);
});

describe("changing the email to a taken address", () => {
  it("answers as for any address (no probing for accounts) and sends the owner of that address a notice, not a link", async () => {
    const email = uniqueEmail("prober");
    const taken = uniqueEmail("taken");
    createUser(email, "password-123");
    createUser(taken, "password-456");
    const page = await newPage();
    await signInWithBrowser(page, email, "password-123");
    await page.goto("/account");
    const before = inbox.length;
    await page.getByLabel("New email").fill(taken);
    await page.getByRole("button", { name: "Change email" }).click();
    await page.getByText(`We sent a confirmation link to ${taken}`).waitFor({ timeout: 30_000 });
    const deadline = Date.now() + 30_000;
    while (!inbox.slice(before).some((m) => m.to.includes(taken) && m.body.includes(`${server.issuer}/reset-password`))) {
      expect(Date.now(), "no notice to the taken address").toBeLessThan(deadline);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(inbox.slice(before).filter((m) => m.to.includes(taken) && m.body.includes("/verify-email"))).toEqual([]);
    expect(await server.query(`SELECT "id" FROM "UserToken" WHERE "purpose" = 'change_email' AND "data" = ?`, [taken])).toEqual([]);
    await page.reload();
    expect(await page.getByTestId("account-email").textContent()).toBe(email);
  }, 120_000);
});

describe("account page", () => {
  it("changing the password requires the current one and signs out the user's other sessions", async () => {
    const email = uniqueEmail("password");
    createUser(email, "password-123");
    const page = await newPage();
    await signInWithBrowser(page, email, "password-123");
    const otherDevice = await newPage();
    await signInWithBrowser(otherDevice, email, "password-123");
    await page.goto("/account");
    await page.getByLabel("Current password").fill("wrong-password");
    await page.getByLabel("New password").fill("password-456");
    await page.getByRole("button", { name: "Change password" }).click();
    expect(await textOf(page.locator("#field-currentPassword-error"))).toBe("This is not your current password.");
    expect(await signInFails(email, "password-456")).toBe(true);

    await page.getByLabel("Current password").fill("password-123");
    await page.getByLabel("New password").fill("password-456");
    await page.getByRole("button", { name: "Change password" }).click();
    await page.getByText("Your password is changed.").waitFor({ timeout: 30_000 });
    expect(await signInFails(email, "password-456")).toBe(false);
    expect(await signInFails(email, "password-123")).toBe(true);

    await page.goto("/account");
    await page.getByLabel("Current password").waitFor();
    expect(new URL(page.url()).pathname).toBe("/account");
    await otherDevice.goto("/account");
    await otherDevice.waitForURL(/\/signin/);
  }, 120_000);

  it("guessing the current password from an open session locks the account as wrong sign-ins do", async () => {
    const email = uniqueEmail("guess");
    createUser(email, "password-123");
    const page = await newPage();
    await signInWithBrowser(page, email, "password-123");
    await page.goto("/account");
    const attempt = async (current: string) => {
      await page.getByLabel("Current password").fill(current);
      await page.getByLabel("New password").fill("password-456");
      await page.getByRole("button", { name: "Change password" }).click();
      const error = page.locator("#field-currentPassword-error");
      await error.waitFor({ timeout: 30_000 });
      const text = (await error.textContent()) ?? "";
      await page.reload(); // the next answer is a fresh element
      return text;
    };
    for (let i = 1; i <= 4; i++) expect(await attempt(`wrong-${i}`)).toBe("This is not your current password.");
    expect(await attempt("wrong-5")).toBe("Too many attempts. Try again in 15 minutes.");
    expect(await attempt("password-123")).toBe("Too many attempts. Try again in 15 minutes.");
    expect(await signInFails(email, "password-123")).toBe(true);
  }, 120_000);

  it("the profile form shows a message per invalid field and saves the standard claims", async () => {
    const email = uniqueEmail("profile");
    createUser(email, "password-123");
    const page = await newPage();
    await signInWithBrowser(page, email, "password-123");
    await page.goto("/account");
    const form = page.getByRole("form", { name: "Profile" });
    await form.getByLabel("Given name").fill("Ada");
    await form.getByLabel("Birthdate").fill("1990-02-30");
    await form.getByLabel("Time zone").fill("Mars/Olympus_Mons");
    await form.getByLabel("Website").fill("ftp://ada.example");
    await form.getByRole("button", { name: "Save profile" }).click();
    expect(await textOf(form.locator("#field-birthdate-error"))).toBe("Use YYYY-MM-DD or YYYY.");
    expect(await form.locator("#field-zoneinfo-error").textContent()).toContain("IANA time zone");
    expect(await form.locator("#field-website-error").textContent()).toContain("http");
    expect(await form.getByLabel("Given name").inputValue()).toBe("Ada");

    await form.getByLabel("Birthdate").fill("1990-02-28");
    await form.getByLabel("Time zone").fill("Europe/London");
    await form.getByLabel("Website").fill("https://ada.example");
    await form.getByLabel("Locale").fill("en-GB");
    await form.getByLabel("City or locality").fill("London");
    await form.getByLabel("Country").fill("United Kingdom");
    await form.getByRole("button", { name: "Save profile" }).click();
    await form.getByText("Your profile is saved.").waitFor({ timeout: 30_000 });
    await page.reload();
    expect(await page.getByRole("form", { name: "Profile" }).getByLabel("Time zone").inputValue()).toBe("Europe/London");
    const [row] = await server.query<{ givenName: string; birthdate: string; address: string }>(
      `SELECT "givenName", "birthdate", "address" FROM "User" WHERE "email" = ?`,
      [email],
    );
    expect(row).toMatchObject({ givenName: "Ada", birthdate: "1990-02-28" });
    expect(JSON.parse(row!.address)).toEqual({ locality: "London", country: "United Kingdom" });
  }, 120_000);

  it("deleting the account needs the email typed, names the apps it deletes, removes the user and signs them out", async () => {
    const email = uniqueEmail("delete");
    createUser(email, "password-123");
    const app = server.cli([
      "clients", "create", "--owner", email, "--name", "Doomed app", "--redirect-uri", "http://127.0.0.1/cb",
      "--scope", "openid", "--grant-types", "authorization_code", "--type", "public", "--json",
    ]);
    expect(app.status, app.stderr).toBe(0);
    const page = await newPage();
    await signInWithBrowser(page, email, "password-123");
    await page.goto("/account");
    expect(await page.getByTestId("deletion-plan").textContent()).toContain("Doomed app");
    const form = page.getByRole("form", { name: "Delete account" });
    await form.getByLabel(`Type ${email} to confirm`).fill("someone@example.test");
    await form.getByRole("button", { name: "Delete my account" }).click();
    expect(await textOf(form.locator("#field-confirmEmail-error"))).toBe("Type your email exactly as shown.");

    await form.getByLabel(`Type ${email} to confirm`).fill(email);
    await form.getByRole("button", { name: "Delete my account" }).click();
    await page.waitForURL(/\/signin/);
    expect(await server.query(`SELECT "id" FROM "User" WHERE "email" = ?`, [email])).toEqual([]);
    expect(await server.query(`SELECT "id" FROM "Client" WHERE "name" = ?`, ["Doomed app"])).toEqual([]);
    await page.goto("/account");
    await page.waitForURL(/\/signin/);
    expect(await signInFails(email, "password-123")).toBe(true);
    const [entry] = await server.query<{ details: string }>(`SELECT "details" FROM "AuditLog" WHERE "action" = 'user.deleted' AND "actor" = ?`, [email]);
    expect(JSON.parse(entry!.details)).toMatchObject({ appsDeleted: ["Doomed app"] });
  }, 120_000);
});

describe("team invitations", () => {
  it("go to whoever reads the invited address: an unverified account accepts only through the emailed link, which verifies it", async () => {
    const ownerEmail = uniqueEmail("team-owner");
    const inviteeEmail = uniqueEmail("team-invitee");
    createUser(ownerEmail, "owner-password-1");
    createUser(inviteeEmail, "invitee-password-1"); // as a sign-up leaves it: not verified
    const created = server.cli(["clients", "create", "--owner", ownerEmail, "--name", "Team mail app", "--scope", "openid",
      "--grant-types", "client_credentials", "--type", "confidential", "--json"]);
    expect(created.status, created.stderr).toBe(0);
    const clientId = (JSON.parse(created.stdout.slice(created.stdout.indexOf("{"))) as { client_id: string }).client_id;

    const owner = await newPage();
    await signInWithBrowser(owner, ownerEmail, "owner-password-1");
    await owner.goto(`/apps/${clientId}/team`);
    const mailsBefore = inbox.length;
    await owner.getByLabel("Email", { exact: true }).fill(inviteeEmail);
    await owner.getByLabel("Role").selectOption("viewer");
    await owner.getByRole("button", { name: "Invite" }).click();
    expect(await textOf(owner.getByRole("status").filter({ hasText: `Invited ${inviteeEmail} as viewer` }))).toContain(inviteeEmail);

    const invitee = await newPage();
    await signInWithBrowser(invitee, inviteeEmail, "invitee-password-1");
    const listed = invitee.locator('[data-testid=invitation][data-app="Team mail app"]');
    await listed.getByRole("button", { name: "Accept" }).click();
    expect(await textOf(invitee.getByText(/Verify your email address first/))).toContain("invitation email");
    expect(await server.query(`SELECT "id" FROM "AppMember" WHERE "clientId" = ?`, [clientId])).toEqual([]);

    await invitee.goto(await linkMailedTo(inviteeEmail, "/apps/invitations", mailsBefore));
    await invitee.locator('[data-testid=invitation][data-app="Team mail app"]').getByRole("button", { name: "Accept" }).click();
    await invitee.waitForURL(new RegExp(`/apps/${clientId}$`));
    expect(await textOf(invitee.getByTestId("your-role"))).toContain("viewer");
    const [row] = await server.query<{ emailVerified: unknown }>(`SELECT "emailVerified" FROM "User" WHERE "email" = ?`, [inviteeEmail]);
    expect(row!.emailVerified).not.toBeNull();
  }, 120_000);
});

describe("admin user management", () => {
  it("an admin emails a reset link, sees the profile, and deletes a user with their app transferred to the admin", async () => {
    const admin = uniqueEmail("admin");
    const email = uniqueEmail("member");
    const r = server.cli(["users", "create", "--email", admin, "--password", "password-123", "--admin"]);
    expect(r.status, r.stderr).toBe(0);
    createUser(email, "password-123");
    await server.execute(`UPDATE "User" SET "givenName" = ?, "locale" = ? WHERE "email" = ?`, ["Grace", "en-US", email]);
    const app = server.cli([
      "clients", "create", "--owner", email, "--name", "Kept app", "--redirect-uri", "http://127.0.0.1/cb",
      "--scope", "openid", "--grant-types", "authorization_code", "--type", "public", "--json",
    ]);
    expect(app.status, app.stderr).toBe(0);
    const [user] = await server.query<{ id: string }>(`SELECT "id" FROM "User" WHERE "email" = ?`, [email]);
    const page = await newPage();
    await signInWithBrowser(page, admin, "password-123");

    await page.goto(`/admin/users?${new URLSearchParams({ q: email })}`);
    await page.getByRole("button", { name: "Email reset link" }).click();
    await page.getByText(`A password reset link was emailed to ${email}`).waitFor({ timeout: 30_000 });
    await linkMailedTo(email, "/reset-password");

    await page.getByRole("link", { name: email }).click();
    await page.waitForURL(new RegExp(`/admin/users/${user!.id}$`));
    expect(await textOf(page.getByTestId("user-profile"))).toContain("Grace");
    expect(await textOf(page.getByTestId("deletion-plan"))).toContain("Kept app");
    const form = page.getByRole("form", { name: "Delete user" });
    await form.getByLabel("Transfer them to me").check();
    await form.getByLabel(`Type ${email} to confirm`).fill(email);
    await form.getByRole("button", { name: "Delete user" }).click();
    await page.waitForURL(/\/admin\/users$/);
    expect(await server.query(`SELECT "id" FROM "User" WHERE "email" = ?`, [email])).toEqual([]);
    const [owner] = await server.query<{ email: string }>(
      `SELECT u."email" FROM "Client" c JOIN "User" u ON u."id" = c."ownerId" WHERE c."name" = ?`,
      ["Kept app"],
    );
    expect(owner!.email).toBe(admin);
  }, 120_000);
});
