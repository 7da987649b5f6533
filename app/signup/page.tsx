import type { Metadata } from "next";
import Link from "next/link";
import { safeReturnUrl } from "@/lib/auth/safe-return-url";
import { env } from "@/lib/env";
import { SignUpForm } from "./sign-up-form";

export const metadata: Metadata = { title: "Sign up" };

export default async function SignUpPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  const callbackUrl = safeReturnUrl((await searchParams).callbackUrl, { origin: env().issuer, fallback: "/apps" });
  return (
    <div className="mx-auto max-w-sm">
      <h1 className="mb-1 text-2xl font-semibold">Create your account</h1>
      <p className="mb-6 text-sm text-slate-600 dark:text-slate-300">Register apps, get client credentials and try every OAuth flow.</p>
      <SignUpForm callbackUrl={callbackUrl} />
      <p className="mt-6 text-sm text-slate-600 dark:text-slate-300">
        Already have an account?{" "}
        <Link href={`/signin?${new URLSearchParams({ callbackUrl })}`} className="text-brand-600 dark:text-brand-300 underline underline-offset-2">
          Sign in
        </Link>
      </p>
    </div>
  );
}
