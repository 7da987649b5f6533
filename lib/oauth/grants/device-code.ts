// RFC 8628 §3.4–3.5: the device polls with its device code until the user decides.
import type { OAuthContext } from "../context";
import { DEVICE_CODE_GRANT_TYPE } from "../device-authorization";
import { AccessDenied, AuthorizationPending, ExpiredToken, InvalidGrant, InvalidRequest, SlowDown } from "../errors";
import { narrowResources, resolveResources } from "../resource";
import type { ClientRecord } from "../store";
import { hashToken, newFamilyId } from "../tokens";
import { createRefreshToken, issueTokens, type GrantExtras, type GrantParams, type TokenResponseBody } from "./issue";

export const grantType = DEVICE_CODE_GRANT_TYPE;

export const parameters = ["device_code"] as const;

export async function handler(
  ctx: OAuthContext,
  client: ClientRecord,
  params: GrantParams,
  extras: GrantExtras,
): Promise<TokenResponseBody> {
  const deviceCode = params.device_code;
  if (deviceCode === undefined) throw new InvalidRequest("device_code is required");
  const requested = await resolveResources(ctx, extras.resource);
  const hash = hashToken(deviceCode);
  const now = ctx.now();

  const poll = await ctx.store.pollDeviceAuthorization(hash, client.id, now);
  if (poll === null) throw new InvalidGrant("The device_code is invalid");
  if (poll.consumedAt !== null) {
    // Like a replayed authorization code (RFC 9700 §4.5): whoever holds a copy loses what it bought.
    if (poll.familyId !== null) await ctx.store.revokeTokenFamily(poll.familyId, now);
    throw new InvalidGrant("The device_code was already used", { debug: `device authorization ${poll.id} redeemed twice` });
  }
  if (poll.expiresAt <= now) throw new ExpiredToken();
  if (poll.status === "denied") throw new AccessDenied("The user denied the request", { status: 400, redirectable: false });
  if (poll.status === "pending") throw poll.slowDown ? new SlowDown() : new AuthorizationPending();

  const familyId = newFamilyId();
  const use = await ctx.store.consumeDeviceAuthorization(hash, familyId, now);
  if (use === null) throw new InvalidGrant("The device_code was already used");
  if (!use.grantActive) throw new InvalidGrant("The user revoked access");
  if (use.userId === null || use.user === null) throw new InvalidGrant("The user no longer exists");
  narrowResources(use.resource, requested);
  const resources = requested.length > 0 || use.resource.length === 0 ? requested : await resolveResources(ctx, use.resource);
  const grantedResources = use.resource.length > 0 ? use.resource : requested.map((a) => a.identifier);

  const refreshToken = await createRefreshToken(ctx, client, {
    familyId,
    clientId: client.id,
    userId: use.userId,
    grantId: use.grantId,
    scope: use.scope,
    resource: grantedResources,
    authTime: use.authTime,
    nonce: null,
    sessionId: use.sessionId,
  });
  return issueTokens(ctx, {
    client,
    userId: use.userId,
    grantId: use.grantId,
    familyId,
    scope: use.scope,
    authTime: use.authTime,
    nonce: null,
    user: use.user,
    context: { sessionId: use.sessionId, acr: null, amr: [], claims: null },
    resources,
    ...(refreshToken === undefined ? {} : { refreshToken }),
  });
}
