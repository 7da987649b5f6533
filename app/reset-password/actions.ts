"use server";

import { headers } from "next/headers";
import { tooManyAttemptsMessage } from "@/lib/auth/too-many-attempts";
import { requestPasswordReset, resetPasswordWithToken } from "@/lib/data/account";
import { normalizeEmail } from "@/lib/data/users";
import { clientIp } from "@/lib/server/client-ip";
import { action, done, fail } from "@/lib/server/action";
import { consumePasswordReset } from "@/lib/server/rate-limits";
import { forgotPasswordSchema, resetPasswordSchema } from "@/lib/validation/account";

const RESET_REQUESTED = "If an account uses this address, we sent it a link to choose a new password. The link works once, for an hour.";

export const requestPasswordResetAction = action({ access: "public", schema: forgotPasswordSchema }, async ({ email }) => {
  const ip = clientIp(await headers());
  const wait = await consumePasswordReset(normalizeEmail(email), ip);
  if (wait !== null) return fail(tooManyAttemptsMessage(wait));
  // Not awaited: the answer takes as long whether or not the address has an account.
  void requestPasswordReset(email, ip).catch((err) => console.error("[latchkey] password reset email failed", (err as Error)?.message ?? err));
  return done(RESET_REQUESTED);
});

export const resetPasswordAction = action({ access: "public", schema: resetPasswordSchema }, async ({ token, password }) => {
  if (!(await resetPasswordWithToken(token, password))) return fail("This link has expired or was already used. Ask for a new one.");
  return done("Your password is changed. Sign in with it.");
});
