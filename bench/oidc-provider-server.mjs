// node-oidc-provider configured as close to Latchkey as it allows, for `npm run bench`:
// ES256 JWT access tokens (resource indicators), client_secret_basic, introspection,
// refresh token rotation. Storage is oidc-provider's own in-memory adapter
// (MemoryAdapter) over its own LRU, sized so the pre-issued pools are not evicted
// (its default holds 1000 entries). Codes and refresh tokens are pre-issued through
// the provider's models, as its interaction flow would save them.
import { writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { createHash, randomBytes } from "node:crypto";
import { exportJWK, generateKeyPair } from "jose";
import Provider from "oidc-provider";
import MemoryAdapter from "oidc-provider/lib/adapters/memory_adapter.js";
import LRU from "oidc-provider/lib/helpers/lru.js";
import { installProfileToggle } from "./profile-toggle.mjs";

const port = Number(process.env.PORT);
const issuer = `http://localhost:${port}`;
const resource = `${issuer}/api`;
const poolSize = Number(process.env.BENCH_POOL ?? 1000);
const clientId = "bench-client";
const clientSecret = "bench-secret-" + randomBytes(24).toString("base64url");
const redirectUri = "http://localhost/callback";
const accountId = "user-1";

const { privateKey } = await generateKeyPair("ES256", { extractable: true });
const jwk = { ...(await exportJWK(privateKey)), alg: "ES256", use: "sig", kid: "bench-es256" };
const store = new LRU({ maxSize: 10_000_000 });

const provider = new Provider(issuer, {
  adapter: (name) => new MemoryAdapter(name, store),
  clients: [
    {
      client_id: clientId,
      client_secret: clientSecret,
      grant_types: ["authorization_code", "refresh_token", "client_credentials"],
      response_types: ["code"],
      redirect_uris: [redirectUri],
      token_endpoint_auth_method: "client_secret_basic",
      introspection_endpoint_auth_method: "client_secret_basic",
      id_token_signed_response_alg: "ES256",
      scope: "openid profile email offline_access account:read notes:read notes:write",
    },
  ],
  jwks: { keys: [jwk] },
  cookies: { keys: [randomBytes(32).toString("base64url")] },
  scopes: ["openid", "offline_access", "profile", "email", "account:read", "notes:read", "notes:write"],
  claims: { openid: ["sub"], profile: ["name", "updated_at"], email: ["email", "email_verified"] },
  findAccount: (_ctx, sub) => ({
    accountId: sub,
    claims: () => ({ sub, name: "Uma User", email: "user@latchkey.local", email_verified: true, updated_at: 1 }),
  }),
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    introspection: { enabled: true, allowedPolicy: () => true },
    revocation: { enabled: true },
    userinfo: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => resource,
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({
        scope: "account:read notes:read notes:write",
        audience: resource,
        accessTokenTTL: 3600,
        accessTokenFormat: "jwt",
        jwt: { sign: { alg: "ES256" } },
      }),
    },
  },
  rotateRefreshToken: true,
  ttl: { AccessToken: 3600, ClientCredentials: 3600, AuthorizationCode: 3600, IdToken: 3600, RefreshToken: 30 * 24 * 3600, Grant: 30 * 24 * 3600 },
  routes: { token: "/token", introspection: "/token/introspection", jwks: "/jwks", userinfo: "/me" },
});
provider.on("server_error", (_ctx, err) => console.error("[oidc-provider] server_error", err));

const client = await provider.Client.find(clientId);
const scope = "openid profile email offline_access notes:read";
const verifier = randomBytes(32).toString("base64url");
const challenge = createHash("sha256").update(verifier).digest("base64url");

async function newGrant() {
  const grant = new provider.Grant({ accountId, clientId });
  grant.addOIDCScope("openid profile email offline_access");
  grant.addOIDCClaims(["sub", "name", "updated_at", "email", "email_verified"]);
  grant.addResourceScope(resource, "notes:read");
  return grant.save();
}

const now = Math.floor(Date.now() / 1000);
const codes = [];
const refreshTokens = [];
for (let i = 0; i < poolSize; i++) {
  const grantId = await newGrant();
  codes.push(
    await new provider.AuthorizationCode({
      accountId, client, grantId, redirectUri, scope, resource, authTime: now,
      codeChallenge: challenge, codeChallengeMethod: "S256",
    }).save(),
  );
  const refreshGrantId = await newGrant();
  refreshTokens.push(
    await new provider.RefreshToken({
      accountId, client, grantId: refreshGrantId, scope, resource, authTime: now, gty: "authorization_code", rotations: 0, iiat: now,
    }).save(),
  );
}
// Introspection: opaque client_credentials tokens (oidc-provider only introspects
// tokens it stored; its JWT access tokens are not looked up). Userinfo only takes access
// tokens issued for it (opaque, no resource server). Distinct tokens, as for Latchkey.
const firstSeen = Number(process.env.BENCH_FIRST_SEEN ?? 100);
const introspectTokens = [];
const userinfoTokens = [];
const userinfoGrant = await newGrant();
for (let i = 0; i < firstSeen; i++) {
  introspectTokens.push(await new provider.ClientCredentials({ client, scope: "notes:read" }).save());
  userinfoTokens.push(
    await new provider.AccessToken({ accountId, client, grantId: userinfoGrant, scope: "openid profile email", claims: { userinfo: {} } }).save(),
  );
}

writeFileSync(
  process.env.BENCH_POOL_FILE,
  JSON.stringify({ clientId, clientSecret, redirectUri, verifier, codes, refreshTokens, introspectTokens, userinfoTokens }),
);
const callback = provider.callback();
createServer(callback).listen(port, () => {
  installProfileToggle("oidc-provider");
  console.log("ready");
});
