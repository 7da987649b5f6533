"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { recordAudit, type Actor } from "@/lib/data/audit";
import { createInitialAccessToken, listInitialAccessTokens, revokeInitialAccessToken } from "@/lib/data/initial-access-tokens";
import { saveServerSetting, type ServerSettings } from "@/lib/data/settings";
import { domainListSchema, metadataDocumentPolicySchema, registrationPolicySchema, registrationTokenSchema } from "@/lib/validation/settings";
import { adminActor, fieldErrorsOf, ONLY_ADMINS, type AdminActionState } from "../admin-actor";

const PATH = "/admin/registration";

async function changeSetting<K extends keyof ServerSettings>(key: K, value: ServerSettings[K], actor: Actor) {
  await saveServerSetting(key, value);
  await recordAudit(actor, "settings.changed", key, { value });
}

export async function saveRegistrationPolicyAction(_prev: AdminActionState, form: FormData): Promise<AdminActionState> {
  const actor = await adminActor();
  if (!actor) return ONLY_ADMINS;
  const parsed = registrationPolicySchema.safeParse(form.get("registration"));
  if (!parsed.success) return { fieldErrors: { registration: "Choose a registration policy." } };
  await changeSetting("registration", parsed.data, actor);
  revalidatePath(PATH);
  return { ok: true, message: "Saved." };
}

const metadataDocumentsSchema = z.object({ metadataDocuments: metadataDocumentPolicySchema, metadataDocumentDomains: domainListSchema });

export async function saveMetadataDocumentPolicyAction(_prev: AdminActionState, form: FormData): Promise<AdminActionState> {
  const actor = await adminActor();
  if (!actor) return ONLY_ADMINS;
  const parsed = metadataDocumentsSchema.safeParse({
    metadataDocuments: form.get("metadataDocuments"),
    metadataDocumentDomains: String(form.get("metadataDocumentDomains") ?? ""),
  });
  if (!parsed.success) return { fieldErrors: fieldErrorsOf(parsed.error) };
  const { metadataDocuments, metadataDocumentDomains } = parsed.data;
  if (metadataDocuments === "listed" && metadataDocumentDomains.length === 0) {
    return { fieldErrors: { metadataDocumentDomains: "List at least one domain, or choose another policy." } };
  }
  await changeSetting("metadataDocumentDomains", metadataDocumentDomains, actor);
  await changeSetting("metadataDocuments", metadataDocuments, actor);
  revalidatePath(PATH);
  return { ok: true, message: "Saved." };
}

export async function createRegistrationTokenAction(_prev: AdminActionState, form: FormData): Promise<AdminActionState> {
  const actor = await adminActor();
  if (!actor) return ONLY_ADMINS;
  const parsed = registrationTokenSchema.safeParse({ label: form.get("label") ?? "", expiresInDays: String(form.get("expiresInDays") ?? "") });
  if (!parsed.success) return { fieldErrors: fieldErrorsOf(parsed.error) };
  const { label, expiresInDays } = parsed.data;
  const expiresAt = expiresInDays === null ? null : new Date(Date.now() + expiresInDays * 86_400_000);
  const { token, id } = await createInitialAccessToken(label, expiresAt);
  await recordAudit(actor, "registration_token.created", id, { label, expiresAt: expiresAt?.toISOString() ?? null });
  revalidatePath(PATH);
  return { ok: true, secret: token, message: `Created “${label}”.` };
}

export async function revokeRegistrationTokenAction(_prev: AdminActionState, form: FormData): Promise<AdminActionState> {
  const actor = await adminActor();
  if (!actor) return ONLY_ADMINS;
  const id = String(form.get("id") ?? "");
  const known = (await listInitialAccessTokens()).find((t) => t.id === id);
  if (!known || known.revokedAt) return { message: "This token is already revoked." };
  await revokeInitialAccessToken(id);
  await recordAudit(actor, "registration_token.revoked", id, { label: known.label });
  revalidatePath(PATH);
  return { ok: true };
}
