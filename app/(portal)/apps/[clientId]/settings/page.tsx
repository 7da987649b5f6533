import type { Metadata } from "next";
import { AppForm } from "@/components/apps/app-form";
import { DeleteAppForm } from "@/components/apps/delete-app-form";
import { Card } from "@/components/ui/card";
import { listScopes } from "@/lib/data/scopes";
import { loadOwnedApp } from "../../owned-app";
import { updateAppAction } from "./actions";

export const metadata: Metadata = { title: "App settings" };

export default async function AppSettingsPage({ params }: { params: Promise<{ clientId: string }> }) {
  const { app } = await loadOwnedApp((await params).clientId);
  const catalog = await listScopes();
  return (
    <div className="space-y-6">
      <Card title="Settings">
        <AppForm
          mode="edit"
          action={updateAppAction.bind(null, app.id)}
          catalog={catalog}
          initial={{
            name: app.name,
            description: app.description,
            websiteUrl: app.websiteUrl ?? "",
            logoUrl: app.logoUrl ?? "",
            type: app.type,
            redirectUris: app.redirectUris,
            webOrigins: app.webOrigins,
            grantTypes: app.grantTypes,
            scopes: app.scopes,
            pendingScopes: app.pendingScopes,
            defaultScopes: app.defaultScopes,
          }}
        />
      </Card>
      <Card title="Delete app" tone="danger" description="Deleting ends every grant, refresh token and access token this app holds, and its client ID stops working. This cannot be undone.">
        <DeleteAppForm clientId={app.id} name={app.name} />
      </Card>
    </div>
  );
}
