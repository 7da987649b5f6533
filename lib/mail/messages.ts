import "server-only";
import { env } from "../env";
import type { Mail } from "./send";

const link = (path: string, token: string, extra: Record<string, string> = {}) =>
  `${env().issuer}${path}?${new URLSearchParams({ ...extra, token })}`;

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function message(to: string, subject: string, lines: string[], url: string, button: string): Mail {
  const text = [...lines, "", url, "", "If you did not ask for this, ignore this email.", "— Latchkey"].join("\n");
  const html = `<p>${lines.map(escape).join("</p><p>")}</p><p><a href="${escape(url)}">${escape(button)}</a></p><p>If you did not ask for this, ignore this email.</p><p>— Latchkey</p>`;
  return { to, subject, text, html };
}

export function passwordResetMail(to: string, token: string): Mail {
  return message(
    to,
    "Reset your Latchkey password",
    ["Someone asked to reset the password of your Latchkey account.", "Open this link within an hour to choose a new password. It works once."],
    link("/reset-password", token),
    "Choose a new password",
  );
}

export function verifyEmailMail(to: string, token: string): Mail {
  return message(to, "Verify your email for Latchkey", ["Confirm that this address belongs to your Latchkey account."], link("/verify-email", token), "Verify my email");
}

export function changeEmailMail(to: string, token: string): Mail {
  return message(
    to,
    "Confirm your new email for Latchkey",
    ["Someone asked to make this the email of a Latchkey account.", "The change happens when you open this link (within 24 hours)."],
    link("/verify-email", token, { change: "1" }),
    "Confirm the new email",
  );
}

/** Sent instead of a confirmation link when the address asked for already has an account. */
export function emailTakenMail(to: string): Mail {
  return message(
    to,
    "Your email was entered on Latchkey",
    [
      "Someone asked to move another Latchkey account to this address. It already belongs to your account, so nothing changed.",
      "If you forgot your password, you can reset it here.",
    ],
    `${env().issuer}/reset-password`,
    "Reset my password",
  );
}
