import { CompactSign, compactVerify, type CompactJWSHeaderParameters } from "jose";
import { nowSeconds, type OAuthContext } from "./context";
import { formatScope } from "./scopes";
import { newTokenId } from "./tokens";

/** RFC 9068 claims, plus `fid` (token family) and `gid` (user grant). */
export interface AccessTokenClaims {
  iss: string;
  sub: string;
  aud: string;
  client_id: string;
  scope: string;
  jti: string;
  exp: number;
  iat: number;
  auth_time?: number;
  fid?: string;
  gid?: string;
}

export interface AccessTokenInput {
  clientId: string;
  /** Null for client_credentials: the client is the subject. */
  userId: string | null;
  scope: readonly string[];
  authTime?: Date | null;
  familyId?: string | null;
  grantId?: string | null;
}

export const ACCESS_TOKEN_TYP = "at+jwt";

const encoder = new TextEncoder();

export async function signAccessToken(
  ctx: OAuthContext,
  input: AccessTokenInput,
): Promise<{ token: string; claims: AccessTokenClaims; expiresIn: number }> {
  const key = await ctx.keys.getSigningKey();
  const iat = nowSeconds(ctx);
  const expiresIn = ctx.config.accessTokenTtl;
  const claims: AccessTokenClaims = {
    iss: ctx.config.issuer,
    sub: input.userId ?? input.clientId,
    aud: ctx.config.audience,
    client_id: input.clientId,
    scope: formatScope(input.scope),
    jti: newTokenId(),
    exp: iat + expiresIn,
    iat,
  };
  if (input.userId !== null && input.authTime) claims.auth_time = Math.floor(input.authTime.getTime() / 1000);
  if (input.familyId) claims.fid = input.familyId;
  if (input.grantId) claims.gid = input.grantId;
  // CompactSign over our own JSON: SignJWT would clone and re-validate claims built just above.
  const token = await new CompactSign(encoder.encode(JSON.stringify(claims)))
    .setProtectedHeader({ alg: key.alg, typ: ACCESS_TOKEN_TYP, kid: key.kid })
    .sign(key.privateKey);
  return { token, claims, expiresIn };
}

const decoder = new TextDecoder();

function isClaims(value: unknown): value is AccessTokenClaims {
  if (typeof value !== "object" || value === null) return false;
  const c = value as Record<string, unknown>;
  return (
    typeof c.iss === "string" &&
    typeof c.sub === "string" &&
    typeof c.aud === "string" &&
    typeof c.client_id === "string" &&
    typeof c.scope === "string" &&
    typeof c.jti === "string" &&
    typeof c.exp === "number" &&
    typeof c.iat === "number" &&
    (c.fid === undefined || typeof c.fid === "string") &&
    (c.gid === undefined || typeof c.gid === "string") &&
    (c.auth_time === undefined || typeof c.auth_time === "number")
  );
}

/** Claims of an access token this server signed, or null. Expiry is not checked. */
export async function verifyAccessTokenSignature(
  ctx: OAuthContext,
  token: string,
): Promise<AccessTokenClaims | null> {
  if (token.split(".").length !== 3) return null;
  try {
    const { payload, protectedHeader } = await compactVerify(
      token,
      async (header: CompactJWSHeaderParameters) => {
        const key = header.kid === undefined ? null : await ctx.keys.getVerificationKey(header.kid);
        if (key === null) throw new Error("unknown kid");
        return key.publicKey;
      },
      { algorithms: ["ES256"] },
    );
    if (protectedHeader.typ !== ACCESS_TOKEN_TYP) return null;
    const claims: unknown = JSON.parse(decoder.decode(payload));
    if (!isClaims(claims)) return null;
    if (claims.iss !== ctx.config.issuer || claims.aud !== ctx.config.audience) return null;
    return claims;
  } catch {
    return null;
  }
}

export type AccessTokenCheck =
  | { active: true; claims: AccessTokenClaims }
  | { active: false; reason: string };

/**
 * The one liveness check for access tokens, shared by introspection and the bearer
 * verifier: signature, expiry, revocation of the token, its family and its grant,
 * and the status of its client.
 */
export async function checkAccessToken(ctx: OAuthContext, token: string): Promise<AccessTokenCheck> {
  const claims = await verifyAccessTokenSignature(ctx, token);
  if (claims === null) return { active: false, reason: "The access token is invalid" };
  if (nowSeconds(ctx) >= claims.exp) return { active: false, reason: "The access token expired" };
  const { store } = ctx;
  const [tokenRevoked, familyRevoked, grantActive, client] = await Promise.all([
    store.isAccessTokenRevoked(claims.jti),
    claims.fid === undefined ? false : store.isTokenFamilyRevoked(claims.fid),
    claims.gid === undefined ? true : store.isGrantActive(claims.gid),
    store.getClient(claims.client_id),
  ]);
  if (tokenRevoked || familyRevoked || !grantActive) {
    return { active: false, reason: "The access token was revoked" };
  }
  if (client === null || client.status !== "active") {
    return { active: false, reason: "The client is not active" };
  }
  return { active: true, claims };
}
