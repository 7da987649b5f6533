import type { Metadata } from "next";
import { errorPageText } from "@/lib/server/error-page-url";

export const metadata: Metadata = { title: "Sign-out error" };

/** RP-Initiated Logout 1.0 §4: an invalid request is never redirected back to the app. */
export default async function LogoutErrorPage({ searchParams }: { searchParams: Promise<{ error?: string; error_description?: string; sig?: string }> }) {
  // Only a description this server wrote (signed) is shown: nobody can put their words here.
  const { error, description: error_description } = errorPageText("/oauth/logout/error", await searchParams);
  return (
    <div className="rounded-xl border border-red-200 bg-white p-6 shadow-sm dark:border-red-800 dark:bg-slate-900">
      <h1 className="text-xl font-semibold text-red-700 dark:text-red-300">This sign-out request cannot continue</h1>
      <p className="mt-2 text-slate-700 dark:text-slate-300" data-testid="logout-error-description">
        {error_description ?? "The request was not valid."}
      </p>
      <p className="mt-2 font-mono text-sm text-slate-500 dark:text-slate-400">{error}</p>
      <p className="mt-4 text-sm text-slate-600 dark:text-slate-300">
        For your safety you were not sent back to the app. If you are the app&apos;s developer,
        check its registered post-logout redirect URIs in the developer portal.
      </p>
    </div>
  );
}
