"use client";

import { startTransition, useActionState } from "react";
import { createRegistrationTokenAction, revokeRegistrationTokenAction } from "@/app/(portal)/admin/registration/actions";
import { Button } from "@/components/ui/button";
import { CopyableValue } from "@/components/ui/copyable-value";
import { Field } from "@/components/ui/field";
import { IDLE, type FormState } from "@/lib/form-state";

export function RegistrationTokenForm() {
  const [state, formAction, pending] = useActionState<FormState, FormData>(createRegistrationTokenAction, IDLE);
  const errors = state.fieldErrors ?? {};
  return (
    <div className="space-y-3">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          const form = new FormData(event.currentTarget);
          startTransition(() => formAction(form));
        }}
        noValidate
        className="grid items-start gap-3 sm:grid-cols-[2fr_1fr_auto]"
        aria-label="Create a registration token"
      >
        <Field id="token-label" label="Label" name="label" placeholder="Acme MCP client" maxLength={100} error={errors.label} />
        <Field id="token-expires" label="Expires in (days)" name="expiresInDays" type="number" min={1} max={3650} placeholder="never" error={errors.expiresInDays} />
        <Button type="submit" disabled={pending} className="sm:mt-6">Create token</Button>
      </form>
      {state.secret && (
        <div role="status" className="space-y-2 rounded-md border border-amber-300 dark:border-amber-700 bg-amber-50 dark:bg-amber-950/60 p-3">
          <p className="text-sm font-medium text-amber-900 dark:text-amber-100">{state.message} Copy the token now: it is shown only once.</p>
          <CopyableValue value={state.secret} label="Copy token" testId="new-registration-token" />
          <p className="text-xs text-amber-900 dark:text-amber-100">The client sends it as <code>Authorization: Bearer …</code> to the registration endpoint (<code>registration_endpoint</code> in discovery).</p>
        </div>
      )}
      {!state.secret && state.message && <p role="alert" className="text-sm text-red-600 dark:text-red-400">{state.message}</p>}
    </div>
  );
}

export function RevokeRegistrationTokenButton({ id, label }: { id: string; label: string }) {
  const [state, action, pending] = useActionState<FormState, FormData>(revokeRegistrationTokenAction, IDLE);
  return (
    <form
      action={action}
      onSubmit={(e) => {
        if (!window.confirm(`Revoke “${label}”? Registration refuses it from now on; clients it registered keep working.`)) e.preventDefault();
      }}
    >
      <input type="hidden" name="id" value={id} />
      <button type="submit" disabled={pending} className="rounded border border-red-300 dark:border-red-700 px-2 py-1 text-xs font-medium text-red-700 dark:text-red-300 hover:bg-red-50 disabled:opacity-60">
        Revoke
      </button>
      {state.message && <span role="alert" className="ml-2 text-xs text-red-600 dark:text-red-400">{state.message}</span>}
    </form>
  );
}
