"use client";

import { startTransition, useActionState, useState } from "react";
import { rotateSecretAction } from "@/app/(portal)/apps/[clientId]/actions";
import { GRACE_PERIODS } from "@/app/(portal)/apps/[clientId]/grace-periods";
import { Button } from "@/components/ui/button";
import { SecretOnce } from "./secret-once";
import { IDLE, type FormState } from "@/lib/form-state";

export function RotateSecretForm({ clientId }: { clientId: string }) {
  const [state, action, pending] = useActionState<FormState, FormData>(rotateSecretAction.bind(null, clientId), IDLE);
  const [grace, setGrace] = useState("24h");
  return (
    <div className="space-y-3 rounded-md border border-slate-200 dark:border-slate-700 bg-slate-50 dark:bg-slate-800 p-4">
      {/* Submitted by hand: a form action would reset the form, and with it the grace period chosen. */}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const form = new FormData(e.currentTarget);
          startTransition(() => action(form));
        }}
        className="flex flex-wrap items-end gap-3"
      >
        <div className="space-y-1">
          <label htmlFor="rotate-grace" className="block text-sm font-medium text-slate-700 dark:text-slate-300">
            After rotating, current secrets keep working for
          </label>
          <select
            id="rotate-grace"
            name="grace"
            value={grace}
            onChange={(e) => setGrace(e.target.value)}
            className="rounded-md border border-slate-300 dark:border-slate-600 bg-white dark:bg-slate-900 px-3 py-2 text-sm"
          >
            {GRACE_PERIODS.map((g) => (
              <option key={g.value} value={g.value}>{g.label}</option>
            ))}
          </select>
        </div>
        <div className="space-y-1">
          <label htmlFor="rotate-label" className="block text-sm font-medium text-slate-700 dark:text-slate-300">Label for the new secret (optional)</label>
          <input
            id="rotate-label"
            name="label"
            maxLength={60}
            placeholder="production"
            className="w-44 rounded-md border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-600 dark:bg-slate-900"
          />
        </div>
        <Button type="submit" variant="secondary" disabled={pending}>
          {pending ? "Rotating…" : "Rotate secret"}
        </Button>
      </form>
      <p className="text-xs text-slate-600 dark:text-slate-300">
        {grace === "now"
          ? "Anything still using a current secret starts failing immediately."
          : "Zero downtime: deploy the new secret while the old one still works, then let it expire or revoke it."}
      </p>
      {state.fieldErrors?.grace && <p className="text-xs text-red-600 dark:text-red-400" role="alert">{state.fieldErrors.grace}</p>}
      {state.fieldErrors?.label && <p className="text-xs text-red-600 dark:text-red-400" role="alert">{state.fieldErrors.label}</p>}
      {state.message && <p className="text-sm text-red-600 dark:text-red-400" role="alert">{state.message}</p>}
      {state.secret && !pending && <SecretOnce secret={state.secret} title="New client secret" />}
    </div>
  );
}
