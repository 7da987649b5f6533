import "server-only";
import { currentUser } from "../auth/session";
import { getAppsForOwner } from "../data/clients";
import { getDiscovery, resourceApiUrl, type DiscoveryDocument } from "./discovery";

export const PLACEHOLDER_CLIENT_ID = "YOUR_CLIENT_ID";

export interface SampleApp {
  id: string;
  name: string;
  type: "confidential" | "public";
}

export interface SampleContext {
  discovery: DiscoveryDocument;
  resourceUrl: string;
  signedIn: boolean;
  apps: SampleApp[];
  app: SampleApp | null;
  clientId: string;
  redirectUri: string;
}

/**
 * What code samples fill in: the live endpoints and, when signed in, one of the reader's
 * own apps (`?app=` picks which; otherwise the first of the preferred client type).
 */
export async function getSampleContext(options: { appId?: string; prefer?: SampleApp["type"] } = {}): Promise<SampleContext> {
  const [discovery, user] = await Promise.all([getDiscovery(), currentUser()]);
  const owned = user ? await getAppsForOwner(user.id) : [];
  const apps = owned.map((a) => ({ id: a.id, name: a.name, type: a.type }));
  const app =
    apps.find((a) => a.id === options.appId) ??
    apps.find((a) => a.type === options.prefer) ??
    apps[0] ??
    null;
  const redirect = app ? owned.find((a) => a.id === app.id)?.redirectUris[0] : undefined;
  return {
    discovery,
    resourceUrl: resourceApiUrl(discovery),
    signedIn: user !== null,
    apps,
    app,
    clientId: app?.id ?? PLACEHOLDER_CLIENT_ID,
    redirectUri: redirect ?? "https://example.com/callback",
  };
}
