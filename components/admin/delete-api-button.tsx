"use client";

import { useActionState } from "react";
import { deleteApiAction } from "@/app/(portal)/admin/apis/actions";
import { IDLE, type FormState } from "@/lib/form-state";

export function DeleteApiButton({ identifier, name }: { identifier: string; name: string }) {
  const [state, action, pending] = useActionState<FormState, FormData>(deleteApiAction, IDLE);
  return (
    <form
      action={action}
      onSubmit={(e) => {
        if (!window.confirm(`Delete ${name}? Apps can no longer ask for tokens for it; tokens already issued run out.`)) e.preventDefault();
      }}
    >
      <input type="hidden" name="identifier" value={identifier} />
      <button type="submit" disabled={pending} className="rounded border border-red-300 dark:border-red-700 px-2 py-1 text-xs font-medium text-red-700 dark:text-red-300 hover:bg-red-50 disabled:opacity-60">
        Delete
      </button>
      {state.message && <p role="alert" className="text-xs text-red-600 dark:text-red-400">{state.message}</p>}
    </form>
  );
}
