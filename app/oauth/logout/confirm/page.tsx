import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getApp } from "@/lib/data/clients";
import { getUserById } from "@/lib/data/users";
import { sessionUser } from "@/lib/server/authorization-flow";
import { confirmationParams, LOGOUT_DONE_PATH, logoutCsrfToken, logoutErrorPage, validateLogout } from "@/lib/server/logout-flow";
import { postLogoutRedirectUrl } from "@/lib/oauth/end-session";

export const metadata: Metadata = { title: "Sign out" };
export const dynamic = "force-dynamic";

/** RP-Initiated Logout 1.0 §2: asked when the request carries no ID token for this session. */
export default async function ConfirmLogoutPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const raw = await searchParams;
  const params = new URLSearchParams();
  for (const name of ["client_id", "post_logout_redirect_uri", "state"]) {
    const value = raw[name];
    if (typeof value === "string") params.set(name, value);
  }
  const result = await validateLogout(params);
  if (result.type === "error") redirect(logoutErrorPage(result.error.error, result.error.description));
  const { request } = result;
  const session = await sessionUser();
  // Nobody is signed in here: nothing to confirm.
  if (session === null) redirect(postLogoutRedirectUrl(request) ?? LOGOUT_DONE_PATH);
  const [user, app] = await Promise.all([
    getUserById(session.userId),
    request.clientId !== null ? getApp(request.clientId) : Promise.resolve(null),
  ]);
  const hidden = [...confirmationParams(request)];
  return (
    <div className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-6 dark:border-slate-700 dark:bg-slate-900">
      <h1 className="text-lg font-semibold sm:text-xl">Sign out of Latchkey?</h1>
      <p className="mt-2 text-sm text-slate-700 dark:text-slate-300">
        {app ? (
          <>
            <span className="font-medium" data-testid="logout-app-name">{app.name}</span> asks to sign you out.{" "}
          </>
        ) : null}
        You are signed in as <span className="font-medium">{user?.email ?? "a Latchkey user"}</span>. Signing out also signs
        you out of the apps you used with this sign-in that support it.
      </p>
      <form method="post" action="/oauth/logout/decide" className="mt-6 flex gap-3">
        {hidden.map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        <input type="hidden" name="csrf_token" value={logoutCsrfToken(session, request)} />
        <Link
          href="/"
          className="flex-1 rounded-md border border-slate-300 bg-white px-4 py-2.5 text-center text-sm font-medium text-slate-800 hover:bg-slate-50 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-200 dark:hover:bg-slate-800"
        >
          Stay signed in
        </Link>
        <button type="submit" className="flex-1 rounded-md bg-brand-600 px-4 py-2.5 text-sm font-medium text-white hover:bg-brand-700">
          Sign out
        </button>
      </form>
    </div>
  );
}
