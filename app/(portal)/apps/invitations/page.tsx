import type { Metadata } from "next";
import Link from "next/link";
import { PendingInvitations } from "@/components/apps/pending-invitations";
import { Card } from "@/components/ui/card";
import { requireUser } from "@/lib/auth/session";
import { findInvitationByToken } from "@/lib/data/invitations";
import { normalizeEmail } from "@/lib/data/users";

export const metadata: Metadata = { title: "Invitation" };

/** Where the emailed link lands: the invitation, for its invitee only. */
export default async function InvitationPage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const { token = "" } = await searchParams;
  const user = await requireUser(`/apps/invitations?${new URLSearchParams({ token })}`);
  const invitation = await findInvitationByToken(token);
  if (invitation && invitation.email === normalizeEmail(user.email)) {
    return (
      <div className="space-y-6">
        <h1 className="text-2xl font-semibold">Invitation</h1>
        <PendingInvitations invitations={[invitation]} token={token} />
      </div>
    );
  }
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold">Invitation</h1>
      <Card>
        <p role="alert" className="text-sm text-slate-700 dark:text-slate-300">
          {invitation
            ? `This invitation is for ${invitation.email}. Sign in with that account to answer it.`
            : "This invitation is no longer valid: it was used, withdrawn or has expired."}
        </p>
        <Link href="/apps" className="mt-3 inline-block text-sm text-brand-700 dark:text-brand-300 underline underline-offset-2">Your apps</Link>
      </Card>
    </div>
  );
}
