"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { currentUser } from "@/lib/auth/session";
import { claimRegisteredClient } from "@/lib/data/registered-clients";
import { fieldErrorsOf, type FormState } from "../form-state";

const claimSchema = z.object({
  clientId: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[0-9a-f]{32}$/, "Enter the client_id the client received when it registered (32 hexadecimal characters)."),
  registrationAccessToken: z.string().trim().min(1, "Enter the client's registration access token.").max(200, "This is not a registration access token."),
});

export async function claimAppAction(_prev: FormState, form: FormData): Promise<FormState> {
  const user = await currentUser();
  if (!user) redirect("/signin?callbackUrl=/apps/claim");
  const parsed = claimSchema.safeParse({
    clientId: String(form.get("clientId") ?? ""),
    registrationAccessToken: String(form.get("registrationAccessToken") ?? ""),
  });
  if (!parsed.success) return { ...fieldErrorsOf(parsed.error), message: "Check the fields marked above." };
  const { clientId, registrationAccessToken } = parsed.data;
  if (!(await claimRegisteredClient(clientId, registrationAccessToken, { id: user.id, email: user.email }))) {
    return { message: "No unclaimed registered client has this client ID and registration access token." };
  }
  redirect(`/apps/${clientId}`);
}
