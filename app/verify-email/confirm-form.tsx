"use client";

import Link from "next/link";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { IDLE, type FormState } from "@/lib/form-state";
import { FormMessage } from "../reset-password/reset-forms";
import { confirmEmailAction } from "./actions";

export function ConfirmEmailForm({ token, change, label }: { token: string; change: boolean; label: string }) {
  const [state, formAction, pending] = useActionState<FormState, FormData>(confirmEmailAction, IDLE);
  if (state.status === "ok") {
    return (
      <div className="space-y-3">
        <FormMessage state={state} />
        <Link href="/account" className="text-brand-600 dark:text-brand-300 underline underline-offset-2">Go to your account</Link>
      </div>
    );
  }
  return (
    <form action={formAction} className="space-y-4">
      <input type="hidden" name="token" value={token} />
      <input type="hidden" name="change" value={change ? "1" : "0"} />
      <FormMessage state={state} />
      <Button type="submit" disabled={pending}>{pending ? "Confirming…" : label}</Button>
    </form>
  );
}
