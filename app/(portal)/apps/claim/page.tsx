import type { Metadata } from "next";
import Link from "next/link";
import { requireUser } from "@/lib/auth/session";
import { ClaimForm } from "./claim-form";

export const metadata: Metadata = { title: "Claim a registered client" };

export default async function ClaimAppPage() {
  await requireUser("/apps/claim");
  return (
    <div className="mx-auto max-w-xl space-y-6">
      <div>
        <Link href="/apps" className="text-sm text-brand-600 dark:text-brand-300 underline underline-offset-2">← Your apps</Link>
        <h1 className="mt-2 text-2xl font-semibold">Claim a registered client</h1>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-300">
          A client that registered itself (dynamic client registration, RFC 7591) has no owner, and it is deleted when it
          stops asking for tokens. Prove it is yours with the registration access token it received: it then appears among
          your apps, no longer expires, and from then on you manage it here (its registration access token stops working).
        </p>
      </div>
      <ClaimForm />
    </div>
  );
}
