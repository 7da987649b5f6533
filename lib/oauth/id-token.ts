import { hash } from "node:crypto";
import { nowSeconds, type OAuthContext } from "./context";
import { InvalidGrant } from "./errors";
import { signCompactJws } from "./jws";
import { idTokenUserClaims } from "./claims";
import type { AuthenticationContext, JwsAlg, UserClaims } from "./store";

export interface IdTokenInput {
  clientId: string;
  userId: string;
  authTime: Date | null;
  nonce: string | null;
  scope: readonly string[];
  /** The access token issued alongside, for at_hash. */
  accessToken: string;
  /** The user's claims when the caller already read them. */
  user?: UserClaims | null;
  /** The client's `id_token_signed_response_alg`; absent: RS256. */
  alg?: JwsAlg;
  /** The authorization's OP session, acr, amr and §5.5 claims request. */
  context?: AuthenticationContext;
}

/** OIDC Core §15.1 and Discovery §3: RS256 is what every relying party accepts by default. */
export const DEFAULT_ID_TOKEN_ALG: JwsAlg = "RS256";

/** at_hash: left half of the SHA-256 of the access token (OIDC Core §3.1.3.6). */
export function accessTokenHash(accessToken: string): string {
  return hash("sha256", accessToken, "buffer").subarray(0, 16).toString("base64url");
}

export async function signIdToken(ctx: OAuthContext, input: IdTokenInput): Promise<string> {
  const [key, user] = await Promise.all([
    ctx.keys.getSigningKey(input.alg ?? DEFAULT_ID_TOKEN_ALG),
    input.user === undefined ? ctx.store.getUserClaims(input.userId) : input.user,
  ]);
  if (user === null) throw new InvalidGrant("The user no longer exists", { debug: `user ${input.userId}` });
  const iat = nowSeconds(ctx);
  const claims: Record<string, unknown> = {
    // Tokens from the token endpoint always come with an access token (§5.4).
    ...idTokenUserClaims(user, { scope: input.scope, accessTokenIssued: true, context: input.context }),
    iss: ctx.config.issuer,
    sub: input.userId,
    aud: input.clientId,
    azp: input.clientId,
    exp: iat + ctx.config.idTokenTtl,
    iat,
    at_hash: accessTokenHash(input.accessToken),
  };
  if (input.authTime !== null) claims.auth_time = Math.floor(input.authTime.getTime() / 1000);
  if (input.nonce !== null) claims.nonce = input.nonce;
  // Back-Channel Logout 1.0 §2.4 and Front-Channel Logout 1.0 §3: the OP session.
  if (input.context?.sessionId) claims.sid = input.context.sessionId;
  return signCompactJws(key, "JWT", JSON.stringify(claims));
}
