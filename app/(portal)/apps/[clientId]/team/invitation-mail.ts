import "server-only";
import { INVITATION_DAYS } from "@/lib/data/invitations";
import { env } from "@/lib/env";
import type { Mail } from "@/lib/mail/send";

export function invitationMail({ to, appName, role, inviter, token }: { to: string; appName: string; role: string; inviter: string; token: string }): Mail {
  const url = `${env().issuer}/apps/invitations?${new URLSearchParams({ token })}`;
  const text = [
    `${inviter} invited you to join the team of “${appName}” on Latchkey as a ${role}.`,
    `Accept or decline within ${INVITATION_DAYS} days, from your apps list or this link:`,
    "",
    url,
    "",
    "If you did not expect this, ignore this email.",
    "— Latchkey",
  ].join("\n");
  return { to, subject: `Join “${appName}” on Latchkey`, text };
}
