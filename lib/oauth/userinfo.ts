import { verifyBearer, invalidTokenResponse } from "./bearer";
import type { OAuthContext } from "./context";
import { toOAuthError } from "./errors";
import { errorResponse, json, methodNotAllowed, type OAuthRequest, type OAuthResponse } from "./http";
import { claimsForScopes } from "./id-token";

/** OIDC Core §5.3: the claims the token's scopes release, for tokens issued to a user. */
export async function handleUserinfoRequest(ctx: OAuthContext, req: OAuthRequest): Promise<OAuthResponse> {
  if (req.method !== "GET" && req.method !== "POST") return methodNotAllowed(["GET", "POST"]);
  try {
    // Tokens for the server's own audience only: one requested for another API (RFC 8707) is not for userinfo.
    const result = await verifyBearer(ctx, req.headers.get("authorization"), ["openid"], {
      audiences: [ctx.config.audience, ctx.config.issuer],
    });
    if (!result.ok) return result.response;
    const { token } = result;
    const realm = `Bearer realm="${ctx.config.issuer}"`;
    if (token.auth_time === undefined) {
      return invalidTokenResponse(realm, "The access token was not issued to a user");
    }
    const user = await ctx.store.getUserClaims(token.sub);
    if (user === null) return invalidTokenResponse(realm, "The user no longer exists");
    return json(200, claimsForScopes(user, token.scope.split(" ")));
  } catch (err) {
    const error = toOAuthError(err);
    ctx.log?.(error);
    return errorResponse(error);
  }
}
