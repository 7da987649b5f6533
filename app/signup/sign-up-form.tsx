"use client";

import { signIn } from "next-auth/react";
import { useActionState, useEffect, useRef } from "react";
import { safeReturnUrl } from "@/lib/auth/safe-return-url";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { signUp } from "./actions";
import { IDLE, type FormState } from "@/lib/form-state";

export function SignUpForm({ callbackUrl }: { callbackUrl: string }) {
  const [state, action, pending] = useActionState<FormState, FormData>(signUp, IDLE);
  // React resets the form after the action runs, so keep what was typed for the sign-in.
  const credentials = useRef({ email: "", password: "" });

  useEffect(() => {
    if (state.status !== "ok") return;
    void signIn("credentials", { ...credentials.current, callbackUrl, redirect: false }).then(() =>
      window.location.assign(safeReturnUrl(callbackUrl, { fallback: "/apps" })),
    );
  }, [state.status === "ok", callbackUrl]);

  return (
    <form
      action={action}
      onSubmit={(event) => {
        const form = new FormData(event.currentTarget);
        credentials.current = { email: String(form.get("email") ?? ""), password: String(form.get("password") ?? "") };
      }} className="space-y-4 rounded-lg border border-slate-200 dark:border-slate-700 bg-white dark:bg-slate-900 p-6 shadow-sm">
      <Field label="Name" name="name" autoComplete="name" defaultValue={state.values?.name} error={state.fieldErrors?.name} />
      <Field label="Email" name="email" type="email" autoComplete="email" required defaultValue={state.values?.email} error={state.fieldErrors?.email} />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        hint="At least 8 characters."
        error={state.fieldErrors?.password}
      />
      {state.message && <p role="alert" className="text-sm text-red-600 dark:text-red-400">{state.message}</p>}
      <Button type="submit" disabled={pending || state.status === "ok"} className="w-full">
        {state.status === "ok" ? "Signing you in…" : pending ? "Creating account…" : "Create account"}
      </Button>
    </form>
  );
}
