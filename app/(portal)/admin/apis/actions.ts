"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { ApiExistsError, createApi, deleteApi, UnknownApiScopeError, updateApi } from "@/lib/data/apis";
import { CHECK_FIELDS, fieldErrorsOf } from "@/lib/form-state";
import { action, done, fail } from "@/lib/server/action";
import { apiSchema } from "@/lib/validation/api";

function apiInputFrom(form: FormData) {
  return {
    identifier: String(form.get("identifier") ?? ""),
    name: String(form.get("name") ?? ""),
    scopes: form.getAll("scopes").map(String),
    accessTokenTtl: String(form.get("accessTokenTtl") ?? ""),
  };
}

const invalid = (error: z.ZodError) => ({ ...fieldErrorsOf(error), message: CHECK_FIELDS });

export const createApiAction = action(
  { access: "admin", schema: apiSchema, input: apiInputFrom, invalid },
  async (data, { actor }) => {
    try {
      const api = await createApi(data, actor);
      revalidatePath("/admin/apis");
      return done(`Added ${api.name}.`);
    } catch (err) {
      if (err instanceof ApiExistsError) return { status: "error", fieldErrors: { identifier: "An API with this identifier already exists." } };
      if (err instanceof UnknownApiScopeError) return { status: "error", fieldErrors: { scopes: err.message } };
      throw err;
    }
  },
);

/** The identifier is bound by the page, never taken from the form: it cannot change. */
export const updateApiAction = action(
  { access: "admin", schema: apiSchema, input: (form, identifier: string) => ({ ...apiInputFrom(form), identifier }), invalid },
  async (data, { actor, raw }) => {
    try {
      const api = await updateApi(String(raw.identifier), data, actor);
      if (!api) return fail("This API no longer exists.");
      revalidatePath("/admin/apis");
      return done("Saved.");
    } catch (err) {
      if (err instanceof UnknownApiScopeError) return { status: "error", fieldErrors: { scopes: err.message } };
      throw err;
    }
  },
);

export const deleteApiAction = action(
  { access: "admin", schema: z.object({ identifier: z.string() }), input: (form) => ({ identifier: String(form.get("identifier") ?? "") }) },
  async ({ identifier }, { actor }) => {
    if (!(await deleteApi(identifier, actor))) return fail("This API no longer exists.");
    revalidatePath("/admin/apis");
    return done();
  },
);
