import { verifyBearer, invalidTokenResponse } from "./bearer";
import type { OAuthContext } from "./context";
import { InvalidRequest, toOAuthError } from "./errors";
import { errorResponse, json, methodNotAllowed, type OAuthRequest, type OAuthResponse } from "./http";
import { userinfoClaims } from "./claims";

/**
 * The bearer token of a userinfo request: the Authorization header, or RFC 6750 §2.2's
 * `access_token` in a form body (OIDC Core §5.3.1). Both at once is invalid_request (RFC 6750 §2).
 */
function bearerCredentials(req: OAuthRequest): string | null {
  const header = req.headers.get("authorization");
  const inBody = req.method === "POST" && req.body !== null ? req.body.getAll("access_token") : [];
  if (inBody.length === 0) return header;
  if (header !== null || inBody.length > 1) {
    throw new InvalidRequest("Send the access token in exactly one place");
  }
  return `Bearer ${inBody[0]}`;
}

/** OIDC Core §5.3: the claims the token's scopes and claims request release, for tokens issued to a user. */
export async function handleUserinfoRequest(ctx: OAuthContext, req: OAuthRequest): Promise<OAuthResponse> {
  if (req.method !== "GET" && req.method !== "POST") return methodNotAllowed(["GET", "POST"]);
  try {
    // Tokens for the server's own audience only: one requested for another API (RFC 8707) is not for userinfo.
    const result = await verifyBearer(ctx, bearerCredentials(req), ["openid"], {
      audiences: [ctx.config.audience, ctx.config.issuer],
      withUser: true,
    });
    if (!result.ok) return result.response;
    const { token, user } = result;
    const realm = `Bearer realm="${ctx.config.issuer}"`;
    // A token issued to a user (auth_time) comes with its user's claims, null once deleted.
    if (user === undefined) return invalidTokenResponse(realm, "The access token was not issued to a user");
    if (user === null) return invalidTokenResponse(realm, "The user no longer exists");
    return json(200, userinfoClaims(user, token.scope.split(" "), token.userinfo_claims));
  } catch (err) {
    const error = toOAuthError(err);
    ctx.log?.(error);
    // RFC 6750 §3: a failed request to a protected resource answers with the Bearer challenge.
    if (error.error === "invalid_request" && error.wwwAuthenticate === undefined) {
      return errorResponse(error, { "WWW-Authenticate": `Bearer realm="${ctx.config.issuer}", error="invalid_request", error_description="${error.description}"` });
    }
    return errorResponse(error);
  }
}
