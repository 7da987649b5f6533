import type { z } from "zod";

/** The one state shape of every form driven by a server action (useActionState). */
export interface FormState {
  status: "idle" | "ok" | "error";
  message?: string;
  fieldErrors?: Record<string, string>;
  /** Per list item by position, e.g. `redirectUris.3` lands in uriErrors[3]. */
  uriErrors?: Record<number, string>;
  /** A secret shown once (a new client secret, token or password). */
  secret?: string;
  /** A new app, shown once with its secret. */
  created?: { clientId: string; name: string; clientSecret: string | null };
  /** What was typed (never a password), so a failed submit loses nothing. */
  values?: Record<string, string>;
}

export const IDLE: FormState = { status: "idle" };

export const CHECK_FIELDS = "Check the fields marked above.";

/** The first message per field; `redirectUris.3` issues land in uriErrors[3]. */
export function fieldErrorsOf(error: z.ZodError): Pick<FormState, "fieldErrors" | "uriErrors"> {
  const fieldErrors: Record<string, string> = {};
  const uriErrors: Record<number, string> = {};
  for (const issue of error.issues) {
    const [field, index] = issue.path;
    if (field === "redirectUris" && typeof index === "number") uriErrors[index] ??= issue.message;
    else fieldErrors[String(field ?? "form")] ??= issue.message;
  }
  return Object.keys(uriErrors).length ? { fieldErrors, uriErrors } : { fieldErrors };
}
