import type { Metadata } from "next";
import Link from "next/link";

export const metadata: Metadata = { title: "Signed out" };

export default function SignedOutPage() {
  return (
    <div className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-6 dark:border-slate-700 dark:bg-slate-900">
      <h1 className="text-lg font-semibold sm:text-xl">You are signed out</h1>
      <p className="mt-2 text-sm text-slate-700 dark:text-slate-300">
        Your Latchkey session has ended, and the apps you used with it that support sign-out were told. You can close this
        window.
      </p>
      <p className="mt-4 text-sm">
        <Link href="/signin" className="text-brand-600 underline underline-offset-2 dark:text-brand-300">Sign in again</Link>
      </p>
    </div>
  );
}
