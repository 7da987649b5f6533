import { hash } from "node:crypto";
import { nowSeconds, type OAuthContext } from "./context";
import { InvalidGrant } from "./errors";
import { signCompactJws } from "./jws";
import type { JwsAlg, UserClaims } from "./store";

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
}

/** OIDC Core §15.1 and Discovery §3: RS256 is what every relying party accepts by default. */
export const DEFAULT_ID_TOKEN_ALG: JwsAlg = "RS256";

/** at_hash: left half of the SHA-256 of the access token (OIDC Core §3.1.3.6). */
export function accessTokenHash(accessToken: string): string {
  return Buffer.from(hash("sha256", accessToken, "hex").slice(0, 32), "hex").toString("base64url");
}

/** The user claims the granted scopes release (OIDC Core §5.4). */
export function claimsForScopes(user: UserClaims, scope: readonly string[]): Record<string, unknown> {
  const claims: Record<string, unknown> = { sub: user.sub };
  if (scope.includes("profile")) {
    if (user.name !== undefined) claims.name = user.name;
    if (user.updated_at !== undefined) claims.updated_at = user.updated_at;
  }
  if (scope.includes("email")) {
    if (user.email !== undefined) claims.email = user.email;
    if (user.email_verified !== undefined) claims.email_verified = user.email_verified;
  }
  return claims;
}

export async function signIdToken(ctx: OAuthContext, input: IdTokenInput): Promise<string> {
  const [key, user] = await Promise.all([
    ctx.keys.getSigningKey(input.alg ?? DEFAULT_ID_TOKEN_ALG),
    input.user === undefined ? ctx.store.getUserClaims(input.userId) : input.user,
  ]);
  if (user === null) throw new InvalidGrant("The user no longer exists", { debug: `user ${input.userId}` });
  const iat = nowSeconds(ctx);
  const claims: Record<string, unknown> = {
    ...claimsForScopes(user, input.scope),
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
  return signCompactJws(key, "JWT", JSON.stringify(claims));
}
