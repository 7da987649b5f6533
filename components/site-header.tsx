import Link from "next/link";
import { currentUser } from "@/lib/auth/session";
import { BrandLink } from "./brand-link";
import { MobileMenu } from "./mobile-menu";
import { SignOutButton } from "./sign-out-button";

const linkStyle = "text-slate-600 hover:text-slate-900 dark:text-slate-300 dark:hover:text-white";
const menuLinkStyle = "block rounded-md px-3 py-2 text-slate-700 hover:bg-slate-100 dark:text-slate-200 dark:hover:bg-slate-800";
const signUpStyle = "rounded-md bg-brand-600 px-3 py-1.5 font-medium text-white hover:bg-brand-700";

export async function SiteHeader() {
  const user = await currentUser();
  const links = [
    { href: "/docs", label: "Docs" },
    ...(user ? [{ href: "/apps", label: "Apps" }, { href: "/account", label: "Connected apps" }] : []),
    ...(user?.role === "admin" ? [{ href: "/admin", label: "Admin" }] : []),
  ];
  return (
    <header className="relative border-b border-slate-200 bg-white dark:border-slate-700 dark:bg-slate-900">
      <div className="mx-auto flex max-w-5xl items-center gap-6 px-4 py-3 text-sm">
        <BrandLink />
        <nav className="hidden flex-1 items-center gap-6 md:flex" aria-label="Main">
          {links.map((l) => <Link key={l.href} href={l.href} className={linkStyle}>{l.label}</Link>)}
          <div className="ml-auto flex items-center gap-3">
            {user ? (
              <>
                <span className="text-slate-600 dark:text-slate-300" data-testid="signed-in-as">{user.email}</span>
                <SignOutButton />
              </>
            ) : (
              <>
                <Link href="/signin" className={linkStyle}>Sign in</Link>
                <Link href="/signup" className={signUpStyle}>Sign up</Link>
              </>
            )}
          </div>
        </nav>
        <MobileMenu>
          <nav aria-label="Main" className="space-y-1 text-base">
            {links.map((l) => <Link key={l.href} href={l.href} className={menuLinkStyle}>{l.label}</Link>)}
          </nav>
          <div className="mt-3 border-t border-slate-200 pt-3 dark:border-slate-700">
            {user ? (
              <div className="flex flex-wrap items-center justify-between gap-3 px-3">
                <span className="min-w-0 break-all text-slate-600 dark:text-slate-300">{user.email}</span>
                <SignOutButton />
              </div>
            ) : (
              <div className="flex items-center gap-3 px-3">
                <Link href="/signin" className={linkStyle}>Sign in</Link>
                <Link href="/signup" className={signUpStyle}>Sign up</Link>
              </div>
            )}
          </div>
        </MobileMenu>
      </div>
    </header>
  );
}
