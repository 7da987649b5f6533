// GET /api/v1/me, the example protected resource: what a resource server does with
// Latchkey's access tokens (RFC 6750), and its RFC 9728 metadata.
import { env } from "../env";
import { json, publicJson, type OAuthRequest, type OAuthResponse } from "../oauth/http";
import { protectedResourceMetadata, protectedResourceMetadataUrl } from "../resource-server/metadata";
import { oauth, oauthStore } from "./provider";

const SCOPE = "account:read";
const NAME = "Latchkey example API";

/** Its identifier (RFC 8707 `resource`), registered as an API at start-up. */
export function exampleApiIdentifier(): string {
  return new URL(`${env().issuer}/api/v1`).href;
}

/** `<issuer>/.well-known/oauth-protected-resource/api/v1` (RFC 9728 §3.1). */
export function exampleApiMetadataUrl(): string {
  return protectedResourceMetadataUrl(exampleApiIdentifier());
}

export async function serveExampleApi(req: OAuthRequest): Promise<OAuthResponse> {
  const identifier = exampleApiIdentifier();
  const result = await oauth().verifyBearer(req.headers.get("authorization"), [SCOPE], {
    // Tokens requested without a resource indicator carry the default audience.
    audiences: [...new Set([identifier, env().defaultAudience])],
    resourceMetadata: exampleApiMetadataUrl(),
  });
  if (!result.ok) return result.response;
  const { token } = result;
  const user = token.sub !== token.client_id ? await oauthStore().getUserClaims(token.sub) : null;
  return json(200, {
    sub: token.sub,
    client_id: token.client_id,
    scope: token.scope,
    account: user ? { id: user.sub, email: user.email, name: user.name ?? null } : null,
  });
}

export async function serveExampleApiMetadata(): Promise<OAuthResponse> {
  const identifier = exampleApiIdentifier();
  const api = await oauthStore().getApi(identifier);
  return publicJson(
    protectedResourceMetadata({
      resource: identifier,
      authorizationServers: [env().issuer],
      scopesSupported: api?.scopes.length ? api.scopes : [SCOPE],
      resourceName: api?.name ?? NAME,
      resourceDocumentation: `${env().issuer}/docs`,
    }),
  );
}
