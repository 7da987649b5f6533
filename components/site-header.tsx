import Link from "next/link";
import { currentUser } from "@/lib/auth/session";
import { SignOutButton } from "./sign-out-button";

export async function SiteHeader() {
  const user = await currentUser();
  return (
    <header className="border-b border-slate-200 bg-white">
      <nav className="mx-auto flex max-w-5xl items-center gap-6 px-4 py-3 text-sm" aria-label="Main">
        <Link href="/" className="flex items-center gap-1.5 font-semibold text-slate-900">
          <svg aria-hidden viewBox="0 0 24 24" className="h-5 w-5 text-brand-600" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
            <circle cx="7.5" cy="15.5" r="4.5" />
            <path d="M10.7 12.3 20 3M16 7l3 3M14 9l2 2" />
          </svg>
          Latchkey
        </Link>
        <Link href="/docs" className="text-slate-600 hover:text-slate-900">Docs</Link>
        {user && <Link href="/apps" className="text-slate-600 hover:text-slate-900">Apps</Link>}
        {user && <Link href="/account" className="text-slate-600 hover:text-slate-900">Connected apps</Link>}
        {user?.role === "admin" && <Link href="/admin" className="text-slate-600 hover:text-slate-900">Admin</Link>}
        <div className="ml-auto flex items-center gap-3">
          {user ? (
            <>
              <span className="text-slate-500" data-testid="signed-in-as">{user.email}</span>
              <SignOutButton />
            </>
          ) : (
            <>
              <Link href="/signin" className="text-slate-600 hover:text-slate-900">Sign in</Link>
              <Link href="/signup" className="rounded-md bg-brand-600 px-3 py-1.5 font-medium text-white hover:bg-brand-700">Sign up</Link>
            </>
          )}
        </div>
      </nav>
    </header>
  );
}
