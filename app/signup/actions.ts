"use server";

import { headers } from "next/headers";
import { tooManyAttemptsMessage } from "@/lib/auth/too-many-attempts";
import { createUser, EmailTakenError } from "@/lib/data/users";
import { recordAudit } from "@/lib/data/audit";
import { clientIp } from "@/lib/server/client-ip";
import { consumeSignUp } from "@/lib/server/rate-limits";
import { signUpSchema } from "@/lib/validation/sign-up";

export interface SignUpState {
  ok: boolean;
  /** What was typed (not the password), so a failed submit loses nothing. */
  values?: { name: string; email: string };
  fieldErrors?: Partial<Record<"name" | "email" | "password", string>>;
  message?: string;
}

export async function signUp(_prev: SignUpState, form: FormData): Promise<SignUpState> {
  const values = { name: String(form.get("name") ?? ""), email: String(form.get("email") ?? "") };
  const parsed = signUpSchema.safeParse({
    name: (form.get("name") as string | null) || undefined,
    email: form.get("email"),
    password: form.get("password"),
  });
  if (!parsed.success) {
    const fieldErrors: SignUpState["fieldErrors"] = {};
    for (const issue of parsed.error.issues) {
      const key = issue.path[0] as keyof NonNullable<SignUpState["fieldErrors"]>;
      fieldErrors[key] ??= issue.message;
    }
    return { ok: false, fieldErrors, values };
  }
  // Counted once the form is valid: a taken email counts too (it is how addresses are probed).
  const wait = await consumeSignUp(clientIp(await headers()));
  if (wait !== null) return { ok: false, message: tooManyAttemptsMessage(wait), values };
  try {
    const user = await createUser(parsed.data);
    await recordAudit({ id: user.id, label: user.email }, "user.signed_up", user.id);
    return { ok: true };
  } catch (err) {
    if (err instanceof EmailTakenError) return { ok: false, fieldErrors: { email: err.message }, values };
    throw err;
  }
}
