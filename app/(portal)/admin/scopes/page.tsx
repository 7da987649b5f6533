import type { Metadata } from "next";
import { AdminNav } from "@/components/admin/admin-nav";
import { DeleteScopeButton } from "@/components/admin/delete-scope-button";
import { ScopeForm } from "@/components/admin/scope-form";
import { requireAdmin } from "@/lib/auth/session";
import { listScopes } from "@/lib/data/scopes";

export const metadata: Metadata = { title: "Scope catalog" };
export const dynamic = "force-dynamic";

export default async function ScopeCatalogPage() {
  await requireAdmin();
  const scopes = await listScopes();
  return (
    <div>
      <h1 className="mb-4 text-2xl font-semibold">Admin console</h1>
      <AdminNav current="/admin/scopes" />
      <p className="mb-4 text-sm text-slate-600">
        Apps pick their scopes from this catalog; users read each description on the consent screen. Saving an existing
        name updates it.
      </p>
      <ScopeForm />
      <table className="mt-6 w-full rounded-lg border border-slate-200 bg-white text-left text-sm">
        <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase text-slate-500">
          <tr>
            <th className="px-3 py-2">Scope</th>
            <th className="px-3 py-2">Category</th>
            <th className="px-3 py-2">Description</th>
            <th className="px-3 py-2">Restricted</th>
            <th className="px-3 py-2" />
          </tr>
        </thead>
        <tbody>
          {scopes.map((s) => (
            <tr key={s.name} className="border-b border-slate-100 last:border-0" aria-label={s.name}>
              <td className="px-3 py-2 font-mono">{s.name}</td>
              <td className="px-3 py-2">{s.category}</td>
              <td className="px-3 py-2 text-slate-600">{s.description}</td>
              <td className="px-3 py-2">{s.restricted ? "yes" : ""}</td>
              <td className="px-3 py-2">{!["openid", "profile", "email", "offline_access"].includes(s.name) && <DeleteScopeButton name={s.name} />}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
