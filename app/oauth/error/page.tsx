import type { Metadata } from "next";
import Link from "next/link";
import { errorPageText } from "@/lib/server/error-page-url";

export const metadata: Metadata = { title: "Authorization error" };

export default async function AuthorizationErrorPage({
  searchParams,
}: {
  searchParams: Promise<{ error?: string; error_description?: string; sig?: string }>;
}) {
  // Only a description this server wrote (signed) is shown: nobody can put their words here.
  const { error, description: error_description } = errorPageText("/oauth/error", await searchParams);
  return (
    <div className="mx-auto max-w-lg rounded-xl border border-red-200 dark:border-red-800 bg-white dark:bg-slate-900 p-6 shadow-sm">
      <h1 className="text-xl font-semibold text-red-700 dark:text-red-300">This authorization request cannot continue</h1>
      <p className="mt-2 text-slate-700 dark:text-slate-300" data-testid="oauth-error-description">
        {error_description ?? "The request was not valid."}
      </p>
      <p className="mt-2 font-mono text-sm text-slate-500 dark:text-slate-400" data-testid="oauth-error-code">{error}</p>
      <p className="mt-4 text-sm text-slate-600 dark:text-slate-300">
        For your safety you were not sent back to the app. If you are the app&apos;s developer, check its client ID and
        registered redirect URIs in the <Link href="/apps" className="text-brand-600 dark:text-brand-300 underline underline-offset-2">developer portal</Link>.
      </p>
    </div>
  );
}
