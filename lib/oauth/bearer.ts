import { checkAccessToken, type AccessTokenClaims } from "./access-token";
import type { OAuthContext } from "./context";
import { emptyResponse, json, type OAuthResponse } from "./http";
import { missingScopes } from "./scopes";

export type BearerResult = { ok: true; token: AccessTokenClaims } | { ok: false; response: OAuthResponse };

// RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/** Resource-server check of `Authorization: Bearer` (RFC 6750 §2.1, §3). */
export async function verifyBearer(
  ctx: OAuthContext,
  authorization: string | null,
  requiredScopes: readonly string[],
): Promise<BearerResult> {
  const realm = `Bearer realm="${ctx.config.issuer}"`;
  const space = authorization === null ? -1 : authorization.indexOf(" ");
  if (authorization === null || space === -1 || authorization.slice(0, space).toLowerCase() !== "bearer") {
    // RFC 6750 §3.1: no error code when the request carried no bearer credentials.
    const response = emptyResponse(401);
    response.headers["WWW-Authenticate"] = realm;
    return { ok: false, response };
  }
  const token = authorization.slice(space + 1).trim();
  if (!B64TOKEN.test(token)) return { ok: false, response: invalidTokenResponse(ctx, "The access token is malformed") };

  const check = await checkAccessToken(ctx, token);
  if (!check.active) return { ok: false, response: invalidTokenResponse(ctx, check.reason) };

  const granted = check.claims.scope.split(" ");
  const missing = missingScopes(requiredScopes, granted);
  if (missing.length > 0) {
    const scope = requiredScopes.join(" ");
    const description = "The access token lacks a required scope";
    return {
      ok: false,
      response: json(
        403,
        { error: "insufficient_scope", error_description: description, scope },
        {
          "WWW-Authenticate": `${realm}, error="insufficient_scope", error_description="${description}", scope="${scope}"`,
        },
      ),
    };
  }
  return { ok: true, token: check.claims };
}

/** RFC 6750 §3.1 invalid_token. The description must not contain quotes. */
export function invalidTokenResponse(ctx: OAuthContext, description: string): OAuthResponse {
  return json(
    401,
    { error: "invalid_token", error_description: description },
    {
      "WWW-Authenticate": `Bearer realm="${ctx.config.issuer}", error="invalid_token", error_description="${description}"`,
    },
  );
}
