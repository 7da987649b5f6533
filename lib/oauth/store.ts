// The storage interface the protocol core runs against: one complete implementation per
// database (lib/data/sqlite-oauth-store.ts, lib/data/postgres-oauth-store.ts) and one in
// memory for unit tests, all held to tests/contract/oauth-store.contract.ts.
// Every token-like value reaches the store only as a hash (see tokens.ts).

import type { KeyObject } from "node:crypto";
import { verifyCodeVerifier } from "./pkce";
import { scopeGetsRefreshToken } from "./scopes";

export type ClientType = "confidential" | "public";
export type ClientStatus = "active" | "suspended" | "revoked";
/** How a client came to exist: the portal, dynamic registration (RFC 7591), a metadata document. */
export type ClientSource = "portal" | "registration" | "metadata_document";
export type GrantType =
  | "authorization_code"
  | "refresh_token"
  | "client_credentials"
  | "implicit"
  | "password"
  | "urn:ietf:params:oauth:grant-type:device_code";

export interface ClientSecretRecord {
  id: string;
  /** SHA-256 of the secret, base64url. */
  hash: string;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

export interface ClientRecord {
  /** The public client_id. */
  id: string;
  name: string;
  type: ClientType;
  status: ClientStatus;
  grantTypes: GrantType[];
  /** Scopes this client may request. */
  scopes: string[];
  redirectUris: string[];
  /** Browser origins registered for CORS; empty: derived from the redirect URIs (web-origins.ts). */
  webOrigins: string[];
  secrets: ClientSecretRecord[];
  source: ClientSource;
  /** Scopes granted when a request names none (RFC 6749 §3.3); empty: the server default. */
  defaultScopes: string[];
  /** Metadata-document clients: when the document must be fetched again. */
  metadataExpiresAt: Date | null;
  /** OIDC Registration `id_token_signed_response_alg`; absent: the server default (RS256). */
  idTokenSignedResponseAlg?: JwsAlg;
  /**
   * Access tokens issued at or before this time (to the second: `iat` has no finer unit) are not
   * active: set when the app is suspended or revoked, so a reactivated app's old tokens stay ended.
   */
  tokensEndedAt?: Date | null;
}

/** A protected resource (RFC 8707): tokens requested for it carry its identifier as `aud`. */
export interface ApiRecord {
  /** Absolute URI without fragment; the `resource` parameter's value. */
  identifier: string;
  name: string;
  scopes: string[];
  /** Seconds; null: the server default. */
  accessTokenTtl: number | null;
}

/** OIDC Core §5.1.1: the `address` claim's members. */
export interface AddressClaim {
  formatted?: string;
  street_address?: string;
  locality?: string;
  region?: string;
  postal_code?: string;
  country?: string;
}

/** The user's OIDC Core §5.1 standard claims; a claim without a value is absent. */
export interface UserClaims {
  sub: string;
  name?: string;
  given_name?: string;
  family_name?: string;
  middle_name?: string;
  nickname?: string;
  preferred_username?: string;
  profile?: string;
  picture?: string;
  website?: string;
  email?: string;
  email_verified?: boolean;
  gender?: string;
  birthdate?: string;
  zoneinfo?: string;
  locale?: string;
  phone_number?: string;
  phone_number_verified?: boolean;
  address?: AddressClaim;
  updated_at?: number;
}

/** The OP session and authentication a code or refresh token came from (OIDC Core §2, §5.5). */
export interface AuthenticationContext {
  /** The OP session (`sid`), or null. */
  sessionId: string | null;
  /** The `acr` the authentication satisfied, or null. */
  acr: string | null;
  /** RFC 8176 methods (`amr`); empty: not recorded. */
  amr: string[];
  /** JSON of the OIDC Core §5.5 `claims` request parameter, or null. */
  claims: string | null;
}

type WithOptionalContext<T> = Omit<T, keyof AuthenticationContext> & Partial<AuthenticationContext>;

export interface AuthorizationCodeRecord extends AuthenticationContext {
  id: string;
  clientId: string;
  userId: string;
  grantId: string | null;
  redirectUri: string;
  scope: string[];
  codeChallenge: string | null;
  codeChallengeMethod: string | null;
  nonce: string | null;
  /** RFC 8707 resource indicators of the authorization request (empty: none). */
  resource: string[];
  authTime: Date;
  expiresAt: Date;
  consumedAt: Date | null;
  /** Set when the code is exchanged: the family of every token issued from it. */
  familyId: string | null;
}

/** The authentication context is optional when saving: absent means null (amr: empty). */
export type NewAuthorizationCode = WithOptionalContext<Omit<AuthorizationCodeRecord, "id" | "consumedAt" | "familyId">>;

/** An authorization code with what exchanging it has to check, read together. */
export interface AuthorizationCodeUse extends AuthorizationCodeRecord {
  /** False when the user removed access (always true for codes without a grant). */
  grantActive: boolean;
  /** Claims of the code's user, for the ID token; null when the user no longer exists. */
  user: UserClaims | null;
}

/** What exchanging a code in one step (`redeemAuthorizationCode`) checks and stores. */
export interface CodeRedemption {
  clientId: string;
  redirectUri: string;
  /** The PKCE verifier sent (well-formed), or null when the request sent none. */
  codeVerifier: string | null;
  /** The family of every token issued from the code. */
  familyId: string;
  /**
   * The first refresh token, when the client has the refresh_token grant: stored only when
   * the code's scope gets one (`scopeGetsRefreshToken`, OIDC Core §11).
   */
  refresh: { hash: string; expiresAt: Date } | null;
}

/** A code as `redeemAuthorizationCode` redeemed it. */
export interface AuthorizationCodeRedeemed extends AuthorizationCodeUse {
  refreshTokenStored: boolean;
}

/**
 * What `redeemAuthorizationCode` checks, for stores that read the code before consuming it:
 * every check of the code exchange (RFC 6749 §4.1.3, RFC 7636 §4.6, RFC 9700 §2.1.1 for PKCE
 * downgrade), and that every resource of the code is still a registered API.
 */
export function isCodeRedeemable(use: AuthorizationCodeUse, r: CodeRedemption, at: Date, isApi: (identifier: string) => boolean): boolean {
  const pkce =
    use.codeChallenge === null
      ? r.codeVerifier === null
      : r.codeVerifier !== null && verifyCodeVerifier(r.codeVerifier, use.codeChallenge, use.codeChallengeMethod);
  return (
    use.consumedAt === null &&
    use.clientId === r.clientId &&
    use.expiresAt > at &&
    (use.redirectUri === "" || use.redirectUri === r.redirectUri) &&
    pkce &&
    use.grantActive &&
    use.user !== null &&
    use.resource.every(isApi)
  );
}

/** The refresh token `redeemAuthorizationCode` stores, if any: the code's grant, scope, resources and context. */
export function firstRefreshTokenOf(code: AuthorizationCodeRecord, r: CodeRedemption): NewRefreshToken | null {
  if (r.refresh === null || !scopeGetsRefreshToken(code.scope)) return null;
  return successorOf({ ...code, familyId: r.familyId }, r.refresh.expiresAt);
}

export interface TokenFamily {
  id: string;
  clientId: string;
  userId: string | null;
  grantId: string | null;
}

export interface RefreshTokenRecord extends AuthenticationContext {
  id: string;
  familyId: string;
  clientId: string;
  userId: string | null;
  grantId: string | null;
  scope: string[];
  /** RFC 8707 resource indicators granted (empty: none); a refresh may narrow them. */
  resource: string[];
  authTime: Date | null;
  nonce: string | null;
  expiresAt: Date;
  rotatedAt: Date | null;
  revokedAt: Date | null;
}

/** A refresh token keeps the authentication context of the code it came from. */
export type NewRefreshToken = WithOptionalContext<Omit<RefreshTokenRecord, "id" | "rotatedAt" | "revokedAt">>;

/** A refresh token with everything redeeming it has to check, read together. */
export interface RefreshTokenUse extends RefreshTokenRecord {
  /** True when the family was revoked or no longer exists. */
  familyRevoked: boolean;
  /** False when the user removed access (always true for tokens without a grant). */
  grantActive: boolean;
  /** Claims of the token's user, for the ID token; null without a user. */
  user: UserClaims | null;
}

/**
 * What `redeemRefreshToken` checks, for stores that read the token before rotating it;
 * `isApi` says whether an identifier is a registered API.
 */
export function isRedeemable(use: RefreshTokenUse, clientId: string, at: Date, isApi: (identifier: string) => boolean): boolean {
  return (
    use.clientId === clientId &&
    use.rotatedAt === null &&
    use.revokedAt === null &&
    use.expiresAt > at &&
    !use.familyRevoked &&
    use.grantActive &&
    use.resource.every(isApi)
  );
}

/**
 * A new refresh token carrying `t`'s family, grant, scope, resources and authentication context,
 * expiring at `expiresAt`: a rotated token's successor, or a code's first refresh token.
 */
export function successorOf(t: Omit<RefreshTokenRecord, "id" | "rotatedAt" | "revokedAt" | "expiresAt">, expiresAt: Date): NewRefreshToken {
  const { familyId, clientId, userId, grantId, scope, resource, authTime, nonce, sessionId, acr, amr, claims } = t;
  return { familyId, clientId, userId, grantId, scope: [...scope], resource: [...resource], authTime, nonce, sessionId, acr, amr: [...amr], claims, expiresAt };
}

/** RFC 8628: a device's pending sign-in, keyed by the SHA-256 of its device code and user code. */
export interface DeviceAuthorizationRecord {
  id: string;
  clientId: string;
  scope: string[];
  /** RFC 8707 resource indicators of the request (empty: none). */
  resource: string[];
  status: "pending" | "approved" | "denied";
  userId: string | null;
  grantId: string | null;
  /** The OP session (`sid`) of the user who approved it, or null. */
  sessionId: string | null;
  authTime: Date | null;
  /** Seconds the device must wait between polls; raised by 5 on each slow_down. */
  interval: number;
  lastPolledAt: Date | null;
  expiresAt: Date;
  consumedAt: Date | null;
  familyId: string | null;
}

export type NewDeviceAuthorization = Pick<DeviceAuthorizationRecord, "clientId" | "scope" | "resource" | "interval" | "expiresAt">;

/** One poll: the record as it was before it, and whether it came sooner than `interval` allowed. */
export interface DevicePoll extends DeviceAuthorizationRecord {
  slowDown: boolean;
}

/** An approved device authorization consumed by this call, with its grant and user read together. */
export interface DeviceAuthorizationUse extends DeviceAuthorizationRecord {
  grantActive: boolean;
  user: UserClaims | null;
}

export type DeviceDecision =
  | { status: "approved"; userId: string; grantId: string; authTime: Date; sessionId?: string | null }
  | { status: "denied" };

export interface GrantRecord {
  id: string;
  userId: string;
  clientId: string;
  scopes: string[];
  /** The registered APIs (RFC 8707 resource identifiers) the user allowed the app to reach. */
  resources: string[];
}

export interface OAuthStore {
  /** May be served from a cache, but changes must show within 1 second on every instance. */
  getClient(clientId: string): Promise<ClientRecord | null>;
  /** Fire-and-forget bookkeeping; implementations may batch. */
  markSecretUsed(secretId: string, at: Date): void;
  /** Usage counter; implementations aggregate rather than write per call. */
  recordTokenIssued(clientId: string, at: Date): void;

  /** A registered API by its identifier; cached like clients. */
  getApi(identifier: string): Promise<ApiRecord | null>;

  getUserClaims(userId: string): Promise<UserClaims | null>;
  /** Resource owner password credentials: the user id when the password matches. */
  verifyUserPassword(username: string, password: string): Promise<string | null>;

  getGrant(userId: string, clientId: string): Promise<GrantRecord | null>;
  /** Records consent: adds scopes and APIs to the user's grant for the client, creating it if needed. */
  saveGrant(userId: string, clientId: string, scopes: string[], at: Date, resources?: readonly string[]): Promise<GrantRecord>;

  saveAuthorizationCode(codeHash: string, code: NewAuthorizationCode): Promise<void>;
  /**
   * Atomically marks the code consumed, attaches `familyId` and creates that token family
   * (same transaction), unless the code was consumed already. Returns the record as it
   * was before this call (consumedAt/familyId set means it had been used: familyId is
   * then the first exchange's family, committed), with the state of its grant and user,
   * or null when no such code exists.
   */
  consumeAuthorizationCode(
    codeHash: string,
    familyId: string,
    at: Date,
  ): Promise<AuthorizationCodeUse | null>;

  /**
   * A code exchange with nothing to narrow, in one step (one statement on PostgreSQL): when
   * `isCodeRedeemable` holds for the code at `at`, consumes it, creates the token family
   * `r.familyId` and stores the first refresh token (`firstRefreshTokenOf`). Otherwise writes
   * nothing and returns null: `consumeAuthorizationCode` then says why. Concurrent calls
   * consume a code at most once.
   */
  redeemAuthorizationCode(codeHash: string, r: CodeRedemption, at: Date): Promise<AuthorizationCodeRedeemed | null>;

  /** RFC 8628 device authorization: both codes arrive only as hashes. */
  saveDeviceAuthorization(deviceCodeHash: string, userCodeHash: string, request: NewDeviceAuthorization): Promise<void>;
  findDeviceAuthorizationByUserCode(userCodeHash: string): Promise<DeviceAuthorizationRecord | null>;
  /**
   * Approves or denies a pending, unexpired device authorization in one conditional write;
   * false when it was decided already or expired (exactly one decision wins).
   */
  decideDeviceAuthorization(userCodeHash: string, decision: DeviceDecision, at: Date): Promise<boolean>;
  /**
   * Records a poll by `clientId` in one write: sets lastPolledAt and, when the previous poll
   * was less than `interval` seconds ago, raises the interval by 5 (RFC 8628 §3.5 slow_down).
   * Returns the record as it was before, or null when no such code exists for that client.
   */
  pollDeviceAuthorization(deviceCodeHash: string, clientId: string, at: Date): Promise<DevicePoll | null>;
  /**
   * Atomically consumes an approved, unexpired, unconsumed device authorization, attaching
   * `familyId` and creating that token family; null when this call did not consume it.
   */
  consumeDeviceAuthorization(deviceCodeHash: string, familyId: string, at: Date): Promise<DeviceAuthorizationUse | null>;

  /** Idempotent: a family that exists already is left as it is. */
  createTokenFamily(family: TokenFamily, at: Date): Promise<void>;
  /** Revokes the family and every refresh token in it. Idempotent. */
  revokeTokenFamily(familyId: string, at: Date): Promise<void>;

  /** The token's family must exist (created first, or by consumeAuthorizationCode). */
  saveRefreshToken(tokenHash: string, token: NewRefreshToken): Promise<void>;
  findRefreshToken(tokenHash: string): Promise<RefreshTokenRecord | null>;
  /** The token with the state of its family, grant and user, in one read. */
  findRefreshTokenUse(tokenHash: string): Promise<RefreshTokenUse | null>;
  /**
   * Atomically marks `oldId` rotated and stores its successor. Returns false when
   * `oldId` had already been rotated or revoked (a concurrent reuse).
   */
  rotateRefreshToken(
    oldId: string,
    newHash: string,
    next: NewRefreshToken,
    at: Date,
  ): Promise<boolean>;
  /**
   * A refresh with nothing to narrow, in one step (one statement on PostgreSQL): when
   * `tokenHash` names a refresh token of `clientId` that is not rotated, revoked or expired at
   * `at`, in a family that is not revoked and under a grant that is active (or none), and whose
   * resources are all still registered APIs (so the answer cannot fail on them after the
   * rotation), marks it rotated and stores its successor `newHash`, a copy of it (family, grant, user, scope,
   * resource, nonce, authentication context) expiring at `expiresAt`. Returns the token as
   * redeemed (`rotatedAt` = `at`, with its user's claims). Otherwise writes nothing and returns
   * null: `findRefreshTokenUse` then says why. Concurrent calls rotate a token at most once.
   */
  redeemRefreshToken(tokenHash: string, clientId: string, newHash: string, expiresAt: Date, at: Date): Promise<RefreshTokenUse | null>;

  /** Idempotent: revoking a revoked token succeeds. */
  revokeAccessToken(jti: string, expiresAt: Date, at: Date): Promise<void>;
  /**
   * True when the access token `jti`, its token family or its grant was revoked (or the
   * family or grant no longer exists): every revocation check of an access token, in one
   * read. Never cached.
   */
  isAccessTokenRevokedAnywhere(jti: string, familyId: string | null, grantId: string | null): Promise<boolean>;
  /**
   * Userinfo's read: `isAccessTokenRevokedAnywhere` and the claims of `userId` (null when the
   * user no longer exists), in one read. Never cached.
   */
  readAccessTokenUser(
    jti: string,
    familyId: string | null,
    grantId: string | null,
    userId: string,
  ): Promise<{ revoked: boolean; user: UserClaims | null }>;
}

/** What the server does with a store besides the protocol: write what is buffered, let go. */
export interface StoreLifecycle {
  /** Writes buffered usage counters; what fails to write is kept for the next flush. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** The JWS algorithms tokens are signed with; RS256 is the one OIDC Core §15.1 requires. */
export type JwsAlg = "RS256" | "ES256";
export const JWS_ALGS: readonly JwsAlg[] = ["RS256", "ES256"];

export function isJwsAlg(value: unknown): value is JwsAlg {
  return value === "RS256" || value === "ES256";
}

export interface SigningKey {
  kid: string;
  alg: JwsAlg;
  /** A node:crypto key, created once per key: tokens are signed with crypto.sign. */
  privateKey: KeyObject;
  /** For jose's verification. */
  publicKey: CryptoKey;
}

/** Signing keys, loaded and decrypted outside the core. */
export interface KeyProvider {
  /** The key new tokens are signed with in `alg` (one active key per algorithm). */
  getSigningKey(alg: JwsAlg): Promise<SigningKey>;
  /** Any key still published (active, next or retiring), by kid. */
  getVerificationKey(kid: string): Promise<SigningKey | null>;
  /** Public JWK set: every published key. */
  getJwks(): Promise<{ keys: Record<string, unknown>[] }>;
}
