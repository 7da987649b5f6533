"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { blockUser, resetUserPassword, setUserRole, unblockUser, UserAdminError } from "@/lib/data/users";
import { adminActor, ONLY_ADMINS, type AdminActionState } from "../admin-actor";

const userActionSchema = z.object({
  userId: z.string().min(1).max(64),
  action: z.enum(["block", "unblock", "promote", "demote", "reset-password"]),
});

export async function adminUserAction(_prev: AdminActionState, form: FormData): Promise<AdminActionState> {
  const actor = await adminActor();
  if (!actor) return ONLY_ADMINS;
  const parsed = userActionSchema.safeParse({ userId: form.get("userId"), action: form.get("action") });
  if (!parsed.success) return { message: "Unknown action." };
  const { userId, action } = parsed.data;
  let result: AdminActionState;
  try {
    switch (action) {
      case "block": {
        const r = await blockUser(userId, actor);
        result = { ok: true, message: `${r.user.email} is blocked; ${r.grantsRevoked} grant(s) and ${r.familiesRevoked} token family(ies) revoked.` };
        break;
      }
      case "unblock":
        result = { ok: true, message: `${(await unblockUser(userId, actor)).email} can sign in again.` };
        break;
      case "promote":
        result = { ok: true, message: `${(await setUserRole(userId, "admin", actor)).email} is now an admin.` };
        break;
      case "demote":
        result = { ok: true, message: `${(await setUserRole(userId, "user", actor)).email} is no longer an admin.` };
        break;
      case "reset-password": {
        const r = await resetUserPassword(userId, actor);
        result = { ok: true, message: `New password for ${r.user.email}, shown only once:`, secret: r.password };
        break;
      }
    }
  } catch (err) {
    if (err instanceof UserAdminError) return { message: err.message };
    throw err;
  }
  revalidatePath("/admin/users");
  return result;
}
