"use client";

import { startTransition, useActionState, useEffect, useRef } from "react";
import type { ScopeEntry } from "@/lib/data/scopes";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { IDLE, type FormState } from "@/lib/form-state";

export interface ApiFormValues {
  identifier: string;
  name: string;
  scopes: string[];
  accessTokenTtl: number | null;
}

/** Adds an API (mode "create") or edits one; the identifier cannot change once tokens carry it. */
export function ApiForm({
  mode,
  action,
  catalog,
  initial,
}: {
  mode: "create" | "edit";
  action: (state: FormState, form: FormData) => Promise<FormState>;
  catalog: ScopeEntry[];
  initial: ApiFormValues;
}) {
  const [state, formAction, pending] = useActionState(action, IDLE);
  const formRef = useRef<HTMLFormElement>(null);
  const errors = state.fieldErrors ?? {};
  const prefix = mode === "create" ? "new-api" : `api-${initial.identifier}`;

  useEffect(() => {
    if (state.status === "ok" && mode === "create") formRef.current?.reset();
  }, [state, mode]);

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    startTransition(() => formAction(form));
  }

  const groups = new Map<string, ScopeEntry[]>();
  for (const s of catalog) groups.set(s.category, [...(groups.get(s.category) ?? []), s]);

  return (
    <form ref={formRef} onSubmit={onSubmit} noValidate className="space-y-4" aria-label={mode === "create" ? "Add an API" : `Edit ${initial.name}`}>
      <div className="grid gap-4 sm:grid-cols-2">
        {mode === "create" ? (
          <Field
            id={`${prefix}-identifier`}
            label="Identifier"
            name="identifier"
            defaultValue={initial.identifier}
            placeholder="https://mcp.example.com/mcp"
            spellCheck={false}
            autoComplete="off"
            error={errors.identifier}
            hint="The URL clients send as the resource parameter; tokens for this API carry it as their audience. An MCP server's URL."
          />
        ) : (
          <div className="space-y-1">
            <p className="text-sm font-medium text-slate-700 dark:text-slate-300">Identifier</p>
            <p className="break-all font-mono text-sm">{initial.identifier}</p>
            <p className="text-xs text-slate-500 dark:text-slate-400">Cannot change: issued tokens carry it. Add a new API instead.</p>
          </div>
        )}
        <Field id={`${prefix}-name`} label="API name" name="name" defaultValue={initial.name} maxLength={80} error={errors.name} hint="Users see it on the consent screen." />
      </div>
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-700 dark:text-slate-300">Scopes</legend>
        <p className="text-xs text-slate-500 dark:text-slate-400">The catalog scopes that belong to this API. Add new ones under Scope catalog.</p>
        {[...groups].map(([category, scopes]) => (
          <div key={category}>
            <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">{category}</h3>
            <div className="mt-1 flex flex-wrap gap-x-4 gap-y-1">
              {scopes.map((s) => (
                <label key={s.name} className="flex items-center gap-1.5 text-sm" title={s.description}>
                  <input type="checkbox" name="scopes" value={s.name} defaultChecked={initial.scopes.includes(s.name)} />
                  <code className="font-mono text-xs">{s.name}</code>
                </label>
              ))}
            </div>
          </div>
        ))}
        {errors.scopes && <p className="text-xs text-red-600 dark:text-red-400" role="alert">{errors.scopes}</p>}
      </fieldset>
      <div className="max-w-xs">
        <Field
          id={`${prefix}-ttl`}
          label="Access token lifetime (seconds)"
          name="accessTokenTtl"
          type="number"
          min={60}
          max={86400}
          defaultValue={initial.accessTokenTtl ?? ""}
          placeholder="server default"
          error={errors.accessTokenTtl}
          hint="60 to 86400; empty: the server default."
        />
      </div>
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={pending}>{mode === "create" ? "Add API" : "Save API"}</Button>
        {state.message && (
          <p role={state.status === "ok" ? "status" : "alert"} className={`text-sm ${state.status === "ok" ? "text-emerald-700 dark:text-emerald-300" : "text-red-600 dark:text-red-400"}`}>{state.message}</p>
        )}
      </div>
    </form>
  );
}
