"use client";

import { useActionState, useEffect, useRef } from "react";
import { IDLE, type FormState } from "@/lib/form-state";

const PURPOSE = { Suspend: "suspending", Revoke: "revoking", Reject: "rejecting the scopes of" } as const;

/**
 * An admin action on an app that needs a reason (suspend, revoke, reject scopes): the button
 * opens a short form; the reason is shown to the app's developers and kept in the audit log.
 */
export function ReasonActionForm({
  action,
  fields,
  label,
  appName,
  consequence,
}: {
  action: (state: FormState, form: FormData) => Promise<FormState>;
  fields: Record<string, string>;
  label: keyof typeof PURPOSE;
  appName: string;
  consequence: string;
}) {
  const [state, formAction, pending] = useActionState<FormState, FormData>(action, IDLE);
  const details = useRef<HTMLDetailsElement>(null);
  useEffect(() => {
    if (state.status === "ok" && details.current) details.current.open = false;
  }, [state]);
  const id = `reason-${fields.action}-${fields.clientId}`.replace(/[^A-Za-z0-9_-]/g, "_");
  const error = state.fieldErrors?.reason ?? (state.status === "error" ? state.message : undefined);
  return (
    <details ref={details} className="inline-block align-top">
      <summary className="inline-block cursor-pointer list-none rounded border border-red-300 px-2 py-1 text-xs font-medium text-red-700 hover:bg-red-50 dark:border-red-700 dark:text-red-300 dark:hover:bg-red-950">
        {label}…
      </summary>
      <form action={formAction} className="mt-2 w-64 space-y-2 rounded-md border border-slate-200 bg-white p-3 text-left shadow-sm dark:border-slate-700 dark:bg-slate-900">
        {Object.entries(fields).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        <label htmlFor={id} className="block text-xs font-medium text-slate-700 dark:text-slate-300">
          Reason for {PURPOSE[label]} {appName}
        </label>
        <textarea
          id={id}
          name="reason"
          required
          maxLength={500}
          rows={2}
          aria-invalid={error ? true : undefined}
          aria-describedby={`${id}-note`}
          className="block w-full rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-600 dark:bg-slate-900"
        />
        <p id={`${id}-note`} className="text-xs text-slate-600 dark:text-slate-300">{consequence} The app&apos;s developers see the reason.</p>
        {error && <p role="alert" className="text-xs text-red-600 dark:text-red-400">{error}</p>}
        <button
          type="submit"
          disabled={pending}
          className="rounded bg-red-700 px-2 py-1 text-xs font-medium text-white hover:bg-red-800 disabled:opacity-60"
        >
          {label} {appName}
        </button>
      </form>
    </details>
  );
}
