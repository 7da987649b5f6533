"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { AccountError, deleteAccount, requestPasswordReset } from "@/lib/data/account";
import { blockUser, getUserById, normalizeEmail, resetUserPassword, setUserRole, unblockUser, UserAdminError } from "@/lib/data/users";
import type { FormState } from "@/lib/form-state";
import { action, done, fail } from "@/lib/server/action";

const userActionSchema = z.object({
  userId: z.string().min(1).max(64),
  action: z.enum(["block", "unblock", "promote", "demote", "reset-password", "email-reset-link"]),
});

export const adminUserAction = action(
  { access: "admin", schema: userActionSchema, invalid: () => ({ message: "Unknown action." }) },
  async ({ userId, action }, { actor }) => {
    let result: FormState;
    try {
      switch (action) {
        case "block": {
          const r = await blockUser(userId, actor);
          result = done(`${r.user.email} is blocked; ${r.grantsRevoked} grant(s) and ${r.familiesRevoked} token family(ies) revoked.`);
          break;
        }
        case "unblock":
          result = done(`${(await unblockUser(userId, actor)).email} can sign in again.`);
          break;
        case "promote":
          result = done(`${(await setUserRole(userId, "admin", actor)).email} is now an admin.`);
          break;
        case "demote":
          result = done(`${(await setUserRole(userId, "user", actor)).email} is no longer an admin.`);
          break;
        case "email-reset-link": {
          const user = await getUserById(userId);
          if (!user) return fail("No such user.");
          if (user.role === "blocked") return fail(`${user.email} is blocked: unblock them first.`);
          await requestPasswordReset(user.email, "admin", actor);
          result = done(`A password reset link was emailed to ${user.email}. It works once, for an hour.`);
          break;
        }
        case "reset-password": {
          const r = await resetUserPassword(userId, actor);
          result = done(`New password for ${r.user.email}, shown only once:`, { secret: r.password });
          break;
        }
      }
    } catch (err) {
      if (err instanceof UserAdminError) return fail(err.message);
      throw err;
    }
    revalidatePath("/admin/users");
    return result;
  },
);

const deleteUserSchema = z.object({
  userId: z.string().min(1).max(64),
  apps: z.enum(["transfer", "delete"], { message: "Choose what happens to their apps." }),
  confirmEmail: z.string().trim().min(1, "Type the user's email to confirm.").max(200),
});

export const adminDeleteUserAction = action({ access: "admin", schema: deleteUserSchema }, async ({ userId, apps, confirmEmail }, { user: me, actor }) => {
  if (userId === me.id) return fail("Delete your own account on your account page.");
  const user = await getUserById(userId);
  if (!user) return fail("No such user.");
  if (normalizeEmail(confirmEmail) !== user.email) return { status: "error", fieldErrors: { confirmEmail: "Type the user's email exactly as shown." } };
  try {
    await deleteAccount(userId, actor, apps === "transfer" ? { transferTo: me.id } : { deleteAllApps: true });
  } catch (err) {
    if (err instanceof AccountError) return fail(err.message);
    throw err;
  }
  revalidatePath("/admin/users");
  // Its own page is gone: back to the list.
  redirect("/admin/users");
});
