// The app a docs page fills its samples in for: pure, so tests build the same context the
// pages do (sample-context.ts adds the session and the database).
import type { DiscoveryDocument } from "./discovery";

export const PLACEHOLDER_CLIENT_ID = "YOUR_CLIENT_ID";
export const PLACEHOLDER_REDIRECT_URI = "https://example.com/callback";

export interface SampleApp {
  id: string;
  name: string;
  type: "confidential" | "public";
  grantTypes: string[];
  scopes: string[];
  redirectUris: string[];
}

/** An app as the data layer returns it; only active ones fill samples. */
export type OwnedApp = SampleApp & { status: string };

export interface SampleContext {
  discovery: DiscoveryDocument;
  resourceUrl: string;
  signedIn: boolean;
  apps: SampleApp[];
  app: SampleApp | null;
  /** What the samples are built from: the chosen app, or a generic one with placeholders. */
  client: SampleApp;
  clientId: string;
  redirectUri: string;
}

// Signed out or without apps: a generic app that can use every flow the page describes.
function genericApp(type: SampleApp["type"]): SampleApp {
  return {
    id: PLACEHOLDER_CLIENT_ID,
    name: "your app",
    type,
    grantTypes: ["authorization_code", "refresh_token", "client_credentials", "implicit", "password"],
    scopes: ["openid", "profile", "email", "offline_access", "account:read"],
    redirectUris: [PLACEHOLDER_REDIRECT_URI],
  };
}

export function buildSampleContext(
  discovery: DiscoveryDocument,
  owned: OwnedApp[] | null,
  options: { appId?: string; prefer?: SampleApp["type"] } = {},
): SampleContext {
  const apps: SampleApp[] = (owned ?? [])
    .filter((a) => a.status === "active")
    .map((a) => ({ id: a.id, name: a.name, type: a.type, grantTypes: a.grantTypes, scopes: a.scopes, redirectUris: a.redirectUris }));
  const app =
    apps.find((a) => a.id === options.appId) ??
    apps.find((a) => a.type === options.prefer) ??
    apps[0] ??
    null;
  const client = app ?? genericApp(options.prefer ?? "confidential");
  return {
    discovery,
    resourceUrl: `${discovery.issuer}/api/v1/me`,
    signedIn: owned !== null,
    apps,
    app,
    client,
    clientId: client.id,
    redirectUri: client.redirectUris[0] ?? PLACEHOLDER_REDIRECT_URI,
  };
}
