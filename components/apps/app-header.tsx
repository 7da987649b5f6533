import Link from "next/link";
import type { AppSummary } from "@/lib/data/clients";
import { AppStatusBadge, ClientTypeBadge } from "./app-badges";
import { AppIcon } from "./app-icon";

export function AppHeader({ app }: { app: AppSummary }) {
  return (
    <div className="space-y-3">
      <Link href="/apps" className="text-sm text-brand-600 dark:text-brand-300 underline underline-offset-2">← Your apps</Link>
      <div className="flex items-center gap-4">
        <AppIcon app={app} />
        <div className="min-w-0">
          <h1 className="truncate text-2xl font-semibold">{app.name}</h1>
          <div className="mt-1 flex flex-wrap items-center gap-2">
            <ClientTypeBadge type={app.type} />
            <AppStatusBadge app={app} />
            {app.websiteUrl && (
              <a href={app.websiteUrl} target="_blank" rel="noopener noreferrer" className="text-sm text-brand-600 dark:text-brand-300 underline underline-offset-2">
                {app.websiteUrl.replace(/^https?:\/\//, "")}
              </a>
            )}
          </div>
        </div>
      </div>
      {app.status !== "active" && (
        <p className="rounded-md bg-red-50 dark:bg-red-950/60 px-3 py-2 text-sm text-red-800 dark:text-red-200" role="status">
          An administrator {app.status} this app: it cannot get tokens, and the tokens it holds no longer work.
          {app.statusReason && (
            <>
              {" "}Reason: <span data-testid="app-status-reason">{app.statusReason}</span>
            </>
          )}
        </p>
      )}
      {app.status === "active" && app.statusReason && (
        <p className="rounded-md bg-amber-50 dark:bg-amber-950/60 px-3 py-2 text-sm text-amber-900 dark:text-amber-100" role="status">
          An administrator declined the restricted scopes this app asked for. Reason:{" "}
          <span data-testid="app-status-reason">{app.statusReason}</span>
        </p>
      )}
      {app.pendingScopes.length > 0 && (
        <p className="rounded-md bg-amber-50 dark:bg-amber-950/60 px-3 py-2 text-sm text-amber-900 dark:text-amber-100" role="status">
          Waiting for an administrator to approve: {app.pendingScopes.map((s) => <code key={s} className="mr-1">{s}</code>)}
          Until then, requests for {app.pendingScopes.length > 1 ? "these scopes" : "this scope"} are refused.
        </p>
      )}
    </div>
  );
}
