"use client";

import { useActionState, type ReactNode } from "react";
import { decideDeviceAction } from "./actions";
import { IDLE, type FormState } from "@/lib/form-state";

/** Allow / Deny for one user code; the action sends the browser to the result. */
export function DeviceDecisionForm({ userCode, children }: { userCode: string; children: ReactNode }) {
  const [state, formAction, pending] = useActionState<FormState, FormData>(decideDeviceAction, IDLE);
  return (
    <>
      {children}
      {state.message && (
        <p role="alert" className="mt-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950/60 dark:text-red-200">
          {state.message}
        </p>
      )}
      <form action={formAction} className="mt-6 flex gap-3">
        <input type="hidden" name="user_code" value={userCode} />
        <button type="submit" name="decision" value="deny" disabled={pending} className="flex-1 rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-800 hover:bg-slate-50 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-200 dark:hover:bg-slate-800">
          Deny
        </button>
        <button type="submit" name="decision" value="allow" disabled={pending} className="flex-1 rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700">
          Allow
        </button>
      </form>
    </>
  );
}
