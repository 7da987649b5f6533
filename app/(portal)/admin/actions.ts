"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import {
  approvePendingScopes,
  deleteScope,
  PublicClientPasswordGrantError,
  rejectPendingScopes,
  saveScope,
  ScopeInUseError,
  setPasswordGrant,
} from "@/lib/data/admin";
import type { Actor } from "@/lib/data/audit";
import { RevokedAppError, setAppStatus } from "@/lib/data/clients";
import { action, done, fail } from "@/lib/server/action";
import { fieldErrorsOf } from "@/lib/form-state";
import { scopeSchema } from "@/lib/validation/scope";

const appActionSchema = z.object({
  // Metadata-document clients are identified by their document's URL.
  clientId: z.string().min(1).max(2048),
  action: z.enum(["suspend", "activate", "revoke", "approve-scopes", "reject-scopes", "enable-password", "disable-password"]),
  reason: z.string().trim().max(500, "At most 500 characters.").default(""),
}).superRefine((input, ctx) => {
  // Shown to the app's developers on its page, and kept in the audit log.
  if (REASON_REQUIRED.has(input.action) && !input.reason) ctx.addIssue({ code: "custom", path: ["reason"], message: "Give a reason: the app's developers see it." });
});

const REASON_REQUIRED = new Set(["suspend", "revoke", "reject-scopes"]);

export const adminAppAction = action(
  {
    access: "admin",
    schema: appActionSchema,
    invalid: (error) => {
      const { fieldErrors } = fieldErrorsOf(error);
      return fieldErrors?.reason ? { fieldErrors: { reason: fieldErrors.reason }, message: fieldErrors.reason } : { message: "Unknown action." };
    },
  },
  async ({ clientId, action, reason }, { actor }) => {
    try {
      await appAction(clientId, action, reason, actor);
    } catch (err) {
      if (err instanceof RevokedAppError || err instanceof PublicClientPasswordGrantError) return fail(err.message);
      throw err;
    }
    revalidatePath("/admin");
    return done();
  },
);

async function appAction(clientId: string, action: z.infer<typeof appActionSchema>["action"], reason: string, actor: Actor): Promise<void> {
  switch (action) {
    case "suspend": await setAppStatus(clientId, "suspended", actor, reason); break;
    case "activate": await setAppStatus(clientId, "active", actor); break;
    case "revoke": await setAppStatus(clientId, "revoked", actor, reason); break;
    case "approve-scopes": await approvePendingScopes(clientId, actor); break;
    case "reject-scopes": await rejectPendingScopes(clientId, actor, reason); break;
    case "enable-password": await setPasswordGrant(clientId, true, actor); break;
    case "disable-password": await setPasswordGrant(clientId, false, actor); break;
  }
}

export const saveScopeAction = action(
  {
    access: "admin",
    schema: scopeSchema,
    input: (form) => ({
      name: form.get("name"),
      description: form.get("description"),
      category: form.get("category"),
      restricted: form.get("restricted") === "on",
    }),
  },
  async (scope, { actor }) => {
    await saveScope(scope, actor);
    revalidatePath("/admin/scopes");
    return done(`Saved ${scope.name}.`);
  },
);

export const deleteScopeAction = action(
  { access: "admin", schema: z.object({ name: z.string() }), input: (form) => ({ name: String(form.get("name") ?? "") }) },
  async ({ name }, { actor }) => {
    try {
      await deleteScope(name, actor);
    } catch (err) {
      if (err instanceof ScopeInUseError) return fail(err.message);
      throw err;
    }
    revalidatePath("/admin/scopes");
    return done();
  },
);
