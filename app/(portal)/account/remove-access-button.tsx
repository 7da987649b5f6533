"use client";

import { useActionState } from "react";
import { removeAccess } from "./actions";
import { IDLE, type FormState } from "@/lib/form-state";

export function RemoveAccessButton({ grantId, appName }: { grantId: string; appName: string }) {
  const [state, action, pending] = useActionState<FormState, FormData>(removeAccess, IDLE);
  return (
    <form
      action={action}
      onSubmit={(e) => {
        if (!window.confirm(`Remove ${appName}'s access to your account? It will have to ask you again.`)) e.preventDefault();
      }}
    >
      <input type="hidden" name="grantId" value={grantId} />
      <button
        type="submit"
        disabled={pending}
        className="rounded-md border border-red-300 dark:border-red-700 px-3 py-1.5 text-sm font-medium text-red-700 dark:text-red-300 hover:bg-red-50 disabled:opacity-60"
      >
        {pending ? "Removing…" : "Remove access"}
      </button>
      {state.message && <p role="alert" className="mt-1 text-xs text-red-600 dark:text-red-400">{state.message}</p>}
    </form>
  );
}
