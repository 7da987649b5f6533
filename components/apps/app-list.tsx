import Link from "next/link";
import type { AppSummary } from "@/lib/data/clients";
import { Time } from "@/components/ui/time";
import { AppStatusBadge, ClientTypeBadge } from "./app-badges";
import { AppIcon } from "./app-icon";
import { ScrollRegion } from "@/components/ui/scroll-region";

/** `roles`: the signed-in user's role per app, shown when given. */
export function AppList({ apps, roles }: { apps: AppSummary[]; roles?: Record<string, string> }) {
  return (
    <ScrollRegion label="Your apps" className="rounded-lg border border-slate-200 bg-white shadow-sm dark:border-slate-700 dark:bg-slate-900">
      <table className="w-full text-left text-sm">
        <thead className="border-b border-slate-200 dark:border-slate-700 bg-slate-50 dark:bg-slate-800 text-xs uppercase tracking-wide text-slate-500 dark:text-slate-400">
          <tr>
            <th className="px-4 py-3 font-medium">App</th>
            {roles && <th className="px-4 py-3 font-medium">Your role</th>}
            <th className="px-4 py-3 font-medium">Client type</th>
            <th className="px-4 py-3 font-medium">Status</th>
            <th className="px-4 py-3 font-medium">Created</th>
            <th className="px-4 py-3 font-medium">Last token issued</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {apps.map((app) => (
            <tr key={app.id} className="hover:bg-slate-50 dark:hover:bg-slate-800" data-testid="app-row">
              <td className="px-4 py-3">
                <div className="flex items-center gap-3">
                  <AppIcon app={app} size="sm" />
                  <div className="min-w-0">
                    <Link href={`/apps/${encodeURIComponent(app.id)}`} className="font-medium text-slate-900 dark:text-slate-100 hover:text-brand-600 dark:hover:text-brand-300 hover:underline">
                      {app.name}
                    </Link>
                    <p className="truncate font-mono text-xs text-slate-500 dark:text-slate-400">{app.id}</p>
                  </div>
                </div>
              </td>
              {roles && <td className="px-4 py-3 capitalize" data-testid="app-role">{roles[app.id]}</td>}
              <td className="px-4 py-3"><ClientTypeBadge type={app.type} /></td>
              <td className="px-4 py-3"><AppStatusBadge app={app} /></td>
              <td className="px-4 py-3 text-slate-600 dark:text-slate-300"><Time value={app.createdAt} /></td>
              <td className="px-4 py-3 text-slate-600 dark:text-slate-300"><Time value={app.lastTokenAt} /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
