import type { Metadata } from "next";
import { AdminNav } from "@/components/admin/admin-nav";
import { DeleteScopeButton } from "@/components/admin/delete-scope-button";
import { ScopeForm } from "@/components/admin/scope-form";
import { requireAdmin } from "@/lib/auth/session";
import { listScopes } from "@/lib/data/scopes";
import { ScrollRegion } from "@/components/ui/scroll-region";

export const metadata: Metadata = { title: "Scope catalog" };
export const dynamic = "force-dynamic";

export default async function ScopeCatalogPage() {
  await requireAdmin();
  const scopes = await listScopes();
  return (
    <div>
      <h1 className="mb-4 text-2xl font-semibold">Admin console</h1>
      <AdminNav current="/admin/scopes" />
      <p className="mb-4 text-sm text-slate-600 dark:text-slate-300">
        Apps pick their scopes from this catalog; users read each description on the consent screen. Saving an existing
        name updates it.
      </p>
      <ScopeForm />
      <ScrollRegion label="Scope catalog" className="mt-6 rounded-lg border border-slate-200 bg-white dark:border-slate-700 dark:bg-slate-900">
      <table className="w-full text-left text-sm">
        <thead className="border-b border-slate-200 dark:border-slate-700 bg-slate-50 dark:bg-slate-800 text-xs uppercase text-slate-500 dark:text-slate-400">
          <tr>
            <th className="px-3 py-2">Scope</th>
            <th className="px-3 py-2">Category</th>
            <th className="px-3 py-2">Description</th>
            <th className="px-3 py-2">Restricted</th>
            <th className="px-3 py-2"><span className="sr-only">Actions</span></th>
          </tr>
        </thead>
        <tbody>
          {scopes.map((s) => (
            <tr key={s.name} className="border-b border-slate-100 dark:border-slate-800 last:border-0" aria-label={s.name}>
              <td className="px-3 py-2 font-mono">{s.name}</td>
              <td className="px-3 py-2">{s.category}</td>
              <td className="px-3 py-2 text-slate-600 dark:text-slate-300">{s.description}</td>
              <td className="px-3 py-2">{s.restricted ? "yes" : ""}</td>
              <td className="px-3 py-2">{!["openid", "profile", "email", "offline_access"].includes(s.name) && <DeleteScopeButton name={s.name} />}</td>
            </tr>
          ))}
        </tbody>
      </table>
      </ScrollRegion>
    </div>
  );
}
