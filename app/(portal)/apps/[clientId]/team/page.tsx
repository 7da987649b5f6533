import type { Metadata } from "next";
import { ActionButton } from "@/components/action-button";
import { InviteMemberForm } from "@/components/apps/invite-member-form";
import { Card } from "@/components/ui/card";
import { ScrollRegion } from "@/components/ui/scroll-region";
import { Time } from "@/components/ui/time";
import { listTeam } from "@/lib/data/app-members";
import { listInvitationsForApp } from "@/lib/data/invitations";
import { loadMemberApp } from "../../owned-app";
import { changeMemberRoleAction, inviteMemberAction, removeMemberAction, revokeInvitationAction, transferOwnershipAction } from "./actions";

export const metadata: Metadata = { title: "Team" };

export default async function TeamPage({ params, searchParams }: { params: Promise<{ clientId: string }>; searchParams: Promise<{ transferred?: string }> }) {
  const { app, role, user } = await loadMemberApp((await params).clientId);
  const { transferred } = await searchParams;
  const isOwner = role === "owner";
  const [team, invitations] = await Promise.all([listTeam(app.id), isOwner ? listInvitationsForApp(app.id) : Promise.resolve([])]);
  return (
    <div className="space-y-6">
      {transferred && (
        <p role="status" className="rounded-md bg-emerald-50 dark:bg-emerald-950/60 px-3 py-2 text-sm text-emerald-800 dark:text-emerald-200">
          Ownership transferred. You stay on the team as a developer.
        </p>
      )}
      <Card
        title="Team"
        description="The owner manages the team and can delete the app; developers edit settings and rotate secrets; viewers only read."
      >
        <ScrollRegion label="Team members">
          <table className="w-full text-left text-sm">
            <thead className="text-xs uppercase tracking-wide text-slate-600 dark:text-slate-300">
              <tr>
                <th className="py-2 pr-4 font-medium">Member</th>
                <th className="py-2 pr-4 font-medium">Role</th>
                <th className="py-2 pr-4 font-medium">Since</th>
                {isOwner && <th className="py-2 font-medium"><span className="sr-only">Actions</span></th>}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
              {team.map((m) => (
                <tr key={m.userId} data-testid="team-member" data-email={m.email}>
                  <td className="py-2 pr-4">
                    {m.name ? <>{m.name} <span className="text-slate-600 dark:text-slate-300">{m.email}</span></> : m.email}
                    {m.userId === user.id && <span className="text-slate-600 dark:text-slate-300"> (you)</span>}
                  </td>
                  <td className="py-2 pr-4 capitalize" data-testid="member-role">{m.role}</td>
                  <td className="py-2 pr-4 text-slate-600 dark:text-slate-300"><Time value={m.since} /></td>
                  {isOwner && (
                    <td className="flex flex-wrap justify-end gap-2 py-2">
                      {m.role !== "owner" && (
                        <>
                          {m.role === "viewer" ? (
                            <ActionButton action={changeMemberRoleAction} fields={{ clientId: app.id, userId: m.userId, role: "developer" }} label="Make developer" />
                          ) : (
                            <ActionButton action={changeMemberRoleAction} fields={{ clientId: app.id, userId: m.userId, role: "viewer" }} label="Make viewer" />
                          )}
                          <ActionButton
                            action={transferOwnershipAction}
                            fields={{ clientId: app.id, userId: m.userId }}
                            label="Make owner"
                            confirm={`Make ${m.email} the owner of ${app.name}? You stay on the team as a developer and can no longer manage the team or delete the app.`}
                          />
                          <ActionButton action={removeMemberAction} fields={{ clientId: app.id, userId: m.userId }} label="Remove" danger confirm={`Remove ${m.email} from ${app.name}'s team?`} />
                        </>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      </Card>
      {isOwner && (
        <Card title="Invite someone" description="Invite a registered Latchkey user by email. The invitation is valid for 7 days.">
          <InviteMemberForm action={inviteMemberAction.bind(null, app.id)} />
        </Card>
      )}
      {isOwner && invitations.length > 0 && (
        <Card title="Pending invitations">
          <ul className="divide-y divide-slate-100 dark:divide-slate-800">
            {invitations.map((inv) => (
              <li key={inv.id} className="flex flex-wrap items-center justify-between gap-3 py-2 text-sm" data-testid="pending-invitation" data-email={inv.email}>
                <span>
                  {inv.email} as a <strong>{inv.role}</strong>
                  <span className="text-slate-600 dark:text-slate-300"> · expires <Time value={inv.expiresAt} /></span>
                </span>
                <ActionButton action={revokeInvitationAction} fields={{ clientId: app.id, invitationId: inv.id }} label="Withdraw" danger />
              </li>
            ))}
          </ul>
        </Card>
      )}
    </div>
  );
}
