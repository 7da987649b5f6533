import type { Metadata } from "next";
import { LogoutDeliveriesPanel } from "@/components/apps/logout-deliveries-panel";
import { SecretsPanel } from "@/components/apps/secrets-panel";
import { UsagePanel } from "@/components/apps/usage-panel";
import { Card } from "@/components/ui/card";
import { CopyableValue } from "@/components/ui/copyable-value";
import { roleAtLeast } from "@/lib/data/app-members";
import { listSecrets } from "@/lib/data/clients";
import { getAppUsage } from "@/lib/data/usage";
import { allowedWebOrigins } from "@/lib/oauth/web-origins";
import { loadMemberApp } from "../owned-app";

export const metadata: Metadata = { title: "App" };

export default async function AppOverviewPage({ params }: { params: Promise<{ clientId: string }> }) {
  const { app, role } = await loadMemberApp((await params).clientId);
  const [secrets, usage] = await Promise.all([
    app.type === "confidential" ? listSecrets(app.id) : Promise.resolve([]),
    getAppUsage(app.id),
  ]);
  return (
    <div className="space-y-6">
      <Card title="Client ID" description="Public: it identifies your app in every request. Safe to put in browser and mobile code.">
        <CopyableValue value={app.id} label="Copy client ID" testId="client-id" />
      </Card>
      {app.type === "confidential" ? (
        <SecretsPanel clientId={app.id} secrets={secrets} canManage={roleAtLeast(role, "developer")} />
      ) : (
        <Card title="Client secret">
          <p className="text-sm text-slate-600 dark:text-slate-300">
            Public apps have no secret: anything shipped to a browser or device can be read. Instead, every authorization
            request carries a PKCE code challenge, and only the app that made it can redeem the code.
          </p>
        </Card>
      )}
      <WebOriginsCard webOrigins={app.webOrigins} redirectUris={app.redirectUris} />
      <UsagePanel usage={usage} />
      <LogoutDeliveriesPanel clientId={app.id} />
    </div>
  );
}

function WebOriginsCard({ webOrigins, redirectUris }: { webOrigins: string[]; redirectUris: string[] }) {
  const origins = allowedWebOrigins({ webOrigins, redirectUris });
  const source = webOrigins.length ? "Registered in Settings." : "Derived from your redirect URIs; list your own in Settings to replace them.";
  return (
    <Card title="Allowed web origins" description={`Browser apps on these origins may call the token and revocation endpoints. ${source}`}>
      {origins.length ? (
        <ul className="space-y-1 font-mono text-sm" data-testid="web-origins">
          {origins.map((origin) => (
            <li key={origin}>
              {origin}
              {isAnyPortOrigin(origin) && <span className="font-sans text-slate-500 dark:text-slate-400"> (any port)</span>}
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-sm text-slate-600 dark:text-slate-300">None: browsers cannot call the token endpoint for this app.</p>
      )}
    </Card>
  );
}

/** A loopback origin without a port allows every port (lib/oauth/web-origins.ts). */
function isAnyPortOrigin(origin: string): boolean {
  return origin.startsWith("http://") && !/:\d+$/.test(origin);
}
