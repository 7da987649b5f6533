"use client";

import { useActionState } from "react";
import { CopyButton } from "@/components/ui/copy-button";
import { IDLE, type FormState } from "@/lib/form-state";

/**
 * One button that posts a few hidden fields to a server action: the admin console's row
 * actions and the team's. `confirm` asks first; a secret in the result is shown once.
 */
export function ActionButton({
  action,
  fields,
  label,
  danger,
  confirm,
  secretTestId = "new-secret",
}: {
  action: (state: FormState, form: FormData) => Promise<FormState>;
  fields: Record<string, string>;
  label: string;
  danger?: boolean;
  confirm?: string;
  secretTestId?: string;
}) {
  const [state, formAction, pending] = useActionState<FormState, FormData>(action, IDLE);
  return (
    <form
      action={formAction}
      onSubmit={(e) => {
        if (confirm && !window.confirm(confirm)) e.preventDefault();
      }}
      className="inline"
    >
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <button
        type="submit"
        disabled={pending}
        className={`rounded border px-2 py-1 text-xs font-medium disabled:opacity-60 ${danger ? "border-red-300 dark:border-red-700 text-red-700 dark:text-red-300 hover:bg-red-50 dark:hover:bg-red-950" : "border-slate-300 dark:border-slate-600 text-slate-700 dark:text-slate-300 hover:bg-slate-50 dark:hover:bg-slate-800"}`}
      >
        {label}
      </button>
      {state.message && (
        <span role={state.status === "ok" ? "status" : "alert"} className={`ml-2 text-xs ${state.status === "ok" ? "text-slate-700 dark:text-slate-300" : "text-red-600 dark:text-red-400"}`}>
          {state.message}
        </span>
      )}
      {state.secret && (
        <span className="ml-2 inline-flex items-center gap-1">
          <code data-testid={secretTestId} className="rounded bg-slate-100 dark:bg-slate-800 px-1 font-mono text-xs">{state.secret}</code>
          <CopyButton value={state.secret} />
        </span>
      )}
    </form>
  );
}
