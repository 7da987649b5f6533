import type { OAuthContext } from "../context";
import { InvalidGrant, InvalidRequest, InvalidScope } from "../errors";
import { isSubset, parseScope } from "../scopes";
import { successorOf, type ApiRecord, type ClientRecord, type RefreshTokenUse } from "../store";
import { hashToken, newRefreshToken } from "../tokens";
import { narrowResources, resolveResources } from "../resource";
import {
  authenticationContextOf,
  issueTokens,
  refreshTokenExpiry,
  type GrantExtras,
  type GrantParams,
  type TokenResponseBody,
} from "./issue";

export const grantType = "refresh_token";

export const parameters = ["refresh_token", "scope"] as const;

/** The scope of the grant that the client may still use. */
function grantedScope(client: ClientRecord, record: RefreshTokenUse): string[] {
  return record.scope.filter((s) => client.scopes.includes(s));
}

export async function handler(
  ctx: OAuthContext,
  client: ClientRecord,
  params: GrantParams,
  extras: GrantExtras,
): Promise<TokenResponseBody> {
  const presented = params.refresh_token;
  if (presented === undefined) throw new InvalidRequest("refresh_token is required");
  const requested = params.scope === undefined ? null : parseScope(params.scope);

  const { store } = ctx;
  const now = ctx.now();
  const hash = hashToken(presented);

  if (requested === null && extras.resource.length === 0) {
    // Nothing to narrow: check and rotate in one step (one statement on PostgreSQL). When that
    // refuses (a resource no longer registered included), the read below says why and the
    // token stays as it was.
    const next = newRefreshToken();
    const used = await store.redeemRefreshToken(hash, client.id, next.hash, refreshTokenExpiry(ctx), now);
    if (used !== null) return respond(ctx, client, used, grantedScope(client, used), await resolveResources(ctx, used.resource), next.token);
  }

  const record = await store.findRefreshTokenUse(hash);
  if (record === null) throw new InvalidGrant("The refresh token is invalid");
  if (record.clientId !== client.id) {
    throw new InvalidGrant("The refresh token is invalid", { debug: `issued to ${record.clientId}` });
  }
  const reuse = () => new InvalidGrant("The refresh token was already used", { debug: `family ${record.familyId} reuse` });
  if (record.rotatedAt !== null || record.revokedAt !== null) {
    // RFC 9700 §4.14.2: reuse of a rotated token revokes the whole family.
    await store.revokeTokenFamily(record.familyId, now);
    throw reuse();
  }
  if (record.expiresAt <= now) throw new InvalidGrant("The refresh token expired");
  if (record.familyRevoked || !record.grantActive) throw new InvalidGrant("The refresh token was revoked");

  let scope = grantedScope(client, record);
  if (requested !== null) {
    // RFC 6749 §6: the scope may narrow, never widen, the original grant.
    if (requested.length === 0 || !isSubset(requested, scope)) {
      throw new InvalidScope("The scope exceeds the scope originally granted");
    }
    scope = requested;
  }

  // RFC 8707 §2.2: a refresh may narrow the resources of the grant, never widen them.
  const requestedResources = await resolveResources(ctx, extras.resource);
  narrowResources(record.resource, requestedResources);
  const resources =
    requestedResources.length > 0 ? requestedResources : await resolveResources(ctx, record.resource);

  // The successor keeps the grant's whole scope and resources: a later refresh may ask for
  // anything the grant covers again.
  const next = newRefreshToken();
  const rotated = await store.rotateRefreshToken(record.id, next.hash, successorOf(record, refreshTokenExpiry(ctx)), now);
  if (!rotated) {
    await store.revokeTokenFamily(record.familyId, now);
    throw reuse();
  }
  return respond(ctx, client, record, scope, resources, next.token);
}

function respond(
  ctx: OAuthContext,
  client: ClientRecord,
  record: RefreshTokenUse,
  scope: string[],
  resources: ApiRecord[],
  refreshToken: string,
): Promise<TokenResponseBody> {
  return issueTokens(ctx, {
    client,
    userId: record.userId,
    grantId: record.grantId,
    familyId: record.familyId,
    scope,
    authTime: record.authTime,
    nonce: null,
    refreshToken,
    user: record.user,
    context: authenticationContextOf(record),
    resources,
  });
}
