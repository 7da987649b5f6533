"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { addRedirectUri } from "@/lib/data/clients";
import { MAX_REDIRECT_URIS, redirectUriProblem } from "@/lib/validation/redirect-uri";
import { findOwnedApp } from "../../owned-app";
import { NOT_YOURS, type FormState } from "../../form-state";

const schema = z.object({
  uri: z
    .string()
    .trim()
    .refine((u) => {
      try {
        return new URL(u).pathname === "/playground/callback";
      } catch {
        return false;
      }
    }, "Only the playground's callback can be added here."),
});

export async function addPlaygroundRedirectAction(clientId: string, _prev: FormState, form: FormData): Promise<FormState> {
  const owned = await findOwnedApp(clientId);
  if (!owned) return { message: NOT_YOURS };
  const parsed = schema.safeParse({ uri: form.get("uri") });
  if (!parsed.success) return { message: parsed.error.issues[0]?.message };
  const problem = redirectUriProblem(parsed.data.uri, owned.app.type);
  if (problem) return { message: problem };
  if (owned.app.redirectUris.length >= MAX_REDIRECT_URIS) {
    return { message: `This app already has ${MAX_REDIRECT_URIS} redirect URIs. Remove one in Settings first.` };
  }
  await addRedirectUri(clientId, parsed.data.uri, owned.actor);
  revalidatePath(`/apps/${clientId}`, "layout");
  return { ok: true, message: "Added." };
}
