"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { IDLE, type FormState } from "@/lib/form-state";

export function InviteMemberForm({ action }: { action: (state: FormState, form: FormData) => Promise<FormState> }) {
  const [state, formAction, pending] = useActionState<FormState, FormData>(action, IDLE);
  return (
    <form action={formAction} className="flex flex-wrap items-end gap-3">
      <div className="min-w-[16rem] flex-1">
        <Field label="Email" name="email" type="email" autoComplete="off" required hint="The email of their Latchkey account." error={state.fieldErrors?.email} />
      </div>
      <div className="space-y-1">
        <label htmlFor="invite-role" className="block text-sm font-medium text-slate-700 dark:text-slate-300">Role</label>
        <select id="invite-role" name="role" defaultValue="viewer" className="block rounded-md border border-slate-300 dark:border-slate-600 bg-white dark:bg-slate-900 px-3 py-2 text-sm">
          <option value="viewer">Viewer: reads settings and usage</option>
          <option value="developer">Developer: edits settings, rotates secrets</option>
        </select>
        {state.fieldErrors?.role && <p className="text-xs text-red-600 dark:text-red-400" role="alert">{state.fieldErrors.role}</p>}
      </div>
      <Button type="submit" disabled={pending}>{pending ? "Inviting…" : "Invite"}</Button>
      {state.message && (
        <p role={state.status === "ok" ? "status" : "alert"} className={`w-full text-sm ${state.status === "ok" ? "text-emerald-700 dark:text-emerald-300" : "text-red-600 dark:text-red-400"}`}>
          {state.message}
        </p>
      )}
    </form>
  );
}
