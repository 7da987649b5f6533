"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { currentUser } from "@/lib/auth/session";
import { revokeGrant } from "@/lib/data/grants";

const removeAccessSchema = z.object({ grantId: z.string().min(1).max(64) });

export interface RemoveAccessState {
  message?: string;
}

export async function removeAccess(_prev: RemoveAccessState, form: FormData): Promise<RemoveAccessState> {
  const user = await currentUser();
  if (!user) return { message: "Your session ended. Sign in again." };
  const parsed = removeAccessSchema.safeParse({ grantId: form.get("grantId") });
  if (!parsed.success) return { message: "That app could not be found." };
  // revokeGrant only matches grants of this user: ownership is checked in the query.
  const removed = await revokeGrant(user.id, parsed.data.grantId, { id: user.id, label: user.email });
  revalidatePath("/account");
  return removed ? {} : { message: "That app no longer has access." };
}
