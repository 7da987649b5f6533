"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { deleteApp, UnknownScopeError, updateApp } from "@/lib/data/clients";
import { appSchema } from "@/lib/validation/app";
import { findOwnedApp } from "../../owned-app";
import { appInputFrom, fieldErrorsOf, NOT_YOURS, type AppFormState, type FormState } from "../../form-state";

export async function updateAppAction(clientId: string, _prev: AppFormState, form: FormData): Promise<AppFormState> {
  const owned = await findOwnedApp(clientId);
  if (!owned) return { message: NOT_YOURS };
  const parsed = appSchema.safeParse({ ...appInputFrom(form), type: owned.app.type });
  if (!parsed.success) return { ...fieldErrorsOf(parsed.error), message: "Check the fields marked above." };
  try {
    const app = await updateApp(clientId, parsed.data, owned.actor);
    revalidatePath(`/apps/${clientId}`, "layout");
    const waiting = app.pendingScopes.length ? " Restricted scopes wait for an administrator's approval." : "";
    return { ok: true, message: `Saved.${waiting}` };
  } catch (err) {
    if (err instanceof UnknownScopeError) return { fieldErrors: { scopes: err.message } };
    throw err;
  }
}

export async function deleteAppAction(clientId: string, _prev: FormState, form: FormData): Promise<FormState> {
  const owned = await findOwnedApp(clientId);
  if (!owned) return { message: NOT_YOURS };
  if (String(form.get("confirm") ?? "").trim() !== owned.app.name) {
    return { fieldErrors: { confirm: "Type the app's name exactly as shown to confirm." } };
  }
  await deleteApp(clientId, owned.actor);
  revalidatePath("/apps");
  redirect(`/apps?deleted=${encodeURIComponent(owned.app.name)}`);
}
