"use server";

import { headers } from "next/headers";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { AccountError, changeName, changePassword, deleteAccount, requestEmailChange, sendVerificationEmail } from "@/lib/data/account";
import { revokeGrant } from "@/lib/data/grants";
import { updateProfile } from "@/lib/data/profile";
import { normalizeEmail } from "@/lib/data/users";
import { changeEmailSchema, changeNameSchema, changePasswordSchema, deleteAccountSchema } from "@/lib/validation/account";
import { profileSchema } from "@/lib/validation/profile";
import { CHECK_FIELDS, fieldErrorsOf, type FormState } from "@/lib/form-state";
import { action, done, fail } from "@/lib/server/action";
import { clientIp } from "@/lib/server/client-ip";
import { recordSignInFailure, signInBlocked } from "@/lib/server/rate-limits";
import { tooManyAttemptsMessage } from "@/lib/auth/too-many-attempts";

export type RemoveAccessState = FormState;

export const removeAccess = action(
  {
    access: "user",
    schema: z.object({ grantId: z.string().min(1).max(64) }),
    input: (form) => ({ grantId: form.get("grantId") }),
    invalid: () => ({ message: "That app could not be found." }),
  },
  async ({ grantId }, { user, actor }) => {
    // revokeGrant only matches grants of this user: ownership is checked in the query.
    const removed = await revokeGrant(user.id, grantId, actor);
    revalidatePath("/account");
    return removed ? done() : fail("That app no longer has access.");
  },
);

export const changeNameAction = action({ access: "user", schema: changeNameSchema }, async ({ name }, { user, actor }) => {
  await changeName(user.id, name, actor);
  revalidatePath("/account");
  return done("Your name is saved.");
});

export const changeEmailAction = action({ access: "user", schema: changeEmailSchema }, async ({ email }, { user, actor }) => {
  try {
    await requestEmailChange(user.id, email, actor);
  } catch (err) {
    if (err instanceof AccountError) return { status: "error", fieldErrors: { email: err.message } };
    throw err;
  }
  revalidatePath("/account");
  return done(`We sent a confirmation link to ${normalizeEmail(email)}. Your email changes when you open it.`);
});

export const changePasswordAction = action({ access: "user", schema: changePasswordSchema }, async ({ currentPassword, newPassword }, { user, actor }) => {
  // Guessing the current password (from a session left open) counts as failed sign-ins: the
  // same lockout stops it.
  const account = normalizeEmail(user.email);
  const ip = clientIp(await headers());
  const blocked = await signInBlocked(account, ip);
  if (blocked) return { status: "error", fieldErrors: { currentPassword: tooManyAttemptsMessage(blocked.retryAfter) } };
  if (!(await changePassword(user.id, currentPassword, newPassword, actor, user.sessionId))) {
    const failure = await recordSignInFailure(account, ip);
    const message = failure.refusal ? tooManyAttemptsMessage(failure.refusal.retryAfter) : "This is not your current password.";
    return { status: "error", fieldErrors: { currentPassword: message } };
  }
  return done("Your password is changed.");
});

export const sendVerificationAction = action({ access: "user", schema: z.object({}) }, async (_data, { user }) => {
  if (!(await sendVerificationEmail(user.id))) return done("Your email is already verified.");
  return done(`We sent a verification link to ${user.email}.`);
});

export const updateProfileAction = action(
  {
    access: "user",
    schema: profileSchema,
    invalid: (error, raw) => ({
      message: CHECK_FIELDS,
      fieldErrors: fieldErrorsOf(error).fieldErrors,
      values: Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, String(v ?? "")])),
    }),
  },
  async (profile, { user, actor }) => {
    await updateProfile(user.id, profile, actor);
    revalidatePath("/account");
    return done("Your profile is saved.");
  },
);

export const deleteAccountAction = action({ access: "user", schema: deleteAccountSchema }, async ({ confirmEmail }, { user, actor }) => {
  if (normalizeEmail(confirmEmail) !== user.email) return { status: "error", fieldErrors: { confirmEmail: "Type your email exactly as shown." } };
  try {
    await deleteAccount(user.id, actor);
  } catch (err) {
    if (err instanceof AccountError) return fail(err.message);
    throw err;
  }
  return done("Your account is deleted.");
});
