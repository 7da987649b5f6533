"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { deleteApp, UnknownScopeError, updateApp } from "@/lib/data/clients";
import { CHECK_FIELDS, fieldErrorsOf } from "@/lib/form-state";
import { action, done, fail } from "@/lib/server/action";
import { REVOKED_READ_ONLY } from "./revoked";
import { removeAppLogo, saveAppLogo } from "@/lib/data/app-logos";
import { appFormSchema } from "@/lib/validation/app";
import { readLogoUpload } from "@/lib/validation/logo";
import { appInputFrom } from "../../form-state";

export const updateAppAction = action(
  {
    access: { app: "developer" },
    // The type is fixed at creation: the app's own, whatever the form says.
    schema: ({ app }) => z.preprocess((raw) => ({ ...(raw as object), type: app.type }), appFormSchema),
    input: (form, clientId: string) => ({ ...appInputFrom(form), clientId }),
    invalid: (error) => ({ ...fieldErrorsOf(error), message: CHECK_FIELDS }),
  },
  async (data, { app: current, actor }) => {
    if (current.status === "revoked") return fail(REVOKED_READ_ONLY);
    const upload = data.removeLogo ? null : await readLogoUpload(data.logo);
    if (upload && "problem" in upload) return { status: "error", fieldErrors: { logo: upload.problem }, message: CHECK_FIELDS };
    try {
      const app = await updateApp(current.id, data, actor);
      if (data.removeLogo) await removeAppLogo(current.id, actor);
      else if (upload) await saveAppLogo(current.id, upload.bytes, upload.logo, actor);
      revalidatePath(`/apps/${current.id}`, "layout");
      const waiting = app.pendingScopes.length ? " Restricted scopes wait for an administrator's approval." : "";
      return done(`Saved.${waiting}`);
    } catch (err) {
      if (err instanceof UnknownScopeError) return { status: "error", fieldErrors: { scopes: err.message } };
      throw err;
    }
  },
);

export const deleteAppAction = action(
  { access: { app: "owner" }, schema: z.object({ confirm: z.string() }), input: (form, clientId: string) => ({ clientId, confirm: String(form.get("confirm") ?? "").trim() }) },
  async ({ confirm }, { app, actor }) => {
    if (confirm !== app.name) return { status: "error", fieldErrors: { confirm: "Type the app's name exactly as shown to confirm." } };
    await deleteApp(app.id, actor);
    revalidatePath("/apps");
    redirect(`/apps?deleted=${encodeURIComponent(app.name)}`);
  },
);
