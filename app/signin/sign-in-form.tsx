"use client";

import { signIn } from "next-auth/react";
import { useState } from "react";
import { safeReturnUrl } from "@/lib/auth/safe-return-url";
import { ACCOUNT_BLOCKED_MESSAGE, isTooManyAttemptsMessage } from "@/lib/auth/too-many-attempts";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";

export function SignInForm({ callbackUrl, email }: { callbackUrl: string; email: string }) {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    setError(null);
    const form = new FormData(event.currentTarget);
    const result = await signIn("credentials", {
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
      callbackUrl,
      redirect: false,
    });
    if (result?.ok && !result.error) {
      window.location.assign(safeReturnUrl(callbackUrl, { fallback: "/apps" }));
      return;
    }
    setPending(false);
    // A lockout says so; anything else (wrong password, unknown email, an error) stays generic.
    const refusal = result?.error;
    // A blocked account is told so only after its right password.
    if (refusal === ACCOUNT_BLOCKED_MESSAGE) setError(ACCOUNT_BLOCKED_MESSAGE);
    else setError(isTooManyAttemptsMessage(refusal) ? refusal : "The email or password is incorrect.");
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4 rounded-lg border border-slate-200 dark:border-slate-700 bg-white dark:bg-slate-900 p-6 shadow-sm">
      <Field label="Email" name="email" type="email" autoComplete="email" required defaultValue={email} />
      <Field label="Password" name="password" type="password" autoComplete="current-password" required />
      {error && <p role="alert" data-testid="form-error" className="text-sm text-red-600 dark:text-red-400">{error}</p>}
      <Button type="submit" disabled={pending} className="w-full">
        {pending ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
