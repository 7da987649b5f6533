import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { safeReturnUrl } from "@/lib/auth/safe-return-url";
import { currentUser } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ callbackUrl?: string; reauth?: string; login_hint?: string }>;
}) {
  const params = await searchParams;
  const callbackUrl = safeReturnUrl(params.callbackUrl, { origin: env().issuer, fallback: "/apps" });
  // `reauth` comes from the authorization endpoint (prompt=login, max_age): ask again.
  if (!params.reauth && (await currentUser())) redirect(callbackUrl);
  return (
    <div className="mx-auto max-w-sm">
      <h1 className="mb-1 text-2xl font-semibold">Sign in</h1>
      <p className="mb-6 text-sm text-slate-600 dark:text-slate-300">
        {params.reauth ? "Confirm it is you to continue." : "Welcome back to Latchkey."}
      </p>
      <SignInForm callbackUrl={callbackUrl} email={params.login_hint ?? ""} />
      <p className="mt-4 text-sm">
        <Link href="/reset-password" className="text-brand-600 dark:text-brand-300 underline underline-offset-2">
          Forgot password?
        </Link>
      </p>
      <p className="mt-6 text-sm text-slate-600 dark:text-slate-300">
        No account yet?{" "}
        <Link href={`/signup?${new URLSearchParams({ callbackUrl })}`} className="text-brand-600 dark:text-brand-300 underline underline-offset-2">
          Sign up
        </Link>
      </p>
    </div>
  );
}
