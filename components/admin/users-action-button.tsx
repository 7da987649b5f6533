"use client";

import { useActionState } from "react";
import { adminUserAction } from "@/app/(portal)/admin/users/actions";
import type { AdminActionState } from "@/app/(portal)/admin/admin-actor";
import { CopyButton } from "@/components/ui/copy-button";

const confirmations: Record<string, string> = {
  block: "Block this user? They cannot sign in, their sessions end and every app they connected loses access.",
  demote: "Remove this user's admin role?",
  "reset-password": "Set a new random password for this user? Their current password stops working.",
};

export function UsersActionButton({ userId, action, label, danger }: { userId: string; action: string; label: string; danger?: boolean }) {
  const [state, formAction, pending] = useActionState<AdminActionState, FormData>(adminUserAction, {});
  return (
    <form
      action={formAction}
      onSubmit={(e) => {
        const question = confirmations[action];
        if (question && !window.confirm(question)) e.preventDefault();
      }}
      className="inline"
    >
      <input type="hidden" name="userId" value={userId} />
      <input type="hidden" name="action" value={action} />
      <button
        type="submit"
        disabled={pending}
        className={`rounded border px-2 py-1 text-xs font-medium disabled:opacity-60 ${danger ? "border-red-300 dark:border-red-700 text-red-700 dark:text-red-300 hover:bg-red-50" : "border-slate-300 dark:border-slate-600 text-slate-700 dark:text-slate-300 hover:bg-slate-50 dark:hover:bg-slate-800"}`}
      >
        {label}
      </button>
      {state.message && (
        <span role={state.ok ? "status" : "alert"} className={`ml-2 text-xs ${state.ok ? "text-slate-700 dark:text-slate-300" : "text-red-600 dark:text-red-400"}`}>
          {state.message}
        </span>
      )}
      {state.secret && (
        <span className="ml-2 inline-flex items-center gap-1">
          <code data-testid="new-password" className="rounded bg-slate-100 dark:bg-slate-800 px-1 font-mono text-xs">{state.secret}</code>
          <CopyButton value={state.secret} />
        </span>
      )}
    </form>
  );
}
