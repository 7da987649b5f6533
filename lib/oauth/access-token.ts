import { hash } from "node:crypto";
import { compactVerify, type CompactJWSHeaderParameters } from "jose";
import { nowSeconds, type OAuthContext } from "./context";
import { signCompactJws } from "./jws";
import { accessTokenTtlFor, audienceFor } from "./resource";
import { formatScope } from "./scopes";
import { JWS_ALGS, type ApiRecord, type UserClaims } from "./store";
import { newTokenId } from "./tokens";

/** RFC 9068 claims, plus `fid` (token family), `gid` (user grant) and the claims requested for userinfo. */
export interface AccessTokenClaims {
  iss: string;
  sub: string;
  /** The requested resources (RFC 8707), or the default audience. */
  aud: string | string[];
  client_id: string;
  scope: string;
  jti: string;
  exp: number;
  iat: number;
  auth_time?: number;
  fid?: string;
  gid?: string;
  /** OIDC Core §5.5: claims the `claims` parameter asked userinfo for, beyond those of the scope. */
  userinfo_claims?: string[];
}

export interface AccessTokenInput {
  clientId: string;
  /** Null for client_credentials: the client is the subject. */
  userId: string | null;
  scope: readonly string[];
  authTime?: Date | null;
  familyId?: string | null;
  grantId?: string | null;
  /** RFC 8707: the APIs the token is for (its `aud`); none: the default audience. */
  resources?: readonly ApiRecord[];
  userinfoClaims?: readonly string[];
}

export const ACCESS_TOKEN_TYP = "at+jwt";

export async function signAccessToken(
  ctx: OAuthContext,
  input: AccessTokenInput,
): Promise<{ token: string; claims: AccessTokenClaims; expiresIn: number }> {
  const key = await ctx.keys.getSigningKey(ctx.config.accessTokenAlg);
  const iat = nowSeconds(ctx);
  const resources = input.resources ?? [];
  const expiresIn = accessTokenTtlFor(ctx, resources);
  const claims: AccessTokenClaims = {
    iss: ctx.config.issuer,
    sub: input.userId ?? input.clientId,
    aud: audienceFor(ctx, resources),
    client_id: input.clientId,
    scope: formatScope(input.scope),
    jti: newTokenId(),
    exp: iat + expiresIn,
    iat,
  };
  if (input.userId !== null && input.authTime) claims.auth_time = Math.floor(input.authTime.getTime() / 1000);
  if (input.familyId) claims.fid = input.familyId;
  if (input.grantId) claims.gid = input.grantId;
  if (input.userinfoClaims !== undefined && input.userinfoClaims.length > 0) claims.userinfo_claims = [...input.userinfoClaims];
  const token = signCompactJws(key, ACCESS_TOKEN_TYP, JSON.stringify(claims));
  return { token, claims, expiresIn };
}

const decoder = new TextDecoder();

function isClaims(value: unknown): value is AccessTokenClaims {
  if (typeof value !== "object" || value === null) return false;
  const c = value as Record<string, unknown>;
  return (
    typeof c.iss === "string" &&
    typeof c.sub === "string" &&
    (typeof c.aud === "string" || (Array.isArray(c.aud) && c.aud.every((a) => typeof a === "string"))) &&
    typeof c.client_id === "string" &&
    typeof c.scope === "string" &&
    typeof c.jti === "string" &&
    typeof c.exp === "number" &&
    typeof c.iat === "number" &&
    (c.fid === undefined || typeof c.fid === "string") &&
    (c.gid === undefined || typeof c.gid === "string") &&
    (c.userinfo_claims === undefined || (Array.isArray(c.userinfo_claims) && c.userinfo_claims.every((n) => typeof n === "string"))) &&
    (c.auth_time === undefined || typeof c.auth_time === "number")
  );
}

/**
 * Signatures already checked, per provider: SHA-256 of the token -> its claims and key id.
 * An ES256 verification costs ~150 µs of CPU (RS256 less) and a resource server introspects the same
 * token on every call it serves. Only the signature result is kept, a pure function of
 * token and key: it counts only while that key is still published, and expiry,
 * revocation and the client's status are checked on every call (checkAccessToken).
 */
const verifiedByContext = new WeakMap<OAuthContext, Map<string, { claims: AccessTokenClaims; kid: string }>>();
const VERIFIED_MAX = 4096;

function verifiedTokens(ctx: OAuthContext) {
  let verified = verifiedByContext.get(ctx);
  if (verified === undefined) {
    verified = new Map();
    verifiedByContext.set(ctx, verified);
  }
  return verified;
}

/** Claims of an access token this server signed, or null. Expiry is not checked. */
export async function verifyAccessTokenSignature(
  ctx: OAuthContext,
  token: string,
): Promise<AccessTokenClaims | null> {
  if (token.split(".").length !== 3) return null;
  const verified = verifiedTokens(ctx);
  const cacheKey = hash("sha256", token, "base64url");
  const hit = verified.get(cacheKey);
  if (hit !== undefined) {
    if ((await ctx.keys.getVerificationKey(hit.kid)) === null) {
      verified.delete(cacheKey); // its key was retired: the signature no longer counts
      return null;
    }
    if (hit.claims.exp <= nowSeconds(ctx)) verified.delete(cacheKey);
    return hit.claims;
  }
  try {
    const { payload, protectedHeader } = await compactVerify(
      token,
      async (header: CompactJWSHeaderParameters) => {
        const key = header.kid === undefined ? null : await ctx.keys.getVerificationKey(header.kid);
        if (key === null) throw new Error("unknown kid");
        // The key decides the algorithm, never the header alone.
        if (header.alg !== key.alg) throw new Error("algorithm does not match the key");
        return key.publicKey;
      },
      { algorithms: [...JWS_ALGS] },
    );
    if (protectedHeader.typ !== ACCESS_TOKEN_TYP) return null;
    const claims: unknown = JSON.parse(decoder.decode(payload));
    if (!isClaims(claims)) return null;
    // Any audience: introspection answers for every token; resource servers check `aud`.
    if (claims.iss !== ctx.config.issuer) return null;
    if (verified.size >= VERIFIED_MAX) verified.delete(verified.keys().next().value!);
    verified.set(cacheKey, { claims: Object.freeze(claims), kid: protectedHeader.kid! });
    return claims;
  } catch {
    return null;
  }
}

export type AccessTokenCheck =
  | { active: true; claims: AccessTokenClaims; /** With `withUser`, for tokens issued to a user. */ user?: UserClaims | null }
  | { active: false; reason: string };

/**
 * The one liveness check for access tokens, shared by introspection and the bearer
 * verifier: signature, expiry, revocation of the token, its family and its grant,
 * and the status of its client.
 */
export async function checkAccessToken(ctx: OAuthContext, token: string, withUser = false): Promise<AccessTokenCheck> {
  const claims = await verifyAccessTokenSignature(ctx, token);
  if (claims === null) return { active: false, reason: "The access token is invalid" };
  if (nowSeconds(ctx) >= claims.exp) return { active: false, reason: "The access token expired" };
  const { store } = ctx;
  const familyId = claims.fid ?? null;
  const grantId = claims.gid ?? null;
  // With `withUser` (userinfo), a user's token is checked and its user read in one statement.
  const userRead = withUser && claims.auth_time !== undefined;
  const [liveness, client] = await Promise.all([
    userRead
      ? store.readAccessTokenUser(claims.jti, familyId, grantId, claims.sub)
      : store.isAccessTokenRevokedAnywhere(claims.jti, familyId, grantId).then((revoked) => ({ revoked, user: undefined })),
    // A metadata-document client whose document cannot be fetched again counts as inactive.
    store.getClient(claims.client_id).catch(() => null),
  ]);
  if (liveness.revoked) return { active: false, reason: "The access token was revoked" };
  if (client === null || client.status !== "active") {
    return { active: false, reason: "The client is not active" };
  }
  if (client.tokensEndedAt && claims.iat <= Math.floor(client.tokensEndedAt.getTime() / 1000)) {
    return { active: false, reason: "The access token was issued before the client was suspended" };
  }
  return liveness.user === undefined ? { active: true, claims } : { active: true, claims, user: liveness.user };
}
