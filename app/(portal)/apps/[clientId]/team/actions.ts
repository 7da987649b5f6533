"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { changeMemberRole, MEMBER_ROLES, removeMember, TeamError, transferOwnership, type MemberRole } from "@/lib/data/app-members";
import { InvitationError, inviteMember, revokeInvitation } from "@/lib/data/invitations";
import type { FormState } from "@/lib/form-state";
import { sendMail } from "@/lib/mail/send";
import { action, done, fail } from "@/lib/server/action";
import { invitationMail } from "./invitation-mail";

const role = z.enum(MEMBER_ROLES as [MemberRole, ...MemberRole[]], { message: "Choose developer or viewer." });
const userId = z.string().min(1).max(64);

function refused(err: unknown): FormState {
  if (err instanceof InvitationError) return err.field ? { status: "error", fieldErrors: { [err.field]: err.message } } : fail(err.message);
  if (err instanceof TeamError) return fail(err.message);
  throw err;
}

function revalidateTeam(clientId: string) {
  revalidatePath(`/apps/${clientId}`, "layout");
  revalidatePath("/apps");
}

/** Only the owner invites; the invitee must already have an account (the "among registered users"). */
export const inviteMemberAction = action(
  {
    access: { app: "owner" },
    schema: z.object({ email: z.email("Enter the email of a Latchkey account.").trim().max(200), role }),
    input: (form, clientId: string) => ({ clientId, email: String(form.get("email") ?? "").trim(), role: form.get("role") }),
  },
  async ({ email, role }, { user, app, actor }) => {
    try {
      const { invitation, token } = await inviteMember(user.id, app.id, email, role, actor);
      await sendMail(invitationMail({ to: invitation.email, appName: app.name, role, inviter: user.name ?? user.email, token }));
      revalidateTeam(app.id);
      return done(`Invited ${invitation.email} as ${role}. They accept from their apps list or the emailed link.`);
    } catch (err) {
      return refused(err);
    }
  },
);

export const changeMemberRoleAction = action(
  { access: { app: "owner" }, schema: z.object({ userId, role }) },
  async ({ userId, role }, { user, app, actor }) => {
    try {
      await changeMemberRole(user.id, app.id, userId, role, actor);
    } catch (err) {
      return refused(err);
    }
    revalidateTeam(app.id);
    return done(`Now a ${role}.`);
  },
);

export const removeMemberAction = action(
  { access: { app: "owner" }, schema: z.object({ userId }) },
  async ({ userId }, { user, app, actor }) => {
    try {
      await removeMember(user.id, app.id, userId, actor);
    } catch (err) {
      return refused(err);
    }
    revalidateTeam(app.id);
    return done("Removed.");
  },
);

/** The old owner stays on as a developer. */
export const transferOwnershipAction = action(
  { access: { app: "owner" }, schema: z.object({ userId }) },
  async ({ userId }, { user, app, actor }) => {
    try {
      await transferOwnership(user.id, app.id, userId, actor);
    } catch (err) {
      return refused(err);
    }
    revalidateTeam(app.id);
    redirect(`/apps/${encodeURIComponent(app.id)}/team?transferred=1`);
  },
);

export const revokeInvitationAction = action(
  { access: { app: "owner" }, schema: z.object({ invitationId: z.string().min(1).max(64) }) },
  async ({ invitationId }, { user, app, actor }) => {
    try {
      await revokeInvitation(user.id, app.id, invitationId, actor);
    } catch (err) {
      return refused(err);
    }
    revalidateTeam(app.id);
    return done("Invitation withdrawn.");
  },
);
