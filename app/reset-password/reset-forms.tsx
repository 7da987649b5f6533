"use client";

import Link from "next/link";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { IDLE, type FormState } from "@/lib/form-state";
import { requestPasswordResetAction, resetPasswordAction } from "./actions";

const card = "space-y-4 rounded-lg border border-slate-200 dark:border-slate-700 bg-white dark:bg-slate-900 p-6 shadow-sm";

export function FormMessage({ state }: { state: FormState }) {
  if (!state.message) return null;
  return state.status === "error" ? (
    <p role="alert" data-testid="form-error" className="text-sm text-red-600 dark:text-red-400">{state.message}</p>
  ) : (
    <p role="status" data-testid="form-done" className="text-sm text-green-700 dark:text-green-400">{state.message}</p>
  );
}

export function ForgotPasswordForm({ email }: { email: string }) {
  const [state, formAction, pending] = useActionState<FormState, FormData>(requestPasswordResetAction, IDLE);
  return (
    <form action={formAction} className={card}>
      <Field label="Email" name="email" type="email" autoComplete="email" required defaultValue={email} error={state.fieldErrors?.email} />
      <FormMessage state={state} />
      <Button type="submit" disabled={pending} className="w-full">
        {pending ? "Sending…" : "Email me a reset link"}
      </Button>
    </form>
  );
}

export function NewPasswordForm({ token, email }: { token: string; email: string }) {
  const [state, formAction, pending] = useActionState<FormState, FormData>(resetPasswordAction, IDLE);
  if (state.status === "ok") {
    return (
      <div className={card}>
        <FormMessage state={state} />
        <Link href={`/signin?${new URLSearchParams({ login_hint: email })}`} className="text-brand-600 dark:text-brand-300 underline underline-offset-2">
          Go to sign in
        </Link>
      </div>
    );
  }
  return (
    <form action={formAction} className={card}>
      <input type="hidden" name="token" value={token} />
      <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
      <Field label="New password" name="password" type="password" autoComplete="new-password" required hint="At least 8 characters." error={state.fieldErrors?.password} />
      <FormMessage state={state} />
      <Button type="submit" disabled={pending} className="w-full">
        {pending ? "Saving…" : "Set new password"}
      </Button>
    </form>
  );
}
