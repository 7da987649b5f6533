"use server";

import { z } from "zod";
import { createUser, EmailTakenError } from "@/lib/data/users";
import { recordAudit } from "@/lib/data/audit";

export const signUpSchema = z.object({
  name: z.string().trim().max(80, "At most 80 characters.").optional(),
  email: z.email("Enter a valid email address.").trim().max(200),
  password: z.string().min(8, "Use at least 8 characters.").max(200, "At most 200 characters."),
});

export interface SignUpState {
  ok: boolean;
  fieldErrors?: Partial<Record<"name" | "email" | "password", string>>;
  message?: string;
}

export async function signUp(_prev: SignUpState, form: FormData): Promise<SignUpState> {
  const parsed = signUpSchema.safeParse({
    name: form.get("name") ?? undefined,
    email: form.get("email"),
    password: form.get("password"),
  });
  if (!parsed.success) {
    const fieldErrors: SignUpState["fieldErrors"] = {};
    for (const issue of parsed.error.issues) {
      const key = issue.path[0] as keyof NonNullable<SignUpState["fieldErrors"]>;
      fieldErrors[key] ??= issue.message;
    }
    return { ok: false, fieldErrors };
  }
  try {
    const user = await createUser(parsed.data);
    await recordAudit({ id: user.id, label: user.email }, "user.signed_up", user.id);
    return { ok: true };
  } catch (err) {
    if (err instanceof EmailTakenError) return { ok: false, fieldErrors: { email: err.message } };
    throw err;
  }
}
