import { verifyAccessTokenSignature } from "./access-token";
import { authenticateClient, CLIENT_AUTH_PARAMS } from "./client-auth";
import type { OAuthContext } from "./context";
import { InvalidRequest, toOAuthError, UnauthorizedClient } from "./errors";
import { errorResponse, json, methodNotAllowed, pickParams, requireForm, type OAuthRequest, type OAuthResponse } from "./http";
import type { ClientRecord } from "./store";
import { hashToken, REFRESH_TOKEN_PREFIX } from "./tokens";

const NAMES = ["token", "token_type_hint", ...CLIENT_AUTH_PARAMS];

/**
 * RFC 7009. Unknown tokens are answered 200 (§2.2); a token issued to another client is
 * refused and left alone (§2.1). The 200 carries `{}`: the body is ignored by the RFC, and
 * clients that parse every answer as JSON (simple-oauth2) need one.
 */
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
      const found = await revoke(ctx, client, token);
      if (found === "another client") throw new UnauthorizedClient("The token was issued to another client");
      if (found === "revoked") break;
    }
    return json(200, {});
  } catch (err) {
    const error = toOAuthError(err);
    ctx.log?.(error);
    return errorResponse(error);
  }
}

type Found = "revoked" | "another client" | "not this kind";

async function revokeRefreshToken(ctx: OAuthContext, client: ClientRecord, token: string): Promise<Found> {
  if (!token.startsWith(REFRESH_TOKEN_PREFIX)) return "not this kind";
  const record = await ctx.store.findRefreshToken(hashToken(token));
  if (record === null) return "not this kind";
  if (record.clientId !== client.id) return "another client";
  await ctx.store.revokeTokenFamily(record.familyId, ctx.now());
  return "revoked";
}

async function revokeAccessToken(ctx: OAuthContext, client: ClientRecord, token: string): Promise<Found> {
  const claims = await verifyAccessTokenSignature(ctx, token);
  if (claims === null) return "not this kind";
  if (claims.client_id !== client.id) return "another client";
  await ctx.store.revokeAccessToken(claims.jti, new Date(claims.exp * 1000), ctx.now());
  return "revoked";
}
