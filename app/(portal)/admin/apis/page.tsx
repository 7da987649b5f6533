import type { Metadata } from "next";
import { AdminNav } from "@/components/admin/admin-nav";
import { ApiForm } from "@/components/admin/api-form";
import { DeleteApiButton } from "@/components/admin/delete-api-button";
import { Card } from "@/components/ui/card";
import { requireAdmin } from "@/lib/auth/session";
import { listApis } from "@/lib/data/apis";
import { listScopes } from "@/lib/data/scopes";
import { createApiAction, updateApiAction } from "./actions";

export const metadata: Metadata = { title: "APIs" };
export const dynamic = "force-dynamic";

export default async function AdminApisPage() {
  await requireAdmin();
  const [apis, catalog] = await Promise.all([listApis(), listScopes()]);
  return (
    <div>
      <h1 className="mb-4 text-2xl font-semibold">Admin console</h1>
      <AdminNav current="/admin/apis" />
      <p className="mb-4 text-sm text-slate-600 dark:text-slate-300">
        APIs and MCP servers that accept this server&apos;s access tokens. An app names one with the{" "}
        <code className="font-mono">resource</code> parameter (RFC 8707); its token then carries the API&apos;s identifier as
        its only audience, so another API refuses it. Users see the API&apos;s name on the consent screen.
      </p>
      <div className="space-y-6">
        <Card title="Add an API">
          <ApiForm mode="create" action={createApiAction} catalog={catalog} initial={{ identifier: "", name: "", scopes: [], accessTokenTtl: null }} />
        </Card>
        <section aria-label="Registered APIs" className="space-y-3">
          <h2 className="font-semibold">Registered APIs</h2>
          {apis.length === 0 && <p className="text-sm text-slate-600 dark:text-slate-300">No APIs yet.</p>}
          {apis.map((api) => (
            <article key={api.id} aria-label={api.name} data-testid="api-entry" className="rounded-lg border border-slate-200 dark:border-slate-700 bg-white dark:bg-slate-900 p-4 shadow-sm">
              <div className="flex flex-wrap items-start justify-between gap-3">
                <div className="min-w-0">
                  <h3 className="font-medium">{api.name}</h3>
                  <p className="break-all font-mono text-xs text-slate-500 dark:text-slate-400" data-testid="api-identifier">{api.identifier}</p>
                  <p className="mt-1 text-sm text-slate-600 dark:text-slate-300">
                    Scopes: <span className="font-mono">{api.scopes.join(" ") || "none"}</span>
                    {" · "}Token lifetime: {api.accessTokenTtl === null ? "server default" : `${api.accessTokenTtl} s`}
                  </p>
                </div>
                <DeleteApiButton identifier={api.identifier} name={api.name} />
              </div>
              <details className="mt-3">
                <summary className="cursor-pointer text-sm text-brand-600 dark:text-brand-300 underline underline-offset-2">Edit</summary>
                <div className="mt-3">
                  <ApiForm
                    mode="edit"
                    action={updateApiAction.bind(null, api.identifier)}
                    catalog={catalog}
                    initial={{ identifier: api.identifier, name: api.name, scopes: api.scopes, accessTokenTtl: api.accessTokenTtl }}
                  />
                </div>
              </details>
            </article>
          ))}
        </section>
      </div>
    </div>
  );
}
