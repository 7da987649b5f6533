"use server";

import { headers } from "next/headers";
import { tooManyAttemptsMessage } from "@/lib/auth/too-many-attempts";
import { createUser, EmailTakenError } from "@/lib/data/users";
import { sendVerificationEmail } from "@/lib/data/account";
import { recordAudit } from "@/lib/data/audit";
import { fieldErrorsOf } from "@/lib/form-state";
import { action, done, fail } from "@/lib/server/action";
import { clientIp } from "@/lib/server/client-ip";
import { consumeSignUp } from "@/lib/server/rate-limits";
import { signUpSchema } from "@/lib/validation/sign-up";

/** What was typed (not the password), so a failed submit loses nothing. */
const valuesOf = (raw: Record<string, unknown>) => ({ name: String(raw.name ?? ""), email: String(raw.email ?? "") });

export const signUp = action(
  {
    access: "public",
    schema: signUpSchema,
    input: (form) => ({ name: (form.get("name") as string | null) || undefined, email: form.get("email"), password: form.get("password") }),
    invalid: (error, raw) => ({ ...fieldErrorsOf(error), values: valuesOf(raw) }),
  },
  async (data) => {
    const values = valuesOf(data);
    // Counted once the form is valid: a taken email counts too (it is how addresses are probed).
    const wait = await consumeSignUp(clientIp(await headers()));
    if (wait !== null) return fail(tooManyAttemptsMessage(wait), { values });
    try {
      const user = await createUser(data);
      await recordAudit({ id: user.id, label: user.email }, "user.signed_up", user.id);
      void sendVerificationEmail(user.id).catch((err) => console.error("[latchkey] verification email failed", (err as Error)?.message ?? err));
      return done();
    } catch (err) {
      if (err instanceof EmailTakenError) return { status: "error", fieldErrors: { email: err.message }, values };
      throw err;
    }
  },
);
