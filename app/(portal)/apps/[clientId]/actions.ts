"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { revokeClientSecret, rotateClientSecret, setSecretLabel } from "@/lib/data/clients";
import { action, done, fail } from "@/lib/server/action";
import { secretLabelSchema } from "@/lib/validation/app";
import { GRACE_PERIODS, type GracePeriod } from "./grace-periods";

const rotateSchema = z.object({
  grace: z.enum(GRACE_PERIODS.map((g) => g.value) as [GracePeriod, ...GracePeriod[]], {
    message: "Choose how long the old secret keeps working.",
  }),
  label: secretLabelSchema,
});

export const rotateSecretAction = action(
  { access: { app: "developer" }, schema: rotateSchema, input: (form, clientId: string) => ({ clientId, grace: form.get("grace"), label: String(form.get("label") ?? "") }) },
  async ({ grace, label }, { app, actor }) => {
    if (app.type !== "confidential") return fail("Public apps have no secret to rotate.");
    const { secret } = await rotateClientSecret(app.id, GRACE_PERIODS.find((g) => g.value === grace)!.seconds, actor, label);
    revalidatePath(`/apps/${app.id}`);
    return done(undefined, { secret });
  },
);

export const revokeSecretAction = action(
  { access: { app: "developer" }, schema: z.object({ secretId: z.string().min(1).max(64) }), input: (_form, clientId: string, secretId: string) => ({ clientId, secretId }) },
  async ({ secretId }, { app, actor }) => {
    const revoked = await revokeClientSecret(app.id, secretId, actor);
    revalidatePath(`/apps/${app.id}`);
    return revoked ? done("Secret revoked.") : fail("That secret was already revoked.");
  },
);

export const labelSecretAction = action(
  {
    access: { app: "developer" },
    schema: z.object({ secretId: z.string().min(1).max(64), label: secretLabelSchema }),
    input: (form, clientId: string, secretId: string) => ({ clientId, secretId, label: String(form.get("label") ?? "") }),
  },
  async ({ secretId, label }, { app, actor }) => {
    const found = await setSecretLabel(app.id, secretId, label, actor);
    revalidatePath(`/apps/${app.id}`);
    return found ? done(label ? "Label saved." : "Label removed.") : fail("That secret does not exist.");
  },
);
