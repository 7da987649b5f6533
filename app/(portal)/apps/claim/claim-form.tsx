"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { claimAppAction } from "./actions";
import { IDLE, type FormState } from "@/lib/form-state";

export function ClaimForm() {
  const [state, action, pending] = useActionState<FormState, FormData>(claimAppAction, IDLE);
  return (
    <form action={action} className="space-y-4 rounded-lg border border-slate-200 dark:border-slate-700 bg-white dark:bg-slate-900 p-5 shadow-sm">
      <Field
        label="Client ID"
        name="clientId"
        required
        autoComplete="off"
        spellCheck={false}
        error={state.fieldErrors?.clientId}
        hint="The client_id in the client's registration response."
      />
      <Field
        label="Registration access token"
        name="registrationAccessToken"
        type="password"
        required
        autoComplete="off"
        error={state.fieldErrors?.registrationAccessToken}
        hint="The registration_access_token in the same response (it starts with lk_reg_)."
      />
      {state.message && <p role="alert" className="text-sm text-red-600 dark:text-red-400">{state.message}</p>}
      <Button type="submit" disabled={pending}>{pending ? "Claiming…" : "Claim client"}</Button>
    </form>
  );
}
