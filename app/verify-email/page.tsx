import type { Metadata } from "next";
import { checkUserToken } from "@/lib/data/user-tokens";
import { ConfirmEmailForm } from "./confirm-form";

export const metadata: Metadata = { title: "Confirm your email", referrer: "no-referrer" };
export const dynamic = "force-dynamic";

// The link only shows a button: mail scanners that open links do not use the token.
export default async function VerifyEmailPage({ searchParams }: { searchParams: Promise<{ token?: string; change?: string }> }) {
  const { token, change } = await searchParams;
  const isChange = change === "1";
  const holder = typeof token === "string" ? await checkUserToken(isChange ? "change_email" : "verify_email", token) : null;
  return (
    <div className="mx-auto max-w-sm">
      <h1 className="mb-4 text-2xl font-semibold">{isChange ? "Confirm your new email" : "Verify your email"}</h1>
      {holder && typeof token === "string" ? (
        <>
          <p className="mb-4 text-sm text-slate-600 dark:text-slate-300">
            {isChange ? <>Change the email of your account from {holder.email} to <strong>{holder.data}</strong>.</> : <>Confirm that {holder.email} is your address.</>}
          </p>
          <ConfirmEmailForm token={token} change={isChange} label={isChange ? "Change my email" : "Verify my email"} />
        </>
      ) : (
        <p role="alert" data-testid="link-expired" className="text-sm text-slate-700 dark:text-slate-300">
          This link has expired or was already used. Ask for a new one on your account page.
        </p>
      )}
    </div>
  );
}
