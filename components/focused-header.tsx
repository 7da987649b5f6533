import { currentUser } from "@/lib/auth/session";
import { BrandLink } from "./brand-link";
import { SignOutButton } from "./sign-out-button";

/** The consent screen's header: the product and the signed-in account, nothing to wander off to. */
export async function FocusedHeader() {
  const user = await currentUser();
  return (
    <header className="border-b border-slate-200 bg-white dark:border-slate-700 dark:bg-slate-900">
      <div className="mx-auto flex max-w-lg items-center gap-3 px-4 py-3 text-sm">
        <BrandLink />
        {user && (
          <div className="ml-auto flex min-w-0 items-center gap-2">
            <span className="truncate text-slate-600 dark:text-slate-300" data-testid="signed-in-as">{user.email}</span>
            <SignOutButton />
          </div>
        )}
      </div>
    </header>
  );
}
