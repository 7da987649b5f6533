"use client";

import { startTransition, useActionState, useState } from "react";
import type { AppFormState } from "@/app/(portal)/apps/form-state";
import type { ScopeEntry } from "@/lib/data/scopes";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { GrantTypePicker } from "./grant-type-picker";
import { RedirectUriEditor, rowProblems, type UriRow } from "./redirect-uri-editor";
import { DefaultScopePicker } from "./default-scope-picker";
import { ScopePicker } from "./scope-picker";
import { CreatedAppNotice } from "./created-app-notice";

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
}

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
  action: (state: AppFormState, form: FormData) => Promise<AppFormState>;
  catalog: ScopeEntry[];
  initial: AppFormValues;
}) {
  const [state, formAction, pending] = useActionState(action, {});
  const [type, setType] = useState(initial.type);
  const [rows, setRows] = useState<UriRow[]>(() =>
    (initial.redirectUris.length ? initial.redirectUris : [""]).map((value, key) => ({ key, value })),
  );
  const [grantTypes, setGrantTypes] = useState(initial.grantTypes.filter((g) => g !== "password"));
  const [scopes, setScopes] = useState(initial.scopes.concat(initial.pendingScopes));
  const [defaultScopes, setDefaultScopes] = useState(initial.defaultScopes);
  const [blocked, setBlocked] = useState(false);
  const errors = state.fieldErrors ?? {};

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
    <form onSubmit={onSubmit} noValidate className="space-y-8">
      <section className="space-y-4">
        <Field label="App name" name="name" defaultValue={initial.name} required maxLength={80} error={errors.name} hint="Users see this on the consent screen." />
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
        <div className="grid gap-4 sm:grid-cols-2">
          <Field label="Website" name="websiteUrl" type="url" defaultValue={initial.websiteUrl} placeholder="https://example.com" error={errors.websiteUrl} />
          <Field label="Logo URL (optional)" name="logoUrl" type="url" defaultValue={initial.logoUrl} placeholder="https://example.com/logo.png" error={errors.logoUrl} />
        </div>
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

      <div className="flex items-center gap-4 border-t border-slate-200 dark:border-slate-700 pt-6">
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : mode === "create" ? "Create app" : "Save changes"}
        </Button>
        {blocked && <p role="alert" className="text-sm text-red-600 dark:text-red-400">Fix the redirect URIs marked above.</p>}
        {!blocked && state.message && (
          <p role={state.ok ? "status" : "alert"} className={`text-sm ${state.ok ? "text-emerald-700 dark:text-emerald-300" : "text-red-600 dark:text-red-400"}`}>
            {state.message}
          </p>
        )}
      </div>
    </form>
  );
}
