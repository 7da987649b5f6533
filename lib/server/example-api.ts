// GET /api/v1/me, the example protected resource: what a resource server does with
// Latchkey's access tokens (RFC 6750).
import { json, type OAuthRequest, type OAuthResponse } from "../oauth/http";
import { oauth, oauthStore } from "./provider";

export async function serveExampleApi(req: OAuthRequest): Promise<OAuthResponse> {
  const result = await oauth().verifyBearer(req.headers.get("authorization"), ["account:read"]);
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
