"use client";

import { useActionState } from "react";
import { deleteScopeAction } from "@/app/(portal)/admin/actions";
import { IDLE, type FormState } from "@/lib/form-state";

export function DeleteScopeButton({ name }: { name: string }) {
  const [state, action, pending] = useActionState<FormState, FormData>(deleteScopeAction, IDLE);
  return (
    <form action={action}>
      <input type="hidden" name="name" value={name} />
      <button type="submit" disabled={pending} className="text-xs text-red-700 dark:text-red-300 hover:underline disabled:opacity-60">Delete</button>
      {state.message && <p role="alert" className="text-xs text-red-600 dark:text-red-400">{state.message}</p>}
    </form>
  );
}
