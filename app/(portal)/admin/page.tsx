import type { Metadata } from "next";
import Link from "next/link";
import { AdminNav } from "@/components/admin/admin-nav";
import { ActionButton } from "@/components/action-button";
import { adminAppAction } from "./actions";
import { AppSourceBadge } from "@/components/admin/app-source";
import { AppIcon } from "@/components/apps/app-icon";
import { ReasonActionForm } from "@/components/admin/reason-action-form";
import { requireAdmin } from "@/lib/auth/session";
import { listAllApps, type ClientSource } from "@/lib/data/clients";
import { ScrollRegion } from "@/components/ui/scroll-region";

export const metadata: Metadata = { title: "Admin" };
export const dynamic = "force-dynamic";

const statusStyle = {
  active: "bg-emerald-100 dark:bg-emerald-900/60 text-emerald-800 dark:text-emerald-200",
  suspended: "bg-amber-100 dark:bg-amber-900/60 text-amber-800 dark:text-amber-200",
  revoked: "bg-red-100 dark:bg-red-900/60 text-red-800 dark:text-red-200",
} as const;

const REACTIVATE_CONFIRMATION =
  "Reactivate this app? Its old tokens do not come back: every grant and refresh token it held ends, so its users must allow it again, and access tokens from before the suspension stay inactive.";

const SOURCE_FILTERS: { value: ClientSource | "all"; label: string }[] = [
  { value: "all", label: "All apps" },
  { value: "portal", label: "Portal" },
  { value: "registration", label: "Registered themselves" },
  { value: "metadata_document", label: "Metadata documents" },
];

export default async function AdminAppsPage({ searchParams }: { searchParams: Promise<{ source?: string }> }) {
  await requireAdmin();
  const requested = (await searchParams).source;
  const filter = SOURCE_FILTERS.find((f) => f.value === requested)?.value ?? "all";
  const everyApp = await listAllApps();
  const apps = filter === "all" ? everyApp : everyApp.filter((a) => a.source === filter);
  const pending = everyApp.filter((a) => a.pendingScopes.length > 0 && a.status !== "revoked");
  return (
    <div>
      <h1 className="mb-4 text-2xl font-semibold">Admin console</h1>
      <AdminNav current="/admin" />
      {pending.length > 0 && (
        <section aria-label="Scope requests" className="mb-8 rounded-lg border border-amber-200 dark:border-amber-800 bg-amber-50 dark:bg-amber-950/60 p-4">
          <h2 className="font-semibold text-amber-900 dark:text-amber-100">Restricted scopes awaiting approval</h2>
          <ul className="mt-2 space-y-2 text-sm">
            {pending.map((a) => (
              <li key={a.id} className="flex flex-wrap items-center gap-2" aria-label={`Scope request from ${a.name}`}>
                <span className="font-medium">{a.name}</span> asks for
                <span className="font-mono">{a.pendingScopes.join(" ")}</span>
                <ActionButton action={adminAppAction} fields={{ clientId: a.id, action: "approve-scopes" }} label="Approve" />
                <ReasonActionForm action={adminAppAction} fields={{ clientId: a.id, action: "reject-scopes" }} label="Reject" appName={a.name} consequence="The app keeps its other scopes." />
              </li>
            ))}
          </ul>
        </section>
      )}
      <nav aria-label="Filter apps by source" className="mb-3 flex flex-wrap gap-2 text-sm">
        {SOURCE_FILTERS.map((f) => {
          const count = f.value === "all" ? everyApp.length : everyApp.filter((a) => a.source === f.value).length;
          return (
            <Link
              key={f.value}
              href={f.value === "all" ? "/admin" : `/admin?source=${f.value}`}
              aria-current={filter === f.value ? "page" : undefined}
              className={`rounded-full border px-3 py-1 ${filter === f.value ? "border-brand-500 dark:border-brand-400 bg-brand-50 dark:bg-brand-950 text-brand-700 dark:text-brand-200" : "border-slate-200 dark:border-slate-700 text-slate-600 dark:text-slate-300 hover:text-slate-900 dark:hover:text-white"}`}
            >
              {f.label} ({count})
            </Link>
          );
        })}
      </nav>
      {filter === "metadata_document" && (
        <p className="mb-3 text-sm text-slate-600 dark:text-slate-300">
          Every client that has used a client ID metadata document here: its client_id is the document&apos;s URL, served by
          the host shown. Suspend one to refuse it from now on.
        </p>
      )}
      {apps.length === 0 && <p className="mb-3 text-sm text-slate-500 dark:text-slate-400">No apps here.</p>}
      <ScrollRegion label="Apps" className="rounded-lg border border-slate-200 bg-white dark:border-slate-700 dark:bg-slate-900">
        <table className="w-full text-left text-sm">
          <thead className="border-b border-slate-200 dark:border-slate-700 bg-slate-50 dark:bg-slate-800 text-xs uppercase text-slate-500 dark:text-slate-400">
            <tr>
              <th className="px-3 py-2">App</th>
              <th className="px-3 py-2">Source</th>
              <th className="px-3 py-2">Owner</th>
              <th className="px-3 py-2">Type</th>
              <th className="px-3 py-2">Status</th>
              <th className="px-3 py-2">Last token</th>
              <th className="px-3 py-2">Actions</th>
            </tr>
          </thead>
          <tbody>
            {apps.map((a) => (
              <tr key={a.id} className="border-b border-slate-100 dark:border-slate-800 last:border-0" aria-label={a.name}>
                <td className="px-3 py-2">
                  <div className="flex items-start gap-2">
                    <AppIcon app={a} size="sm" />
                    <div className="min-w-0">
                      <div className="font-medium">{a.name}</div>
                      <div className="break-all font-mono text-xs text-slate-500 dark:text-slate-400">{a.id}</div>
                      <div className="text-xs text-slate-500 dark:text-slate-400">{a.grantTypes.join(", ")}</div>
                    </div>
                  </div>
                </td>
                <td className="px-3 py-2"><AppSourceBadge app={a} /></td>
                <td className="px-3 py-2 text-slate-600 dark:text-slate-300" data-testid="app-owner">{a.ownerEmail ?? <span className="italic text-slate-500 dark:text-slate-400">no owner</span>}</td>
                <td className="px-3 py-2">{a.type}</td>
                <td className="px-3 py-2">
                  <span className={`rounded px-2 py-0.5 text-xs font-medium ${statusStyle[a.status]}`} data-testid="app-status">{a.status}</span>
                  {a.statusReason && <div className="mt-1 max-w-48 text-xs break-words text-slate-600 dark:text-slate-300" data-testid="app-status-reason">{a.statusReason}</div>}
                </td>
                <td className="px-3 py-2 text-xs text-slate-500 dark:text-slate-400">{a.lastTokenAt ? a.lastTokenAt.toISOString().replace("T", " ").slice(0, 16) + " UTC" : "never"}</td>
                <td className="space-x-1 space-y-1 px-3 py-2">
                  {a.status === "active" && <ReasonActionForm action={adminAppAction} fields={{ clientId: a.id, action: "suspend" }} label="Suspend" appName={a.name} consequence="Its tokens stop working within a second." />}
                  {a.status === "suspended" && <ActionButton action={adminAppAction} fields={{ clientId: a.id, action: "activate" }} label="Reactivate" confirm={REACTIVATE_CONFIRMATION} />}
                  {a.status !== "revoked" && <ReasonActionForm action={adminAppAction} fields={{ clientId: a.id, action: "revoke" }} label="Revoke" appName={a.name} consequence="For good: every grant and token it holds ends, and it cannot be reactivated." />}
                  {a.status !== "revoked" && a.type === "confidential" && (
                    a.grantTypes.includes("password")
                      ? <ActionButton action={adminAppAction} fields={{ clientId: a.id, action: "disable-password" }} label="Disable password grant" />
                      : <ActionButton action={adminAppAction} fields={{ clientId: a.id, action: "enable-password" }} label="Enable password grant" confirm="Enable the password grant? RFC 9700 says it must not be used: only do this for a legacy first-party app." />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
    </div>
  );
}
