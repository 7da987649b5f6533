import type { Metadata } from "next";
import { AdminNav } from "@/components/admin/admin-nav";
import { MetadataDocumentPolicyForm, RegistrationPolicyForm } from "@/components/admin/registration-settings-forms";
import { RegistrationTokenForm, RevokeRegistrationTokenButton } from "@/components/admin/registration-tokens";
import { Card } from "@/components/ui/card";
import { requireAdmin } from "@/lib/auth/session";
import { listInitialAccessTokens } from "@/lib/data/initial-access-tokens";
import { serverSettings } from "@/lib/data/settings";
import { ScrollRegion } from "@/components/ui/scroll-region";

export const metadata: Metadata = { title: "Registration" };
export const dynamic = "force-dynamic";

const when = (d: Date | null) => (d ? d.toISOString().replace("T", " ").slice(0, 16) + " UTC" : "—");

export default async function AdminRegistrationPage() {
  await requireAdmin();
  const [settings, tokens] = await Promise.all([serverSettings(), listInitialAccessTokens()]);
  const now = Date.now();
  return (
    <div>
      <h1 className="mb-4 text-2xl font-semibold">Admin console</h1>
      <AdminNav current="/admin/registration" />
      <div className="space-y-6">
        <Card
          title="Dynamic client registration"
          description="Whether programs may register themselves as clients (RFC 7591), as MCP clients do the first time they meet a server. Apps that registered themselves have no owner until a developer claims them; you can suspend them like any app."
        >
          <RegistrationPolicyForm value={settings.registration} />
        </Card>
        <Card
          title="Initial access tokens"
          description="Bearer tokens that allow registration when the policy is “Initial access token required”. A token can register any number of clients until it expires or you revoke it."
        >
          <RegistrationTokenForm />
          <ScrollRegion label="Initial access tokens" className="mt-4">
          <table className="w-full text-left text-sm">
            <thead className="border-b border-slate-200 dark:border-slate-700 text-xs uppercase text-slate-500 dark:text-slate-400">
              <tr>
                <th className="py-2 pr-3">Label</th>
                <th className="py-2 pr-3">Status</th>
                <th className="py-2 pr-3">Created</th>
                <th className="py-2 pr-3">Expires</th>
                <th className="py-2 pr-3">Last used</th>
                <th className="py-2"><span className="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {tokens.length === 0 && (
                <tr><td colSpan={6} className="py-3 text-slate-500 dark:text-slate-400">No tokens yet.</td></tr>
              )}
              {tokens.map((t) => {
                const status = t.revokedAt ? "revoked" : t.expiresAt && t.expiresAt.getTime() <= now ? "expired" : "active";
                return (
                  <tr key={t.id} aria-label={t.label} className="border-b border-slate-100 dark:border-slate-800 last:border-0">
                    <td className="py-2 pr-3">{t.label}</td>
                    <td className="py-2 pr-3" data-testid="registration-token-status">{status}</td>
                    <td className="py-2 pr-3 text-xs text-slate-500 dark:text-slate-400">{when(t.createdAt)}</td>
                    <td className="py-2 pr-3 text-xs text-slate-500 dark:text-slate-400">{t.expiresAt ? when(t.expiresAt) : "never"}</td>
                    <td className="py-2 pr-3 text-xs text-slate-500 dark:text-slate-400">{t.lastUsedAt ? when(t.lastUsedAt) : "never"}</td>
                    <td className="py-2 text-right">{status !== "revoked" && <RevokeRegistrationTokenButton id={t.id} label={t.label} />}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          </ScrollRegion>
        </Card>
        <Card
          title="Client ID metadata documents"
          description="Instead of registering, a client may use the https URL of a JSON document describing it as its client_id; Latchkey fetches the document when the client is used. Latchkey has not reviewed such clients, so the consent screen names the document's host."
        >
          <MetadataDocumentPolicyForm value={settings.metadataDocuments} domains={settings.metadataDocumentDomains} />
        </Card>
      </div>
    </div>
  );
}
