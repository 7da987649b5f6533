"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { recordAudit, type Actor } from "@/lib/data/audit";
import { createInitialAccessToken, listInitialAccessTokens, revokeInitialAccessToken } from "@/lib/data/initial-access-tokens";
import { saveServerSetting, type ServerSettings } from "@/lib/data/settings";
import { action, done, fail } from "@/lib/server/action";
import { domainListSchema, metadataDocumentPolicySchema, registrationPolicySchema, registrationTokenSchema } from "@/lib/validation/settings";

const PATH = "/admin/registration";

async function changeSetting<K extends keyof ServerSettings>(key: K, value: ServerSettings[K], actor: Actor) {
  await saveServerSetting(key, value);
  await recordAudit(actor, "settings.changed", key, { value });
}

export const saveRegistrationPolicyAction = action(
  {
    access: "admin",
    schema: z.object({ registration: registrationPolicySchema }),
    input: (form) => ({ registration: form.get("registration") }),
    invalid: () => ({ fieldErrors: { registration: "Choose a registration policy." } }),
  },
  async ({ registration }, { actor }) => {
    await changeSetting("registration", registration, actor);
    revalidatePath(PATH);
    return done("Saved.");
  },
);

const metadataDocumentsSchema = z.object({ metadataDocuments: metadataDocumentPolicySchema, metadataDocumentDomains: domainListSchema });

export const saveMetadataDocumentPolicyAction = action(
  {
    access: "admin",
    schema: metadataDocumentsSchema,
    input: (form) => ({ metadataDocuments: form.get("metadataDocuments"), metadataDocumentDomains: String(form.get("metadataDocumentDomains") ?? "") }),
  },
  async ({ metadataDocuments, metadataDocumentDomains }, { actor }) => {
    if (metadataDocuments === "listed" && metadataDocumentDomains.length === 0) {
      return { status: "error", fieldErrors: { metadataDocumentDomains: "List at least one domain, or choose another policy." } };
    }
    await changeSetting("metadataDocumentDomains", metadataDocumentDomains, actor);
    await changeSetting("metadataDocuments", metadataDocuments, actor);
    revalidatePath(PATH);
    return done("Saved.");
  },
);

export const createRegistrationTokenAction = action(
  {
    access: "admin",
    schema: registrationTokenSchema,
    input: (form) => ({ label: form.get("label") ?? "", expiresInDays: String(form.get("expiresInDays") ?? "") }),
  },
  async ({ label, expiresInDays }, { actor }) => {
    const expiresAt = expiresInDays === null ? null : new Date(Date.now() + expiresInDays * 86_400_000);
    const { token, id } = await createInitialAccessToken(label, expiresAt);
    await recordAudit(actor, "registration_token.created", id, { label, expiresAt: expiresAt?.toISOString() ?? null });
    revalidatePath(PATH);
    return done(`Created “${label}”.`, { secret: token });
  },
);

export const revokeRegistrationTokenAction = action(
  { access: "admin", schema: z.object({ id: z.string() }), input: (form) => ({ id: String(form.get("id") ?? "") }) },
  async ({ id }, { actor }) => {
    const known = (await listInitialAccessTokens()).find((t) => t.id === id);
    if (!known || known.revokedAt) return fail("This token is already revoked.");
    await revokeInitialAccessToken(id);
    await recordAudit(actor, "registration_token.revoked", id, { label: known.label });
    revalidatePath(PATH);
    return done();
  },
);
