// The logout token of OpenID Connect Back-Channel Logout 1.0 §2.4.
import { nowSeconds, type OAuthContext } from "./context";
import { DEFAULT_ID_TOKEN_ALG } from "./id-token";
import { signCompactJws } from "./jws";
import { isJwsAlg } from "./store";
import { newTokenId } from "./tokens";

export const LOGOUT_TOKEN_TYP = "logout+jwt";
export const BACKCHANNEL_LOGOUT_EVENT = "http://schemas.openid.net/event/backchannel-logout";
/** Seconds: long enough for a slow receiver, short enough that a captured token is soon useless. */
export const LOGOUT_TOKEN_TTL = 120;

export interface LogoutTokenInput {
  clientId: string;
  userId: string;
  /** The OP session (`sid`); null for sessions from before sids existed. */
  sessionId: string | null;
  /** The app's ID token algorithm; anything else (or empty): RS256. */
  alg?: string;
}

export interface LogoutTokenClaims {
  iss: string;
  aud: string;
  iat: number;
  exp: number;
  jti: string;
  sub: string;
  sid?: string;
  events: Record<typeof BACKCHANNEL_LOGOUT_EVENT, Record<string, never>>;
}

/** Signed like the app's ID tokens; never carries a nonce (§2.4). */
export async function signLogoutToken(ctx: OAuthContext, input: LogoutTokenInput): Promise<{ token: string; claims: LogoutTokenClaims }> {
  const key = await ctx.keys.getSigningKey(isJwsAlg(input.alg) ? input.alg : DEFAULT_ID_TOKEN_ALG);
  const iat = nowSeconds(ctx);
  const claims: LogoutTokenClaims = {
    iss: ctx.config.issuer,
    aud: input.clientId,
    iat,
    exp: iat + LOGOUT_TOKEN_TTL,
    jti: newTokenId(),
    sub: input.userId,
    events: { [BACKCHANNEL_LOGOUT_EVENT]: {} },
  };
  if (input.sessionId !== null) claims.sid = input.sessionId;
  return { token: signCompactJws(key, LOGOUT_TOKEN_TYP, JSON.stringify(claims)), claims };
}
