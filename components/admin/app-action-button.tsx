"use client";

import { useActionState } from "react";
import { adminAppAction, type AdminActionState } from "@/app/(portal)/admin/actions";

const confirmations: Record<string, string> = {
  suspend: "Suspend this app? Its tokens stop working within a second.",
  revoke: "Revoke this app for good? Every grant and token it holds ends, and it cannot be reactivated from here.",
  "enable-password": "Enable the password grant? RFC 9700 says it must not be used: only do this for a legacy first-party app.",
};

export function AppActionButton({ clientId, action, label, danger }: { clientId: string; action: string; label: string; danger?: boolean }) {
  const [state, formAction, pending] = useActionState<AdminActionState, FormData>(adminAppAction, {});
  return (
    <form
      action={formAction}
      onSubmit={(e) => {
        const question = confirmations[action];
        if (question && !window.confirm(question)) e.preventDefault();
      }}
      className="inline"
    >
      <input type="hidden" name="clientId" value={clientId} />
      <input type="hidden" name="action" value={action} />
      <button
        type="submit"
        disabled={pending}
        className={`rounded border px-2 py-1 text-xs font-medium disabled:opacity-60 ${danger ? "border-red-300 dark:border-red-700 text-red-700 dark:text-red-300 hover:bg-red-50" : "border-slate-300 dark:border-slate-600 text-slate-700 dark:text-slate-300 hover:bg-slate-50 dark:hover:bg-slate-800"}`}
      >
        {label}
      </button>
      {state.message && <span role="alert" className="ml-2 text-xs text-red-600 dark:text-red-400">{state.message}</span>}
    </form>
  );
}
