import type { OAuthContext } from "../context";
import { InvalidGrant, InvalidRequest } from "../errors";
import { isValidCodeVerifier, verifyCodeVerifier } from "../pkce";
import type { ApiRecord, AuthorizationCodeUse, ClientRecord } from "../store";
import { hashToken, newFamilyId, newRefreshToken } from "../tokens";
import { narrowResources, resolveResources } from "../resource";
import {
  authenticationContextOf,
  createRefreshToken,
  issueTokens,
  refreshTokenExpiry,
  type GrantExtras,
  type GrantParams,
  type TokenResponseBody,
} from "./issue";

export const grantType = "authorization_code";

export const parameters = ["code", "redirect_uri", "code_verifier"] as const;

export async function handler(
  ctx: OAuthContext,
  client: ClientRecord,
  params: GrantParams,
  extras: GrantExtras,
): Promise<TokenResponseBody> {
  const { code, redirect_uri: redirectUri, code_verifier: verifier } = params;
  const requested = await resolveResources(ctx, extras.resource);
  if (code === undefined) throw new InvalidRequest("code is required");
  if (verifier !== undefined && !isValidCodeVerifier(verifier)) {
    throw new InvalidRequest("code_verifier is malformed");
  }

  const now = ctx.now();
  const familyId = newFamilyId();
  const codeHash = hashToken(code);
  if (extras.resource.length === 0) {
    // Nothing to narrow: check the code, consume it and store the first refresh token in one
    // step (one statement on PostgreSQL). When that refuses, the consumption below says why.
    const refresh = client.grantTypes.includes("refresh_token") ? newRefreshToken() : null;
    const used = await ctx.store.redeemAuthorizationCode(
      codeHash,
      {
        clientId: client.id,
        redirectUri: redirectUri ?? "",
        codeVerifier: verifier ?? null,
        familyId,
        refresh: refresh === null ? null : { hash: refresh.hash, expiresAt: refreshTokenExpiry(ctx) },
      },
      now,
    );
    if (used !== null) {
      // The store found every resource registered; an instance whose API cache is a moment
      // behind may still refuse one. The client then gets no tokens, so none may stay live.
      const resources = await resolveResources(ctx, used.resource).catch(async (err: unknown) => {
        await ctx.store.revokeTokenFamily(familyId, now);
        throw err;
      });
      return respond(ctx, client, used, familyId, resources, used.refreshTokenStored ? refresh!.token : undefined);
    }
  }

  const record = await ctx.store.consumeAuthorizationCode(codeHash, familyId, now);
  if (record === null) throw new InvalidGrant("The authorization code is invalid");
  if (record.consumedAt !== null) {
    // RFC 6749 §4.1.2, RFC 9700 §4.2.4: a replayed code revokes what the first exchange issued.
    if (record.familyId !== null) await ctx.store.revokeTokenFamily(record.familyId, now);
    throw new InvalidGrant("The authorization code was already used", { debug: `code ${record.id} replayed` });
  }
  if (record.clientId !== client.id) {
    throw new InvalidGrant("The authorization code was issued to another client");
  }
  if (record.expiresAt <= now) throw new InvalidGrant("The authorization code expired");
  // RFC 6749 §4.1.3: required, and identical, when the authorization request included it ("" in the record: it did not).
  if (record.redirectUri !== "" && redirectUri === undefined) {
    throw new InvalidGrant("redirect_uri is required: the authorization request named it");
  }
  if (record.redirectUri !== "" && record.redirectUri !== redirectUri) {
    throw new InvalidGrant("redirect_uri does not match the authorization request");
  }
  if (record.codeChallenge !== null) {
    if (verifier === undefined) throw new InvalidGrant("code_verifier is required");
    if (!verifyCodeVerifier(verifier, record.codeChallenge, record.codeChallengeMethod)) {
      throw new InvalidGrant("code_verifier does not match the code_challenge");
    }
  } else if (verifier !== undefined) {
    // RFC 9700 §2.1.1: PKCE downgrade protection.
    throw new InvalidGrant("code_verifier sent for a code issued without code_challenge");
  }
  if (!record.grantActive) throw new InvalidGrant("The user revoked access");
  if (record.user === null) throw new InvalidGrant("The user no longer exists");
  // RFC 8707 §2.2: the token may be for some of the resources the authorization named (the
  // consent screen showed them), never others; one that named none gets the default audience.
  narrowResources(record.resource, requested);
  const resources =
    requested.length > 0 || record.resource.length === 0 ? requested : await resolveResources(ctx, record.resource);
  const grantedResources = record.resource.length > 0 ? record.resource : requested.map((a) => a.identifier);

  // The family was created with the consumption, so a replay always finds it to revoke.
  const refreshToken = await createRefreshToken(ctx, client, {
    familyId,
    clientId: client.id,
    userId: record.userId,
    grantId: record.grantId,
    scope: record.scope,
    resource: grantedResources,
    authTime: record.authTime,
    nonce: record.nonce,
    ...authenticationContextOf(record),
  });
  return respond(ctx, client, record, familyId, resources, refreshToken);
}

function respond(
  ctx: OAuthContext,
  client: ClientRecord,
  record: AuthorizationCodeUse,
  familyId: string,
  resources: readonly ApiRecord[],
  refreshToken: string | undefined,
): Promise<TokenResponseBody> {
  return issueTokens(ctx, {
    client,
    userId: record.userId,
    grantId: record.grantId,
    familyId,
    scope: record.scope,
    authTime: record.authTime,
    nonce: record.nonce,
    user: record.user,
    context: authenticationContextOf(record),
    resources,
    ...(refreshToken === undefined ? {} : { refreshToken }),
  });
}
