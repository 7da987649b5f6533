"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { approvePendingScopes, deleteScope, rejectPendingScopes, saveScope, ScopeInUseError, setPasswordGrant } from "@/lib/data/admin";
import { setAppStatus } from "@/lib/data/clients";
import { scopeSchema } from "@/lib/validation/scope";
import { adminActor as admin, fieldErrorsOf, type AdminActionState } from "./admin-actor";

export type { AdminActionState };

const appActionSchema = z.object({
  // Metadata-document clients are identified by their document's URL.
  clientId: z.string().min(1).max(2048),
  action: z.enum(["suspend", "activate", "revoke", "approve-scopes", "reject-scopes", "enable-password", "disable-password"]),
});

export async function adminAppAction(_prev: AdminActionState, form: FormData): Promise<AdminActionState> {
  const actor = await admin();
  if (!actor) return { message: "Only admins can do this." };
  const parsed = appActionSchema.safeParse({ clientId: form.get("clientId"), action: form.get("action") });
  if (!parsed.success) return { message: "Unknown action." };
  const { clientId, action } = parsed.data;
  switch (action) {
    case "suspend": await setAppStatus(clientId, "suspended", actor); break;
    case "activate": await setAppStatus(clientId, "active", actor); break;
    case "revoke": await setAppStatus(clientId, "revoked", actor); break;
    case "approve-scopes": await approvePendingScopes(clientId, actor); break;
    case "reject-scopes": await rejectPendingScopes(clientId, actor); break;
    case "enable-password": await setPasswordGrant(clientId, true, actor); break;
    case "disable-password": await setPasswordGrant(clientId, false, actor); break;
  }
  revalidatePath("/admin");
  return { ok: true };
}

export async function saveScopeAction(_prev: AdminActionState, form: FormData): Promise<AdminActionState> {
  const actor = await admin();
  if (!actor) return { message: "Only admins can do this." };
  const parsed = scopeSchema.safeParse({
    name: form.get("name"),
    description: form.get("description"),
    category: form.get("category"),
    restricted: form.get("restricted") === "on",
  });
  if (!parsed.success) return { fieldErrors: fieldErrorsOf(parsed.error) };
  await saveScope(parsed.data, actor);
  revalidatePath("/admin/scopes");
  return { ok: true, message: `Saved ${parsed.data.name}.` };
}

export async function deleteScopeAction(_prev: AdminActionState, form: FormData): Promise<AdminActionState> {
  const actor = await admin();
  if (!actor) return { message: "Only admins can do this." };
  const name = String(form.get("name") ?? "");
  try {
    await deleteScope(name, actor);
  } catch (err) {
    if (err instanceof ScopeInUseError) return { message: err.message };
    throw err;
  }
  revalidatePath("/admin/scopes");
  return { ok: true };
}
