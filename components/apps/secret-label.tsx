"use client";

import { startTransition, useActionState, useEffect, useState } from "react";
import { labelSecretAction } from "@/app/(portal)/apps/[clientId]/actions";
import { IDLE, type FormState } from "@/lib/form-state";

/** A secret's label, editable in place by developers. */
export function SecretLabel({ clientId, secretId, hint, label, canEdit }: { clientId: string; secretId: string; hint: string; label: string; canEdit: boolean }) {
  const [state, action, pending] = useActionState<FormState, FormData>(labelSecretAction.bind(null, clientId, secretId), IDLE);
  const [editing, setEditing] = useState(false);
  useEffect(() => {
    if (state.status === "ok") setEditing(false);
  }, [state]);
  const shown = label ? <span data-testid="secret-label">{label}</span> : <span className="text-slate-600 italic dark:text-slate-300">No label</span>;
  if (!canEdit) return shown;
  if (!editing) {
    return (
      <span className="inline-flex items-center gap-2">
        {shown}
        <button type="button" onClick={() => setEditing(true)} className="text-xs text-brand-600 underline underline-offset-2 dark:text-brand-300">
          {label ? "Rename" : "Add label"}
          <span className="sr-only"> for secret …{hint}</span>
        </button>
      </span>
    );
  }
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        const form = new FormData(e.currentTarget);
        startTransition(() => action(form));
      }}
      className="inline-flex flex-wrap items-center gap-2"
    >
      <label htmlFor={`secret-label-${secretId}`} className="sr-only">Label for secret …{hint}</label>
      <input
        id={`secret-label-${secretId}`}
        name="label"
        defaultValue={label}
        maxLength={60}
        autoFocus
        className="w-36 rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-600 dark:bg-slate-900"
      />
      <button type="submit" disabled={pending} className="rounded-md border border-slate-300 px-2 py-1 text-xs font-medium dark:border-slate-600">
        Save label
      </button>
      <button type="button" onClick={() => setEditing(false)} className="text-xs text-slate-600 hover:underline dark:text-slate-300">Cancel</button>
      {state.status === "error" && <span role="alert" className="text-xs text-red-600 dark:text-red-400">{state.fieldErrors?.label ?? state.message}</span>}
    </form>
  );
}
