import type { Metadata } from "next";
import { AppForm } from "@/components/apps/app-form";
import { DeleteAppForm } from "@/components/apps/delete-app-form";
import { Card } from "@/components/ui/card";
import { listScopes } from "@/lib/data/scopes";
import { loadMemberApp } from "../../owned-app";
import { updateAppAction } from "./actions";
import { REVOKED_READ_ONLY } from "./revoked";

export const metadata: Metadata = { title: "App settings" };

export default async function AppSettingsPage({ params }: { params: Promise<{ clientId: string }> }) {
  const { app, role } = await loadMemberApp((await params).clientId);
  if (role === "viewer") {
    return (
      <Card title="Settings">
        <p className="text-sm text-slate-600 dark:text-slate-300" data-testid="viewer-notice">
          As a viewer you can see this app but not change its settings. Ask the owner to make you a developer.
        </p>
      </Card>
    );
  }
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
            logoSrc: app.logoSrc,
            uploadedLogo: app.uploadedLogo !== null,
            policyUrl: app.policyUrl ?? "",
            termsUrl: app.termsUrl ?? "",
            logout: {
              postLogoutRedirectUris: app.postLogoutRedirectUris,
              backchannelLogoutUri: app.backchannelLogoutUri ?? "",
              backchannelLogoutSessionRequired: app.backchannelLogoutSessionRequired,
              idTokenSignedResponseAlg: app.idTokenSignedResponseAlg,
            },
            readOnly: app.status === "revoked" ? REVOKED_READ_ONLY : undefined,
          }}
        />
      </Card>
      {role === "owner" && (
      <Card title="Delete app" tone="danger" description="Deleting ends every grant, refresh token and access token this app holds, and its client ID stops working. This cannot be undone.">
        <DeleteAppForm clientId={app.id} name={app.name} />
      </Card>
      )}
    </div>
  );
}
