"use client";

import { useActionState, useState } from "react";
import { revokeSecretAction } from "@/app/(portal)/apps/[clientId]/actions";
import { IDLE, type FormState } from "@/lib/form-state";

export function RevokeSecretButton({ clientId, secretId, hint, last }: { clientId: string; secretId: string; hint: string; last: boolean }) {
  const [state, action, pending] = useActionState<FormState, FormData>(revokeSecretAction.bind(null, clientId, secretId), IDLE);
  const [confirming, setConfirming] = useState(false);
  if (!confirming) {
    return (
      <button type="button" onClick={() => setConfirming(true)} className="text-sm font-medium text-red-600 dark:text-red-400 hover:underline">
        Revoke
      </button>
    );
  }
  return (
    <form action={action} className="inline-flex flex-wrap items-center justify-end gap-2">
      <span className="text-xs text-slate-600 dark:text-slate-300">
        {last ? "This is the only working secret: the app will stop getting tokens." : `Secret …${hint} stops working at once.`}
      </span>
      <button type="submit" disabled={pending} className="rounded-md bg-red-600 px-2.5 py-1 text-xs font-medium text-white hover:bg-red-700">
        {pending ? "Revoking…" : `Revoke …${hint}`}
      </button>
      <button type="button" onClick={() => setConfirming(false)} className="text-xs text-slate-600 dark:text-slate-300 hover:underline">
        Cancel
      </button>
      {state.message && state.status !== "ok" && <span className="text-xs text-red-600 dark:text-red-400" role="alert">{state.message}</span>}
    </form>
  );
}
