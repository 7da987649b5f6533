"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { IDLE, type FormState } from "@/lib/form-state";
import { FormMessage } from "../../../../reset-password/reset-forms";
import { adminDeleteUserAction } from "../actions";

export function DeleteUserForm({ userId, email, hasApps, disabled }: { userId: string; email: string; hasApps: boolean; disabled: boolean }) {
  const [state, formAction, pending] = useActionState<FormState, FormData>(adminDeleteUserAction, IDLE);
  return (
    <form action={formAction} className="space-y-3" aria-label="Delete user">
      <input type="hidden" name="userId" value={userId} />
      {hasApps ? (
        <fieldset className="space-y-1 text-sm">
          <legend className="font-medium">Their apps</legend>
          <label className="flex items-center gap-2">
            <input type="radio" name="apps" value="transfer" defaultChecked disabled={disabled} /> Transfer them to me
          </label>
          <label className="flex items-center gap-2">
            <input type="radio" name="apps" value="delete" disabled={disabled} /> Delete them (their users lose access)
          </label>
          {state.fieldErrors?.apps && <p role="alert" className="text-xs text-red-600 dark:text-red-400">{state.fieldErrors.apps}</p>}
        </fieldset>
      ) : (
        <input type="hidden" name="apps" value="delete" />
      )}
      <Field label={`Type ${email} to confirm`} name="confirmEmail" autoComplete="off" required disabled={disabled} error={state.fieldErrors?.confirmEmail} />
      <FormMessage state={state} />
      <Button type="submit" variant="danger" disabled={pending || disabled || state.status === "ok"}>
        {pending ? "Deleting…" : "Delete user"}
      </Button>
    </form>
  );
}
