import { checkAccessToken, type AccessTokenClaims } from "./access-token";
import type { OAuthContext } from "./context";
import { emptyResponse, json, type OAuthResponse } from "./http";
import { audienceIncludes } from "./resource";
import { missingScopes } from "./scopes";
import type { UserClaims } from "./store";

export type BearerResult =
  | { ok: true; token: AccessTokenClaims; /** With `withUser`, for tokens issued to a user. */ user?: UserClaims | null }
  | { ok: false; response: OAuthResponse };

// RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

export interface BearerOptions {
  /** Audiences this resource accepts (RFC 8707); default: the server's default audience. */
  audiences?: readonly string[];
  /** RFC 9728 §5.1: the resource's metadata URL, named in every challenge. */
  resourceMetadata?: string;
  /** Also read the claims of the token's user, with the revocation check (userinfo). */
  withUser?: boolean;
}

/** Resource-server check of `Authorization: Bearer` (RFC 6750 §2.1, §3). */
export async function verifyBearer(
  ctx: OAuthContext,
  authorization: string | null,
  requiredScopes: readonly string[],
  options: BearerOptions = {},
): Promise<BearerResult> {
  const realm =
    `Bearer realm="${ctx.config.issuer}"` +
    (options.resourceMetadata === undefined ? "" : `, resource_metadata="${options.resourceMetadata}"`);
  const space = authorization === null ? -1 : authorization.indexOf(" ");
  if (authorization === null || space === -1 || authorization.slice(0, space).toLowerCase() !== "bearer") {
    // RFC 6750 §3.1: no error code when the request carried no bearer credentials.
    const response = emptyResponse(401);
    response.headers["WWW-Authenticate"] = realm;
    return { ok: false, response };
  }
  const token = authorization.slice(space + 1).trim();
  if (!B64TOKEN.test(token)) return { ok: false, response: invalidTokenResponse(realm, "The access token is malformed") };

  const check = await checkAccessToken(ctx, token, options.withUser);
  if (!check.active) return { ok: false, response: invalidTokenResponse(realm, check.reason) };
  const audiences = options.audiences ?? [ctx.config.audience];
  if (!audiences.some((a) => audienceIncludes(check.claims.aud, a))) {
    // RFC 8707 §2 / RFC 9068 §4: a token for another resource is refused here.
    return { ok: false, response: invalidTokenResponse(realm, "The access token is for another resource") };
  }

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
  return check.user === undefined ? { ok: true, token: check.claims } : { ok: true, token: check.claims, user: check.user };
}

/** RFC 6750 §3.1 invalid_token. The description must not contain quotes. */
export function invalidTokenResponse(realm: string, description: string): OAuthResponse {
  return json(
    401,
    { error: "invalid_token", error_description: description },
    { "WWW-Authenticate": `${realm}, error="invalid_token", error_description="${description}"` },
  );
}
