import type { Metadata } from "next";
import Link from "next/link";
import { checkUserToken } from "@/lib/data/user-tokens";
import { ForgotPasswordForm, NewPasswordForm } from "./reset-forms";

export const metadata: Metadata = { title: "Reset password", referrer: "no-referrer" };
export const dynamic = "force-dynamic";

export default async function ResetPasswordPage({ searchParams }: { searchParams: Promise<{ token?: string; email?: string }> }) {
  const { token, email } = await searchParams;
  const holder = typeof token === "string" ? await checkUserToken("password_reset", token) : null;
  return (
    <div className="mx-auto max-w-sm">
      <h1 className="mb-1 text-2xl font-semibold">{token ? "Choose a new password" : "Forgot your password?"}</h1>
      {!token ? (
        <>
          <p className="mb-6 text-sm text-slate-600 dark:text-slate-300">Enter the email of your account and we will send you a link to choose a new password.</p>
          <ForgotPasswordForm email={typeof email === "string" ? email.slice(0, 200) : ""} />
        </>
      ) : holder ? (
        <>
          <p className="mb-6 text-sm text-slate-600 dark:text-slate-300">For {holder.email}.</p>
          <NewPasswordForm token={token} email={holder.email} />
        </>
      ) : (
        <p role="alert" data-testid="link-expired" className="mt-4 text-sm text-slate-700 dark:text-slate-300">
          This link has expired or was already used.{" "}
          <Link href="/reset-password" className="text-brand-600 dark:text-brand-300 underline underline-offset-2">Ask for a new one</Link>.
        </p>
      )}
      <p className="mt-6 text-sm text-slate-600 dark:text-slate-300">
        <Link href="/signin" className="text-brand-600 dark:text-brand-300 underline underline-offset-2">Back to sign in</Link>
      </p>
    </div>
  );
}
