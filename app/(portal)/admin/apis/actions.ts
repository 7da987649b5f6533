"use server";

import { revalidatePath } from "next/cache";
import { ApiExistsError, createApi, deleteApi, UnknownApiScopeError, updateApi } from "@/lib/data/apis";
import { apiSchema } from "@/lib/validation/api";
import { adminActor, fieldErrorsOf, ONLY_ADMINS, type AdminActionState } from "../admin-actor";

function apiInputFrom(form: FormData) {
  return {
    identifier: String(form.get("identifier") ?? ""),
    name: String(form.get("name") ?? ""),
    scopes: form.getAll("scopes").map(String),
    accessTokenTtl: String(form.get("accessTokenTtl") ?? ""),
  };
}

export async function createApiAction(_prev: AdminActionState, form: FormData): Promise<AdminActionState> {
  const actor = await adminActor();
  if (!actor) return ONLY_ADMINS;
  const parsed = apiSchema.safeParse(apiInputFrom(form));
  if (!parsed.success) return { fieldErrors: fieldErrorsOf(parsed.error), message: "Check the fields marked above." };
  try {
    const api = await createApi(parsed.data, actor);
    revalidatePath("/admin/apis");
    return { ok: true, message: `Added ${api.name}.` };
  } catch (err) {
    if (err instanceof ApiExistsError) return { fieldErrors: { identifier: "An API with this identifier already exists." } };
    if (err instanceof UnknownApiScopeError) return { fieldErrors: { scopes: err.message } };
    throw err;
  }
}

/** The identifier is bound by the page, never taken from the form: it cannot change. */
export async function updateApiAction(identifier: string, _prev: AdminActionState, form: FormData): Promise<AdminActionState> {
  const actor = await adminActor();
  if (!actor) return ONLY_ADMINS;
  const parsed = apiSchema.safeParse({ ...apiInputFrom(form), identifier });
  if (!parsed.success) return { fieldErrors: fieldErrorsOf(parsed.error), message: "Check the fields marked above." };
  try {
    const api = await updateApi(identifier, parsed.data, actor);
    if (!api) return { message: "This API no longer exists." };
    revalidatePath("/admin/apis");
    return { ok: true, message: "Saved." };
  } catch (err) {
    if (err instanceof UnknownApiScopeError) return { fieldErrors: { scopes: err.message } };
    throw err;
  }
}

export async function deleteApiAction(_prev: AdminActionState, form: FormData): Promise<AdminActionState> {
  const actor = await adminActor();
  if (!actor) return ONLY_ADMINS;
  const identifier = String(form.get("identifier") ?? "");
  if (!(await deleteApi(identifier, actor))) return { message: "This API no longer exists." };
  revalidatePath("/admin/apis");
  return { ok: true };
}
