import { verifyAccessTokenSignature } from "./access-token";
import { authenticateClient, CLIENT_AUTH_PARAMS } from "./client-auth";
import type { OAuthContext } from "./context";
import { InvalidRequest, toOAuthError } from "./errors";
import { emptyResponse, errorResponse, methodNotAllowed, pickParams, requireForm, type OAuthRequest, type OAuthResponse } from "./http";
import type { ClientRecord } from "./store";
import { hashToken, REFRESH_TOKEN_PREFIX } from "./tokens";

const NAMES = ["token", "token_type_hint", ...CLIENT_AUTH_PARAMS];

/** RFC 7009. Tokens that are unknown or belong to another client are answered 200 too (§2.2). */
export async function handleRevocationRequest(ctx: OAuthContext, req: OAuthRequest): Promise<OAuthResponse> {
  if (req.method !== "POST") return methodNotAllowed(["POST"]);
  try {
    const params = pickParams(requireForm(req), NAMES);
    const { client } = await authenticateClient(ctx, req, params);
    const token = params.token;
    if (token === undefined) throw new InvalidRequest("token is required");
    const tryRefreshFirst = params.token_type_hint !== "access_token";
    const order = tryRefreshFirst ? [revokeRefreshToken, revokeAccessToken] : [revokeAccessToken, revokeRefreshToken];
    for (const revoke of order) {
      if (await revoke(ctx, client, token)) break;
    }
    return emptyResponse(200);
  } catch (err) {
    const error = toOAuthError(err);
    ctx.log?.(error);
    return errorResponse(error);
  }
}

/** True when the token was a refresh token (ours or not), so the search can stop. */
async function revokeRefreshToken(ctx: OAuthContext, client: ClientRecord, token: string): Promise<boolean> {
  if (!token.startsWith(REFRESH_TOKEN_PREFIX)) return false;
  const record = await ctx.store.findRefreshToken(hashToken(token));
  if (record === null) return false;
  if (record.clientId === client.id) await ctx.store.revokeTokenFamily(record.familyId, ctx.now());
  return true;
}

async function revokeAccessToken(ctx: OAuthContext, client: ClientRecord, token: string): Promise<boolean> {
  const claims = await verifyAccessTokenSignature(ctx, token);
  if (claims === null) return false;
  if (claims.client_id === client.id) {
    await ctx.store.revokeAccessToken(claims.jti, new Date(claims.exp * 1000), ctx.now());
  }
  return true;
}
