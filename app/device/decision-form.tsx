"use client";

import { useActionState, type ReactNode } from "react";
import { decideDeviceAction } from "./actions";
import type { DeviceFormState } from "./form-state";

/** Allow / Deny for one user code; the action sends the browser to the result. */
export function DeviceDecisionForm({ userCode, children }: { userCode: string; children: ReactNode }) {
  const [state, formAction, pending] = useActionState<DeviceFormState, FormData>(decideDeviceAction, {});
  return (
    <>
      {children}
      {state.message && (
        <p role="alert" className="mt-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
          {state.message}
        </p>
      )}
      <form action={formAction} className="mt-6 flex gap-3">
        <input type="hidden" name="user_code" value={userCode} />
        <button type="submit" name="decision" value="deny" disabled={pending} className="flex-1 rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-medium text-slate-800 hover:bg-slate-50">
          Deny
        </button>
        <button type="submit" name="decision" value="allow" disabled={pending} className="flex-1 rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700">
          Allow
        </button>
      </form>
    </>
  );
}
