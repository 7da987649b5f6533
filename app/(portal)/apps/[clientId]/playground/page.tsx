import type { Metadata } from "next";
import { PlaygroundBuilder } from "@/components/apps/playground-builder";
import { PlaygroundDevice } from "@/components/apps/playground-device";
import { Card } from "@/components/ui/card";
import { listScopes } from "@/lib/data/scopes";
import { OAUTH_PATHS } from "@/lib/server/provider";
import { loadMemberApp } from "../../owned-app";
import { DEVICE_CODE_GRANT_TYPE } from "@/lib/oauth/device-authorization";
import { addPlaygroundRedirectAction } from "./actions";
import { devicePlaygroundAction } from "./device-actions";

export const metadata: Metadata = { title: "Playground" };

export default async function PlaygroundPage({ params }: { params: Promise<{ clientId: string }> }) {
  const { app } = await loadMemberApp((await params).clientId);
  const catalog = await listScopes();
  const scopes = app.scopes.map((name) => ({ name, description: catalog.find((s) => s.name === name)?.description ?? "" }));
  const device = app.status === "active" && app.grantTypes.includes(DEVICE_CODE_GRANT_TYPE);
  return (
    <div className="space-y-6">
      <Card
        title="Playground"
        description="Run a real authorization code flow against this server with your app's client ID: sign in, approve, exchange the code, then call the API with the token."
      >
        {app.status !== "active" ? (
          <p className="text-sm text-red-700 dark:text-red-300">This app is {app.status}, so it cannot be authorized.</p>
        ) : !app.grantTypes.includes("authorization_code") ? (
          <p className="text-sm text-slate-700 dark:text-slate-300">
            The playground runs the authorization code flow{device ? " (and the device flow below)" : ""}. Turn on the authorization code grant in Settings to use it.
          </p>
        ) : (
          <PlaygroundBuilder
            app={{ id: app.id, name: app.name, type: app.type, redirectUris: app.redirectUris, grantTypes: app.grantTypes }}
            scopes={scopes}
            authorizationEndpoint={OAUTH_PATHS.authorization}
            addRedirect={addPlaygroundRedirectAction.bind(null, app.id)}
          />
        )}
      </Card>
      {device && (
        <Card
          title="Device flow"
          description="Play the device of RFC 8628: get a user code, approve it on the verification page as a user would on their phone, and watch the polls until the tokens arrive."
        >
          <PlaygroundDevice app={{ id: app.id, type: app.type }} scopes={app.scopes} run={devicePlaygroundAction} />
        </Card>
      )}
    </div>
  );
}
