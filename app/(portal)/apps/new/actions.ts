"use server";

import { redirect } from "next/navigation";
import { currentUser } from "@/lib/auth/session";
import { createApp, UnknownScopeError } from "@/lib/data/clients";
import { appSchema } from "@/lib/validation/app";
import { actorOf } from "../owned-app";
import { appInputFrom, fieldErrorsOf, type AppFormState } from "../form-state";

export async function createAppAction(_prev: AppFormState, form: FormData): Promise<AppFormState> {
  const user = await currentUser();
  if (!user) redirect("/signin?callbackUrl=/apps/new");
  const parsed = appSchema.safeParse(appInputFrom(form));
  if (!parsed.success) return { ...fieldErrorsOf(parsed.error), message: "Check the fields marked above." };
  try {
    const { app, clientSecret } = await createApp(user.id, parsed.data, actorOf(user));
    if (!clientSecret) redirect(`/apps/${app.id}`);
    return { ok: true, created: { clientId: app.id, name: app.name, clientSecret } };
  } catch (err) {
    if (err instanceof UnknownScopeError) return { fieldErrors: { scopes: err.message } };
    throw err;
  }
}
