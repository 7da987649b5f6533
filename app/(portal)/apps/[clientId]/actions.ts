"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { revokeClientSecret, rotateClientSecret } from "@/lib/data/clients";
import { findOwnedApp } from "../owned-app";
import { NOT_YOURS, type FormState } from "../form-state";
import { GRACE_PERIODS, type GracePeriod } from "./grace-periods";

const rotateSchema = z.object({
  grace: z.enum(GRACE_PERIODS.map((g) => g.value) as [GracePeriod, ...GracePeriod[]], {
    message: "Choose how long the old secret keeps working.",
  }),
});

export interface RotateState extends FormState {
  secret?: string;
}

export async function rotateSecretAction(clientId: string, _prev: RotateState, form: FormData): Promise<RotateState> {
  const owned = await findOwnedApp(clientId);
  if (!owned) return { message: NOT_YOURS };
  if (owned.app.type !== "confidential") return { message: "Public apps have no secret to rotate." };
  const parsed = rotateSchema.safeParse({ grace: form.get("grace") });
  if (!parsed.success) return { fieldErrors: { grace: parsed.error.issues[0]?.message ?? "Invalid choice." } };
  const { secret } = await rotateClientSecret(clientId, GRACE_PERIODS.find((g) => g.value === parsed.data.grace)!.seconds, owned.actor);
  revalidatePath(`/apps/${clientId}`);
  return { ok: true, secret };
}

export async function revokeSecretAction(clientId: string, secretId: string, _prev: FormState, _form: FormData): Promise<FormState> {
  const owned = await findOwnedApp(clientId);
  if (!owned) return { message: NOT_YOURS };
  const revoked = await revokeClientSecret(clientId, String(secretId), owned.actor);
  revalidatePath(`/apps/${clientId}`);
  return revoked ? { ok: true, message: "Secret revoked." } : { message: "That secret was already revoked." };
}
