import { signAccessToken } from "../access-token";
import type { OAuthContext } from "../context";
import { readClaimsRequest, userinfoClaimNames } from "../claims";
import { signIdToken } from "../id-token";
import { formatScope, scopeGetsRefreshToken } from "../scopes";
import type { ApiRecord, AuthenticationContext, ClientRecord, GrantType, NewRefreshToken, UserClaims } from "../store";
import { newRefreshToken } from "../tokens";

export type GrantParams = Partial<Record<string, string>>;

/** Repeatable parameters (RFC 8707 `resource`), read apart from the single-valued ones. */
export interface GrantExtras {
  resource: readonly string[];
  /** The caller's address, when the server knows it (the password grant's lockouts). */
  clientIp: string | null;
}

export interface TokenResponseBody {
  access_token: string;
  token_type: "Bearer";
  expires_in: number;
  scope: string;
  refresh_token?: string;
  id_token?: string;
}

export interface Grant {
  grantType: GrantType;
  /** Grant-specific body parameters; each may appear at most once. */
  parameters: readonly string[];
  handler: (ctx: OAuthContext, client: ClientRecord, params: GrantParams, extras: GrantExtras) => Promise<TokenResponseBody>;
}

export interface IssueInput {
  client: ClientRecord;
  userId: string | null;
  grantId: string | null;
  familyId: string | null;
  scope: readonly string[];
  authTime: Date | null;
  /** Included in the ID token; null after a refresh (OIDC Core §12.2). */
  nonce: string | null;
  refreshToken?: string;
  /** The user's claims when the caller already read them (else the ID token reads them). */
  user?: UserClaims | null;
  /** RFC 8707: the APIs the access token is for. */
  resources: readonly ApiRecord[];
  /** The OP session, acr, amr and claims request of the authorization, for the ID token. */
  context?: AuthenticationContext;
}

/** The authentication context of a code or refresh token, to carry into the next token. */
export function authenticationContextOf(record: AuthenticationContext): AuthenticationContext {
  return { sessionId: record.sessionId, acr: record.acr, amr: [...record.amr], claims: record.claims };
}

export async function issueTokens(ctx: OAuthContext, input: IssueInput): Promise<TokenResponseBody> {
  const access = await signAccessToken(ctx, {
    clientId: input.client.id,
    userId: input.userId,
    scope: input.scope,
    authTime: input.authTime,
    familyId: input.familyId,
    grantId: input.grantId,
    resources: input.resources,
    userinfoClaims: userinfoClaimNames(readClaimsRequest(input.context?.claims)),
  });
  const body: TokenResponseBody = {
    access_token: access.token,
    token_type: "Bearer",
    expires_in: access.expiresIn,
    scope: formatScope(input.scope),
  };
  if (input.refreshToken !== undefined) body.refresh_token = input.refreshToken;
  if (input.userId !== null && input.scope.includes("openid")) {
    body.id_token = await signIdToken(ctx, {
      clientId: input.client.id,
      userId: input.userId,
      authTime: input.authTime,
      nonce: input.nonce,
      scope: input.scope,
      accessToken: access.token,
      ...(input.user === undefined ? {} : { user: input.user }),
      ...(input.context === undefined ? {} : { context: input.context }),
      ...(input.client.idTokenSignedResponseAlg === undefined ? {} : { alg: input.client.idTokenSignedResponseAlg }),
    });
  }
  return body;
}

export function refreshTokenRecord(
  ctx: OAuthContext,
  fields: Omit<NewRefreshToken, "expiresAt">,
): NewRefreshToken {
  return { ...fields, expiresAt: refreshTokenExpiry(ctx) };
}

/** When a refresh token issued now expires. */
export function refreshTokenExpiry(ctx: OAuthContext): Date {
  return new Date(ctx.now().getTime() + ctx.config.refreshTokenTtl * 1000);
}

/**
 * Whether tokens for `scope` come with a refresh token. With openid, only when offline_access
 * was granted (OIDC Core §11); plain OAuth keeps RFC 6749 §1.5: the client's refresh_token
 * grant decides. The consent screen uses this to say the app keeps access while the user is away.
 */
export function issuesRefreshToken(clientGrantTypes: readonly string[], scope: readonly string[]): boolean {
  return clientGrantTypes.includes("refresh_token") && scopeGetsRefreshToken(scope);
}

/** A new refresh token stored for `fields`, or undefined when none may be issued for them. */
export async function createRefreshToken(
  ctx: OAuthContext,
  client: ClientRecord,
  fields: Omit<NewRefreshToken, "expiresAt">,
): Promise<string | undefined> {
  if (!issuesRefreshToken(client.grantTypes, fields.scope)) return undefined;
  const { token, hash } = newRefreshToken();
  await ctx.store.saveRefreshToken(hash, refreshTokenRecord(ctx, fields));
  return token;
}
