import type { z } from "zod";

export interface FormState {
  ok?: boolean;
  fieldErrors?: Record<string, string>;
  /** Per redirect URI (by position in the submitted list). */
  uriErrors?: Record<number, string>;
  message?: string;
}

export const NOT_YOURS = "This app does not exist or you do not have access to it.";

/** The first message per field; `redirectUris.3` issues land in uriErrors[3]. */
export function fieldErrorsOf(error: z.ZodError): Pick<FormState, "fieldErrors" | "uriErrors"> {
  const fieldErrors: Record<string, string> = {};
  const uriErrors: Record<number, string> = {};
  for (const issue of error.issues) {
    const [field, index] = issue.path;
    if (field === "redirectUris" && typeof index === "number") uriErrors[index] ??= issue.message;
    else fieldErrors[String(field ?? "form")] ??= issue.message;
  }
  return { fieldErrors, uriErrors };
}

export function appInputFrom(form: FormData) {
  const text = (name: string) => String(form.get(name) ?? "");
  const all = (name: string) => form.getAll(name).map(String);
  return {
    name: text("name"),
    description: text("description"),
    websiteUrl: text("websiteUrl"),
    logoUrl: text("logoUrl"),
    type: text("type"),
    redirectUris: all("redirectUris"),
    webOrigins: text("webOrigins").split("\n"),
    grantTypes: all("grantTypes"),
    scopes: all("scopes"),
    defaultScopes: all("defaultScopes"),
  };
}

export interface AppFormState extends FormState {
  created?: { clientId: string; name: string; clientSecret: string | null };
}
