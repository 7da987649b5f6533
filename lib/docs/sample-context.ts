import "server-only";
import { currentUser } from "../auth/session";
import { listAppsForMember } from "../data/app-members";
import { getDiscovery } from "./discovery";
import { buildSampleContext, type SampleApp, type SampleContext } from "./sample-app";

export { PLACEHOLDER_CLIENT_ID, type SampleApp, type SampleContext } from "./sample-app";

/**
 * What code samples fill in: the live endpoints and, when signed in, one of the active apps
 * whose team the reader is on (`?app=` picks which; otherwise the first of the preferred client type).
 */
export async function getSampleContext(options: { appId?: string; prefer?: SampleApp["type"] } = {}): Promise<SampleContext> {
  const [discovery, user] = await Promise.all([getDiscovery(), currentUser()]);
  const apps = user ? (await listAppsForMember(user.id)).map((m) => m.app) : null;
  return buildSampleContext(discovery, apps, options);
}
