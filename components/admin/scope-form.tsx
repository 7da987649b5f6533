"use client";

import { useActionState } from "react";
import { saveScopeAction } from "@/app/(portal)/admin/actions";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { IDLE, type FormState } from "@/lib/form-state";

export function ScopeForm() {
  const [state, action, pending] = useActionState<FormState, FormData>(saveScopeAction, IDLE);
  return (
    <form action={action} className="grid gap-3 rounded-lg border border-slate-200 dark:border-slate-700 bg-white dark:bg-slate-900 p-4 sm:grid-cols-2" aria-label="Add or update a scope">
      <Field label="Scope name" name="name" placeholder="photos:read" error={state.fieldErrors?.name} />
      <Field label="Category" name="category" placeholder="Photos API" error={state.fieldErrors?.category} />
      <div className="sm:col-span-2">
        <Field label="Description shown to users" name="description" placeholder="See your photos." error={state.fieldErrors?.description} />
      </div>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" name="restricted" /> Restricted (apps need an admin&apos;s approval)
      </label>
      <div className="flex items-center justify-end gap-3">
        {state.message && <span role="status" className="text-sm text-emerald-700 dark:text-emerald-300">{state.message}</span>}
        <Button type="submit" disabled={pending}>Save scope</Button>
      </div>
    </form>
  );
}
