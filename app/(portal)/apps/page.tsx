import type { Metadata } from "next";
import Link from "next/link";
import { AppList } from "@/components/apps/app-list";
import { AppsEmptyState } from "@/components/apps/apps-empty-state";
import { requireUser } from "@/lib/auth/session";
import { PendingInvitations } from "@/components/apps/pending-invitations";
import { listAppsForMember } from "@/lib/data/app-members";
import { listInvitationsForEmail } from "@/lib/data/invitations";

export const metadata: Metadata = { title: "Your apps" };

export default async function AppsPage({ searchParams }: { searchParams: Promise<{ deleted?: string }> }) {
  const user = await requireUser("/apps");
  const { deleted } = await searchParams;
  const [memberships, invitations] = await Promise.all([listAppsForMember(user.id), listInvitationsForEmail(user.email)]);
  const apps = memberships.map((m) => m.app);
  const roles = Object.fromEntries(memberships.map((m) => [m.app.id, m.role]));
  const shared = memberships.some((m) => m.role !== "owner");
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">Your apps</h1>
          <p className="text-sm text-slate-600 dark:text-slate-300">Apps you registered or whose team you joined, to sign users in and call APIs with Latchkey.</p>
          <Link href="/apps/claim" className="text-sm text-brand-600 dark:text-brand-300 underline underline-offset-2">Claim a client that registered itself</Link>
        </div>
        {apps.length > 0 && (
          <Link href="/apps/new" className="rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700">
            Create app
          </Link>
        )}
      </div>
      {deleted && (
        <p role="status" className="rounded-md bg-emerald-50 dark:bg-emerald-950/60 px-3 py-2 text-sm text-emerald-800 dark:text-emerald-200">
          Deleted “{deleted}”. Its tokens and grants no longer work.
        </p>
      )}
      <PendingInvitations invitations={invitations} />
      {apps.length ? <AppList apps={apps} roles={shared ? roles : undefined} /> : <AppsEmptyState />}
    </div>
  );
}
