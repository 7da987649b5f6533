// The process-wide OAuth provider: the protocol core wired to Prisma and the key store.
import { createProvider, DEFAULT_PATHS } from "../oauth/provider";
import { createOAuthStore } from "../data/oauth-store";
import { withMetadataDocumentClients } from "../data/metadata-document-clients";
import { createDatabaseKeyProvider } from "../data/signing-keys";
import { listScopes } from "../data/scopes";
import { legacyGrantsInUse } from "../data/clients";
import { serverSettings } from "../data/settings";
import { onInvalidate } from "../data/cache-bus";
import { TtlCache } from "../data/ttl-cache";
import { env } from "../env";
import { InvalidGrant } from "../oauth/errors";
import { isTooManyAttemptsMessage } from "../auth/too-many-attempts";
import { verifySignIn } from "./sign-in-attempts";

export const OAUTH_PATHS = { ...DEFAULT_PATHS, registration: "/oauth/register", serviceDocumentation: "/docs" } as const;

function build() {
  const e = env();
  const scopeNames = new TtlCache<string[]>(5_000);
  const legacyGrants = new TtlCache<{ implicit: boolean; password: boolean }>(5_000);
  onInvalidate("clients", () => legacyGrants.clear());
  onInvalidate("scopes", () => scopeNames.clear());
  const store = withMetadataDocumentClients(createOAuthStore());
  const provider = createProvider({
    store,
    keys: createDatabaseKeyProvider(),
    now: () => new Date(),
    scopesSupported: () => scopeNames.get("all", async () => (await listScopes()).map((s) => s.name)),
    features: async () => {
      const [settings, legacy] = await Promise.all([serverSettings(), legacyGrants.get("all", legacyGrantsInUse)]);
      return {
        registration: settings.registration !== "off",
        clientIdMetadataDocuments: settings.metadataDocuments !== "off",
        ...legacy,
      };
    },
    config: {
      issuer: e.issuer,
      audience: e.defaultAudience,
      defaultScopes: e.defaultScopes,
      profile: e.profile,
      accessTokenTtl: e.accessTokenTtl,
      idTokenTtl: e.idTokenTtl,
      refreshTokenTtl: e.refreshTokenTtl,
      authorizationCodeTtl: e.authorizationCodeTtl,
      accessTokenAlg: e.accessTokenAlg,
      paths: OAUTH_PATHS,
    },
    // The password grant shares the sign-in form's per-account lockout, failure counts and audit
    // entries. Its caller is the app's backend, not the user: the per-address count is kept per
    // app and address, so one app's traffic never locks the portal (or another app) out.
    signInWithPassword: async (username, password, { clientId, clientIp }) => {
      try {
        const user = await verifySignIn(username, password, `password-grant:${clientId}:${clientIp ?? "unknown"}`);
        return user !== null && user.role !== "blocked" ? user.id : null;
      } catch (err) {
        if (err instanceof Error && isTooManyAttemptsMessage(err.message)) throw new InvalidGrant(err.message);
        throw err;
      }
    },
    log: (err) => {
      if (err.status >= 500) console.error("[latchkey]", err.error, err.debug ?? err.description);
    },
  });
  return { provider, store };
}

const globalForProvider = globalThis as unknown as { latchkeyProvider?: ReturnType<typeof build> };

export function oauth() {
  globalForProvider.latchkeyProvider ??= build();
  return globalForProvider.latchkeyProvider.provider;
}

export function oauthStore() {
  globalForProvider.latchkeyProvider ??= build();
  return globalForProvider.latchkeyProvider.store;
}
