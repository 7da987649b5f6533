import { checkAccessToken } from "./access-token";
import { authenticateClient, CLIENT_AUTH_PARAMS } from "./client-auth";
import type { OAuthContext } from "./context";
import { InvalidClient, InvalidRequest, toOAuthError } from "./errors";
import { errorResponse, json, methodNotAllowed, pickParams, requireForm, type OAuthRequest, type OAuthResponse } from "./http";
import { formatScope } from "./scopes";
import type { ClientRecord } from "./store";
import { hashToken, REFRESH_TOKEN_PREFIX } from "./tokens";

const NAMES = ["token", "token_type_hint", ...CLIENT_AUTH_PARAMS];

type Introspection = { active: false } | ({ active: true } & Record<string, unknown>);

const INACTIVE: Introspection = { active: false };

/** RFC 7662, for authenticated confidential clients. Inactive tokens reveal nothing (§2.2). */
export async function handleIntrospectionRequest(ctx: OAuthContext, req: OAuthRequest): Promise<OAuthResponse> {
  if (req.method !== "POST") return methodNotAllowed(["POST"]);
  try {
    const params = pickParams(requireForm(req), NAMES);
    const { client } = await authenticateClient(ctx, req, params);
    if (client.type !== "confidential") {
      throw new InvalidClient("Only confidential clients may introspect tokens");
    }
    const token = params.token;
    if (token === undefined) throw new InvalidRequest("token is required");
    const order =
      params.token_type_hint === "refresh_token"
        ? [introspectRefreshToken, introspectAccessToken]
        : [introspectAccessToken, introspectRefreshToken];
    for (const introspect of order) {
      const result = await introspect(ctx, client, token);
      if (result !== null) return json(200, result);
    }
    return json(200, INACTIVE);
  } catch (err) {
    const error = toOAuthError(err);
    ctx.log?.(error);
    return errorResponse(error);
  }
}

/** null when the value is not shaped like this kind of token, so the search goes on. */
async function introspectAccessToken(ctx: OAuthContext, _client: ClientRecord, token: string) {
  if (token.startsWith(REFRESH_TOKEN_PREFIX)) return null;
  const check = await checkAccessToken(ctx, token);
  if (!check.active) return INACTIVE;
  const c = check.claims;
  return {
    active: true,
    scope: c.scope,
    client_id: c.client_id,
    sub: c.sub,
    aud: c.aud,
    iss: c.iss,
    exp: c.exp,
    iat: c.iat,
    jti: c.jti,
    token_type: "Bearer",
  } satisfies Introspection;
}

/** Refresh tokens are only disclosed to the client they were issued to. */
async function introspectRefreshToken(ctx: OAuthContext, client: ClientRecord, token: string) {
  if (!token.startsWith(REFRESH_TOKEN_PREFIX)) return null;
  const record = await ctx.store.findRefreshTokenUse(hashToken(token));
  if (
    record === null ||
    record.clientId !== client.id ||
    record.rotatedAt !== null ||
    record.revokedAt !== null ||
    record.expiresAt <= ctx.now() ||
    record.familyRevoked ||
    !record.grantActive
  ) {
    return INACTIVE;
  }
  const result: Introspection = {
    active: true,
    scope: formatScope(record.scope),
    client_id: record.clientId,
    exp: Math.floor(record.expiresAt.getTime() / 1000),
    iss: ctx.config.issuer,
    token_type: "refresh_token",
  };
  if (record.userId !== null) result.sub = record.userId;
  return result;
}
