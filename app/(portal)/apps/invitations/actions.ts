"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { acceptInvitation, declineInvitation, InvitationError } from "@/lib/data/invitations";
import { action, done, fail } from "@/lib/server/action";

const schema = z.object({ invitationId: z.string().min(1).max(64) });
/** From the emailed link's page, the link's token comes along: it proves the address. */
const acceptSchema = schema.extend({ token: z.string().max(200).optional() });

/** Only the invitee can answer: the data layer matches the invitation's email to theirs. */
export const acceptInvitationAction = action({ access: "user", schema: acceptSchema, signIn: () => "/apps" }, async ({ invitationId, token }, { user, actor }) => {
  let clientId: string;
  try {
    ({ clientId } = await acceptInvitation(user, invitationId, actor, token || null));
  } catch (err) {
    if (err instanceof InvitationError) return fail(err.message);
    throw err;
  }
  revalidatePath("/apps");
  redirect(`/apps/${encodeURIComponent(clientId)}`);
});

export const declineInvitationAction = action({ access: "user", schema, signIn: () => "/apps" }, async ({ invitationId }, { user, actor }) => {
  try {
    await declineInvitation(user, invitationId, actor);
  } catch (err) {
    if (err instanceof InvitationError) return fail(err.message);
    throw err;
  }
  revalidatePath("/apps");
  return done("Declined.");
});
