import { acceptInvitationAction, declineInvitationAction } from "@/app/(portal)/apps/invitations/actions";
import { ActionButton } from "@/components/action-button";
import { Card } from "@/components/ui/card";
import { Time } from "@/components/ui/time";
import type { PendingInvitation } from "@/lib/data/invitations";

/** The signed-in user's invitations to join an app's team. */
export function PendingInvitations({ invitations, token }: { invitations: PendingInvitation[]; /** The emailed link's token, on its page. */ token?: string }) {
  if (!invitations.length) return null;
  return (
    <Card title="Invitations" description="You were invited to join these apps' teams.">
      <ul className="divide-y divide-slate-100 dark:divide-slate-800" data-testid="pending-invitations">
        {invitations.map((inv) => (
          <li key={inv.id} className="flex flex-wrap items-center justify-between gap-3 py-3" data-testid="invitation" data-app={inv.appName}>
            <p className="text-sm">
              <strong>{inv.appName}</strong> as a <strong>{inv.role}</strong>
              {inv.invitedBy && <> from {inv.invitedBy}</>}
              <span className="block text-xs text-slate-600 dark:text-slate-300">
                Expires <Time value={inv.expiresAt} />
              </span>
            </p>
            <div className="flex gap-2">
              <ActionButton action={acceptInvitationAction} fields={token ? { invitationId: inv.id, token } : { invitationId: inv.id }} label="Accept" />
              <ActionButton action={declineInvitationAction} fields={{ invitationId: inv.id }} label="Decline" danger />
            </div>
          </li>
        ))}
      </ul>
    </Card>
  );
}
