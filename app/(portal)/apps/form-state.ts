import type { FormState } from "@/lib/form-state";

export { CHECK_FIELDS, fieldErrorsOf, IDLE, type FormState } from "@/lib/form-state";

/** Kept for the app forms: the one FormState carries `created`. */
export type AppFormState = FormState;

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
    policyUrl: text("policyUrl"),
    termsUrl: text("termsUrl"),
    postLogoutRedirectUris: text("postLogoutRedirectUris").split(/\s+/),
    backchannelLogoutUri: text("backchannelLogoutUri"),
    backchannelLogoutSessionRequired: form.get("backchannelLogoutSessionRequired") === "on",
    idTokenSignedResponseAlg: text("idTokenSignedResponseAlg"),
    logo: form.get("logo"),
    removeLogo: form.get("removeLogo") === "on",
    secretLabel: text("secretLabel"),
  };
}
