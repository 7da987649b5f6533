import Link from "next/link";
import type { AppSummary } from "@/lib/data/clients";
import { Time } from "@/components/ui/time";
import { AppStatusBadge, ClientTypeBadge } from "./app-badges";
import { AppIcon } from "./app-icon";

export function AppList({ apps }: { apps: AppSummary[] }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
      <table className="w-full text-left text-sm">
        <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th className="px-4 py-3 font-medium">App</th>
            <th className="px-4 py-3 font-medium">Client type</th>
            <th className="px-4 py-3 font-medium">Status</th>
            <th className="px-4 py-3 font-medium">Created</th>
            <th className="px-4 py-3 font-medium">Last token issued</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {apps.map((app) => (
            <tr key={app.id} className="hover:bg-slate-50" data-testid="app-row">
              <td className="px-4 py-3">
                <div className="flex items-center gap-3">
                  <AppIcon app={app} size="sm" />
                  <div className="min-w-0">
                    <Link href={`/apps/${encodeURIComponent(app.id)}`} className="font-medium text-slate-900 hover:text-brand-600 hover:underline">
                      {app.name}
                    </Link>
                    <p className="truncate font-mono text-xs text-slate-500">{app.id}</p>
                  </div>
                </div>
              </td>
              <td className="px-4 py-3"><ClientTypeBadge type={app.type} /></td>
              <td className="px-4 py-3"><AppStatusBadge app={app} /></td>
              <td className="px-4 py-3 text-slate-600"><Time value={app.createdAt} /></td>
              <td className="px-4 py-3 text-slate-600"><Time value={app.lastTokenAt} /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
