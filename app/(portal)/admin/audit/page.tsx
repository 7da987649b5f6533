import type { Metadata } from "next";
import Link from "next/link";
import { AdminNav } from "@/components/admin/admin-nav";
import { requireAdmin } from "@/lib/auth/session";
import { auditFilterOf, searchAuditLog, type AuditFilter } from "@/lib/data/audit";
import { ScrollRegion } from "@/components/ui/scroll-region";

export const metadata: Metadata = { title: "Audit log" };
export const dynamic = "force-dynamic";

type Params = Record<string, string | string[] | undefined>;

const FIELDS: { name: keyof AuditFilter; label: string; placeholder?: string; type?: string }[] = [
  { name: "q", label: "Search", placeholder: "Any text" },
  { name: "action", label: "Action", placeholder: "e.g. app. or auth.signed_in" },
  { name: "actor", label: "Actor", placeholder: "Email, name, cli, system" },
  { name: "target", label: "Target", placeholder: "App name, email or id" },
  { name: "from", label: "From (UTC)", type: "date" },
  { name: "to", label: "To (UTC)", type: "date" },
];

const inputClass = "w-full rounded border border-slate-300 dark:border-slate-600 bg-white dark:bg-slate-900 px-2 py-1";

export default async function AuditLogPage({ searchParams }: { searchParams: Promise<Params> }) {
  await requireAdmin();
  const params = await searchParams;
  const filter = auditFilterOf(params);
  const { entries, page, hasMore } = await searchAuditLog(filter, { page: Number(params.page) || 1 });
  const query = new URLSearchParams(Object.entries(filter).filter((e): e is [string, string] => Boolean(e[1])));
  const hrefWith = (extra: Record<string, string>, base = "/admin/audit") => {
    const q = new URLSearchParams(query);
    for (const [k, v] of Object.entries(extra)) q.set(k, v);
    const s = q.toString();
    return s ? `${base}?${s}` : base;
  };
  return (
    <div>
      <h1 className="mb-4 text-2xl font-semibold">Admin console</h1>
      <AdminNav current="/admin/audit" />
      <form method="get" aria-label="Filter the audit log" className="mb-4 grid grid-cols-1 gap-2 sm:grid-cols-3 lg:grid-cols-6">
        {FIELDS.map((f) => (
          <label key={f.name} className="text-sm">
            <span className="mb-1 block text-slate-600 dark:text-slate-300">{f.label}</span>
            <input name={f.name} type={f.type ?? "text"} defaultValue={filter[f.name] ?? ""} placeholder={f.placeholder} className={inputClass} />
          </label>
        ))}
        <div className="flex flex-wrap items-center gap-3 sm:col-span-3 lg:col-span-6">
          <button type="submit" className="rounded border border-slate-300 dark:border-slate-600 px-3 py-1 text-sm">Filter</button>
          <Link href="/admin/audit" className="text-sm text-slate-600 dark:text-slate-300">Clear</Link>
          <span className="ml-auto flex gap-3 text-sm">
            <a href={hrefWith({ format: "csv" }, "/admin/audit/export")} className="text-brand-700 dark:text-brand-300" download>Export CSV</a>
            <a href={hrefWith({ format: "json" }, "/admin/audit/export")} className="text-brand-700 dark:text-brand-300" download>Export JSON</a>
          </span>
        </div>
      </form>
      <ScrollRegion label="Audit log entries" className="rounded-lg border border-slate-200 dark:border-slate-700 bg-white dark:bg-slate-900">
        <table className="w-full text-left text-sm">
          <thead className="border-b border-slate-200 dark:border-slate-700 bg-slate-50 dark:bg-slate-800 text-xs uppercase text-slate-500 dark:text-slate-400">
            <tr>
              <th className="px-3 py-2">Time (UTC)</th>
              <th className="px-3 py-2">Actor</th>
              <th className="px-3 py-2">Action</th>
              <th className="px-3 py-2">Target</th>
              <th className="px-3 py-2">Details</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id} className="border-b border-slate-100 dark:border-slate-800 align-top last:border-0" data-testid="audit-entry">
                <td className="whitespace-nowrap px-3 py-2 text-xs text-slate-500 dark:text-slate-400">{e.createdAt.toISOString().replace("T", " ").slice(0, 19)}</td>
                <td className="px-3 py-2" title={e.actorId ?? undefined}>{e.actorLabel}</td>
                <td className="px-3 py-2 font-mono text-xs">{e.action}</td>
                <td className="px-3 py-2 text-xs">
                  {e.targetLabel && <div className="font-medium">{e.targetLabel}</div>}
                  {e.target && <div className="break-all font-mono text-slate-500 dark:text-slate-400">{e.target}</div>}
                </td>
                <td className="break-all px-3 py-2 font-mono text-xs text-slate-500 dark:text-slate-400">{Object.keys(e.details).length ? JSON.stringify(e.details) : ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {entries.length === 0 && <p className="p-6 text-center text-slate-500 dark:text-slate-400">No entries match.</p>}
      </ScrollRegion>
      {(page > 1 || hasMore) && (
        <nav aria-label="Pages" className="mt-4 flex items-center gap-3 text-sm">
          {page > 1 && <Link href={hrefWith({ page: String(page - 1) })} className="text-brand-700 dark:text-brand-300">Newer</Link>}
          <span className="text-slate-500 dark:text-slate-400">Page {page}</span>
          {hasMore && <Link href={hrefWith({ page: String(page + 1) })} className="text-brand-700 dark:text-brand-300">Older</Link>}
        </nav>
      )}
    </div>
  );
}
