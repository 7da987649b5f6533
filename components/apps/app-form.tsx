"use client";

import { startTransition, useActionState, useEffect, useRef, useState } from "react";
import type { ScopeEntry } from "@/lib/data/scopes";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { GrantTypePicker } from "./grant-type-picker";
import { RedirectUriEditor, rowProblems, type UriRow } from "./redirect-uri-editor";
import { DefaultScopePicker } from "./default-scope-picker";
import { ScopePicker } from "./scope-picker";
import { CreatedAppNotice } from "./created-app-notice";
import { LogoField } from "./logo-field";
import { LogoutSettingsFields, type LogoutSettings } from "./logout-settings-fields";
import { IDLE, type FormState } from "@/lib/form-state";

export interface AppFormValues {
  name: string;
  description: string;
  websiteUrl: string;
  logoUrl: string;
  type: "confidential" | "public";
  redirectUris: string[];
  webOrigins: string[];
  grantTypes: string[];
  scopes: string[];
  pendingScopes: string[];
  defaultScopes: string[];
  /** The logo shown now (uploaded or URL), and whether one was uploaded. */
  logoSrc?: string | null;
  uploadedLogo?: boolean;
  policyUrl?: string;
  termsUrl?: string;
  logout?: LogoutSettings;
  /** Set when the settings cannot be saved (a revoked app): the form is disabled and says why. */
  readOnly?: string;
}

const NO_LOGOUT: LogoutSettings = { postLogoutRedirectUris: [], backchannelLogoutUri: "", backchannelLogoutSessionRequired: true, idTokenSignedResponseAlg: "" };

const CLIENT_TYPES = [
  { value: "confidential", label: "Confidential", body: "Runs on a server that can keep a secret, such as a web app with a backend." },
  { value: "public", label: "Public", body: "Runs where a secret would be visible: browser, mobile or desktop apps. Must use PKCE." },
] as const;

export function AppForm({
  mode,
  action,
  catalog,
  initial,
}: {
  mode: "create" | "edit";
  action: (state: FormState, form: FormData) => Promise<FormState>;
  catalog: ScopeEntry[];
  initial: AppFormValues;
}) {
  const [state, formAction, pending] = useActionState(action, IDLE);
  const [type, setType] = useState(initial.type);
  const [rows, setRows] = useState<UriRow[]>(() =>
    (initial.redirectUris.length ? initial.redirectUris : [""]).map((value, key) => ({ key, value })),
  );
  const [grantTypes, setGrantTypes] = useState(initial.grantTypes.filter((g) => g !== "password"));
  const [scopes, setScopes] = useState(initial.scopes.concat(initial.pendingScopes));
  const [defaultScopes, setDefaultScopes] = useState(initial.defaultScopes);
  const [blocked, setBlocked] = useState(false);
  const [name, setName] = useState(initial.name);
  const formRef = useRef<HTMLFormElement>(null);
  const errors = state.fieldErrors ?? {};

  useEffect(() => {
    // The new app has its own page: a reload shows it, not an empty form (the secret is shown only now).
    if (state.created) window.history.replaceState(null, "", `/apps/${encodeURIComponent(state.created.clientId)}`);
  }, [state.created]);
  useEffect(() => {
    // A saved logo is not sent again with the next save.
    if (state.status === "ok" && formRef.current) {
      const file = formRef.current.elements.namedItem("logo");
      if (file instanceof HTMLInputElement) file.value = "";
    }
  }, [state]);

  if (state.created) return <CreatedAppNotice {...state.created} />;

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (rowProblems(rows, type).some(Boolean)) {
      setBlocked(true);
      return;
    }
    setBlocked(false);
    const form = new FormData(event.currentTarget);
    startTransition(() => formAction(form));
  }

  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate className="space-y-8">
      {initial.readOnly && (
        <p role="status" data-testid="settings-read-only" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950/60 dark:text-red-200">
          {initial.readOnly}
        </p>
      )}
      <fieldset disabled={Boolean(initial.readOnly)} className="space-y-8">
      <section className="space-y-4">
        <Field label="App name" name="name" defaultValue={initial.name} onChange={(e) => setName(e.target.value)} required maxLength={80} error={errors.name} hint="Users see this on the consent screen." />
        <div className="space-y-1">
          <label htmlFor="field-description" className="block text-sm font-medium text-slate-700 dark:text-slate-300">Description</label>
          <textarea
            id="field-description"
            name="description"
            defaultValue={initial.description}
            maxLength={500}
            rows={3}
            className="block w-full rounded-md border border-slate-300 dark:border-slate-600 bg-white dark:bg-slate-900 px-3 py-2 text-sm shadow-sm focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-100 dark:focus:ring-brand-900"
          />
          {errors.description && <p className="text-xs text-red-600 dark:text-red-400" role="alert">{errors.description}</p>}
        </div>
        <Field label="Website" name="websiteUrl" type="url" defaultValue={initial.websiteUrl} placeholder="https://example.com" error={errors.websiteUrl} />
        <div className="grid gap-4 sm:grid-cols-2">
          <Field label="Privacy policy URL" name="policyUrl" type="url" defaultValue={initial.policyUrl ?? ""} placeholder="https://example.com/privacy" error={errors.policyUrl} hint="Linked on the consent screen." />
          <Field label="Terms of service URL" name="termsUrl" type="url" defaultValue={initial.termsUrl ?? ""} placeholder="https://example.com/terms" error={errors.termsUrl} hint="Linked on the consent screen." />
        </div>
        <LogoField
          name={name}
          logoSrc={initial.logoSrc ?? (initial.logoUrl || null)}
          uploaded={initial.uploadedLogo ?? false}
          logoUrl={initial.logoUrl}
          error={errors.logo}
          urlError={errors.logoUrl}
        />
      </section>

      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-700 dark:text-slate-300">Client type</legend>
        {mode === "edit" ? (
          <p className="text-sm text-slate-600 dark:text-slate-300">
            <input type="hidden" name="type" value={type} />
            <strong className="capitalize">{type}</strong> — {CLIENT_TYPES.find((t) => t.value === type)?.body} The client type
            cannot be changed; create a new app instead.
          </p>
        ) : (
          <div className="grid gap-2 sm:grid-cols-2">
            {CLIENT_TYPES.map((t) => (
              <label
                key={t.value}
                className={`flex gap-3 rounded-md border px-3 py-2 text-sm ${type === t.value ? "border-brand-500 dark:border-brand-400 bg-brand-50 dark:bg-brand-950" : "border-slate-200 dark:border-slate-700"}`}
              >
                <input
                  type="radio"
                  name="type"
                  value={t.value}
                  checked={type === t.value}
                  onChange={() => {
                    setType(t.value);
                    if (t.value === "public") setGrantTypes((g) => g.filter((x) => x !== "client_credentials"));
                  }}
                  className="mt-1"
                />
                <span>
                  <span className="font-medium">{t.label}</span>
                  <span className="block text-slate-600 dark:text-slate-300">{t.body}</span>
                </span>
              </label>
            ))}
          </div>
        )}
        {errors.type && <p className="text-xs text-red-600 dark:text-red-400" role="alert">{errors.type}</p>}
      </fieldset>

      <RedirectUriEditor rows={rows} onChange={setRows} clientType={type} serverErrors={state.uriErrors} listError={errors.redirectUris} />

      <div className="space-y-1">
        <label htmlFor="field-webOrigins" className="block text-sm font-medium text-slate-700 dark:text-slate-300">Allowed web origins</label>
        <p id="field-webOrigins-hint" className="text-xs text-slate-500 dark:text-slate-400">
          Origins of single-page apps that call the token endpoint from the browser. Leave empty to use the origins of
          your redirect URIs. One per line, such as https://app.example.com (no path, no trailing slash); a loopback
          origin without a port, such as http://localhost, allows every port.
        </p>
        <textarea
          id="field-webOrigins"
          name="webOrigins"
          defaultValue={initial.webOrigins.join("\n")}
          rows={3}
          spellCheck={false}
          autoComplete="off"
          placeholder="https://app.example.com"
          aria-invalid={errors.webOrigins ? true : undefined}
          aria-describedby={errors.webOrigins ? "field-webOrigins-hint field-webOrigins-error" : "field-webOrigins-hint"}
          className={`block w-full rounded-md border bg-white dark:bg-slate-900 px-3 py-2 font-mono text-sm shadow-sm focus:outline-none focus:ring-2 ${errors.webOrigins ? "border-red-400 focus:ring-red-100" : "border-slate-300 dark:border-slate-600 focus:border-brand-500 focus:ring-brand-100 dark:focus:ring-brand-900"}`}
        />
        {errors.webOrigins && <p id="field-webOrigins-error" className="text-xs text-red-600 dark:text-red-400" role="alert">{errors.webOrigins}</p>}
      </div>

      <GrantTypePicker
        value={grantTypes}
        onChange={setGrantTypes}
        clientType={type}
        lockedPassword={initial.grantTypes.includes("password")}
        error={errors.grantTypes}
      />

      <ScopePicker
        catalog={catalog}
        value={scopes}
        onChange={(next) => {
          setScopes(next);
          setDefaultScopes((d) => d.filter((s) => next.includes(s)));
        }}
        pending={initial.pendingScopes}
        approved={mode === "edit" ? initial.scopes : []}
        error={errors.scopes}
      />

      <DefaultScopePicker scopes={scopes} value={defaultScopes} onChange={setDefaultScopes} error={errors.defaultScopes} />

      <LogoutSettingsFields initial={initial.logout ?? NO_LOGOUT} errors={errors} />

      {mode === "create" && type === "confidential" && (
        <Field
          label="Label for the client secret (optional)"
          name="secretLabel"
          maxLength={60}
          placeholder="production"
          hint="Helps you tell secrets apart after rotations."
          error={errors.secretLabel}
        />
      )}

      <div className="flex items-center gap-4 border-t border-slate-200 dark:border-slate-700 pt-6">
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : mode === "create" ? "Create app" : "Save changes"}
        </Button>
        {blocked && <p role="alert" className="text-sm text-red-600 dark:text-red-400">Fix the redirect URIs marked above.</p>}
        {!blocked && state.message && !initial.readOnly && (
          <p role={state.status === "ok" ? "status" : "alert"} className={`text-sm ${state.status === "ok" ? "text-emerald-700 dark:text-emerald-300" : "text-red-600 dark:text-red-400"}`}>
            {state.message}
          </p>
        )}
      </div>
      </fieldset>
    </form>
  );
}
