"use server";

import { redirect } from "next/navigation";
import { createApp, UnknownScopeError } from "@/lib/data/clients";
import { CHECK_FIELDS, fieldErrorsOf } from "@/lib/form-state";
import { action, done } from "@/lib/server/action";
import { saveAppLogo } from "@/lib/data/app-logos";
import { appFormSchema } from "@/lib/validation/app";
import { readLogoUpload } from "@/lib/validation/logo";
import { appInputFrom } from "../form-state";

export const createAppAction = action(
  {
    access: "user",
    schema: appFormSchema,
    input: (form) => appInputFrom(form),
    signIn: () => "/apps/new",
    invalid: (error) => ({ ...fieldErrorsOf(error), message: CHECK_FIELDS }),
  },
  async (data, { user, actor }) => {
    const upload = await readLogoUpload(data.logo);
    if (upload && "problem" in upload) return { status: "error", fieldErrors: { logo: upload.problem }, message: CHECK_FIELDS };
    try {
      const { app, clientSecret } = await createApp(user.id, data, actor, { secretLabel: data.secretLabel });
      if (upload) await saveAppLogo(app.id, upload.bytes, upload.logo, actor);
      if (!clientSecret) redirect(`/apps/${app.id}`);
      return done(undefined, { created: { clientId: app.id, name: app.name, clientSecret } });
    } catch (err) {
      if (err instanceof UnknownScopeError) return { status: "error", fieldErrors: { scopes: err.message } };
      throw err;
    }
  },
);
