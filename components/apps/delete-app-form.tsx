"use client";

import { useActionState, useState } from "react";
import { deleteAppAction } from "@/app/(portal)/apps/[clientId]/settings/actions";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { IDLE, type FormState } from "@/lib/form-state";

export function DeleteAppForm({ clientId, name }: { clientId: string; name: string }) {
  const [state, action, pending] = useActionState<FormState, FormData>(deleteAppAction.bind(null, clientId), IDLE);
  const [typed, setTyped] = useState("");
  return (
    <form action={action} className="space-y-3">
      <Field
        label={`Type “${name}” to confirm`}
        name="confirm"
        value={typed}
        onChange={(e) => setTyped(e.target.value)}
        autoComplete="off"
        error={state.fieldErrors?.confirm}
      />
      {state.message && <p role="alert" className="text-sm text-red-600 dark:text-red-400">{state.message}</p>}
      <Button type="submit" variant="danger" disabled={pending || typed.trim() !== name}>
        {pending ? "Deleting…" : "Delete this app"}
      </Button>
    </form>
  );
}
