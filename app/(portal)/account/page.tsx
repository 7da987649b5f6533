import type { Metadata } from "next";
import { requireUser } from "@/lib/auth/session";
import { getConnectedApps } from "@/lib/data/grants";
import { listScopes } from "@/lib/data/scopes";
import { RemoveAccessButton } from "./remove-access-button";

export const metadata: Metadata = { title: "Connected apps" };
export const dynamic = "force-dynamic";

const formatDate = (d: Date) => d.toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }) + " UTC";

export default async function ConnectedAppsPage() {
  const user = await requireUser("/account");
  const [apps, catalog] = await Promise.all([getConnectedApps(user.id), listScopes()]);
  const describe = (name: string) => catalog.find((s) => s.name === name)?.description ?? name;
  return (
    <div>
      <h1 className="text-2xl font-semibold">Connected apps</h1>
      <p className="mt-1 text-sm text-slate-600 dark:text-slate-300">Apps you have allowed to use your Latchkey account. Remove access at any time.</p>
      {apps.length === 0 ? (
        <p className="mt-8 rounded-lg border border-dashed border-slate-300 dark:border-slate-600 bg-white dark:bg-slate-900 p-8 text-center text-slate-600 dark:text-slate-300">
          You have not authorised any apps yet. When an app asks for access and you choose Allow, it appears here.
        </p>
      ) : (
        <ul className="mt-6 space-y-4">
          {apps.map((app) => (
            <li key={app.grantId} className="rounded-lg border border-slate-200 dark:border-slate-700 bg-white dark:bg-slate-900 p-5" data-testid="connected-app" aria-label={app.name}>
              <div className="flex items-start justify-between gap-4">
                <div>
                  <h2 className="font-semibold">{app.name}</h2>
                  {app.websiteUrl && (
                    <a href={app.websiteUrl} className="text-sm text-brand-600 dark:text-brand-300 underline underline-offset-2" rel="noopener noreferrer" target="_blank">
                      {app.websiteUrl}
                    </a>
                  )}
                  <p className="mt-1 text-xs text-slate-500 dark:text-slate-400">
                    Allowed {formatDate(app.grantedAt)}
                    {app.lastUsedAt && <> · last used {formatDate(app.lastUsedAt)}</>}
                  </p>
                </div>
                <RemoveAccessButton grantId={app.grantId} appName={app.name} />
              </div>
              <ul className="mt-3 space-y-1 text-sm text-slate-700 dark:text-slate-300">
                {app.scopes.map((s) => (
                  <li key={s} data-scope={s}>
                    {describe(s)} <span className="font-mono text-xs text-slate-500 dark:text-slate-400">{s}</span>
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
