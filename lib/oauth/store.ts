// The storage interface the protocol core runs against. lib/data/oauth-store.ts
// implements it on Prisma; tests/unit uses an in-memory implementation.
// Every token-like value reaches the store only as a hash (see tokens.ts).

export type ClientType = "confidential" | "public";
export type ClientStatus = "active" | "suspended" | "revoked";
export type GrantType =
  | "authorization_code"
  | "refresh_token"
  | "client_credentials"
  | "implicit"
  | "password";

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
  secrets: ClientSecretRecord[];
}

export interface UserClaims {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
  updated_at?: number;
}

export interface AuthorizationCodeRecord {
  id: string;
  clientId: string;
  userId: string;
  grantId: string | null;
  redirectUri: string;
  scope: string[];
  codeChallenge: string | null;
  codeChallengeMethod: string | null;
  nonce: string | null;
  authTime: Date;
  expiresAt: Date;
  consumedAt: Date | null;
  /** Set when the code is exchanged: the family of every token issued from it. */
  familyId: string | null;
}

export type NewAuthorizationCode = Omit<AuthorizationCodeRecord, "id" | "consumedAt" | "familyId">;

/** An authorization code with what exchanging it has to check, read together. */
export interface AuthorizationCodeUse extends AuthorizationCodeRecord {
  /** False when the user removed access (always true for codes without a grant). */
  grantActive: boolean;
  /** Claims of the code's user, for the ID token; null when the user no longer exists. */
  user: UserClaims | null;
}

export interface TokenFamily {
  id: string;
  clientId: string;
  userId: string | null;
  grantId: string | null;
}

export interface RefreshTokenRecord {
  id: string;
  familyId: string;
  clientId: string;
  userId: string | null;
  grantId: string | null;
  scope: string[];
  authTime: Date | null;
  nonce: string | null;
  expiresAt: Date;
  rotatedAt: Date | null;
  revokedAt: Date | null;
}

export type NewRefreshToken = Omit<RefreshTokenRecord, "id" | "rotatedAt" | "revokedAt">;

/** A refresh token with everything redeeming it has to check, read together. */
export interface RefreshTokenUse extends RefreshTokenRecord {
  /** True when the family was revoked or no longer exists. */
  familyRevoked: boolean;
  /** False when the user removed access (always true for tokens without a grant). */
  grantActive: boolean;
  /** Claims of the token's user, for the ID token; null without a user. */
  user: UserClaims | null;
}

export interface GrantRecord {
  id: string;
  userId: string;
  clientId: string;
  scopes: string[];
}

export interface OAuthStore {
  /** May be served from a cache, but changes must show within 1 second. */
  getClient(clientId: string): Promise<ClientRecord | null>;
  /** Fire-and-forget bookkeeping; implementations may batch. */
  markSecretUsed(secretId: string, at: Date): void;
  /** Usage counter; implementations aggregate rather than write per call. */
  recordTokenIssued(clientId: string, at: Date): void;

  getUserClaims(userId: string): Promise<UserClaims | null>;
  /** Resource owner password credentials: the user id when the password matches. */
  verifyUserPassword(username: string, password: string): Promise<string | null>;

  getGrant(userId: string, clientId: string): Promise<GrantRecord | null>;
  /** Records consent: adds scopes to the user's grant for the client, creating it if needed. */
  saveGrant(userId: string, clientId: string, scopes: string[], at: Date): Promise<GrantRecord>;
  /** False once the user removed access. May be cached for under 1 second. */
  isGrantActive(grantId: string): Promise<boolean>;

  saveAuthorizationCode(codeHash: string, code: NewAuthorizationCode): Promise<void>;
  /**
   * Atomically marks the code consumed and attaches the family id. Returns the record
   * as it was before this call (consumedAt/familyId set means it had been used already),
   * with the state of its grant and user, or null when no such code exists.
   */
  consumeAuthorizationCode(
    codeHash: string,
    familyId: string,
    at: Date,
  ): Promise<AuthorizationCodeUse | null>;

  createTokenFamily(family: TokenFamily, at: Date): Promise<void>;
  revokeTokenFamily(familyId: string, at: Date): Promise<void>;
  /** May be cached for under 1 second. */
  isTokenFamilyRevoked(familyId: string): Promise<boolean>;

  saveRefreshToken(tokenHash: string, token: NewRefreshToken): Promise<void>;
  findRefreshToken(tokenHash: string): Promise<RefreshTokenRecord | null>;
  /** The token with the state of its family, grant and user (one read where the store can). */
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

  revokeAccessToken(jti: string, expiresAt: Date, at: Date): Promise<void>;
  /** May be cached for under 1 second. */
  isAccessTokenRevoked(jti: string): Promise<boolean>;
  /**
   * True when the access token `jti`, its token family or its grant was revoked (or the
   * family or grant no longer exists): every revocation check of an access token, in one
   * read where the store can. Never cached for more than 1 second.
   */
  isAccessTokenRevokedAnywhere(jti: string, familyId: string | null, grantId: string | null): Promise<boolean>;
}

export interface SigningKey {
  kid: string;
  alg: "ES256";
  privateKey: CryptoKey;
  publicKey: CryptoKey;
}

/** Signing keys, loaded and decrypted outside the core. */
export interface KeyProvider {
  /** The key new tokens are signed with. */
  getSigningKey(): Promise<SigningKey>;
  /** Any key still published (active, next or retiring), by kid. */
  getVerificationKey(kid: string): Promise<SigningKey | null>;
  /** Public JWK set: every published key. */
  getJwks(): Promise<{ keys: Record<string, unknown>[] }>;
}

type RefreshReads = Pick<OAuthStore, "findRefreshToken" | "isTokenFamilyRevoked" | "isGrantActive" | "getUserClaims">;

/** findRefreshTokenUse from the single-purpose reads, for stores without a joined query. */
export async function composeRefreshTokenUse(store: RefreshReads, tokenHash: string): Promise<RefreshTokenUse | null> {
  const record = await store.findRefreshToken(tokenHash);
  if (record === null) return null;
  const [familyRevoked, grantActive, user] = await Promise.all([
    store.isTokenFamilyRevoked(record.familyId),
    record.grantId === null ? true : store.isGrantActive(record.grantId),
    record.userId === null ? null : store.getUserClaims(record.userId),
  ]);
  return { ...record, familyRevoked, grantActive, user };
}

type CodeReads = Pick<OAuthStore, "isGrantActive" | "getUserClaims">;

/** The grant and user state of a code, for stores without a joined query. */
export async function composeAuthorizationCodeUse(
  store: CodeReads,
  record: AuthorizationCodeRecord | null,
): Promise<AuthorizationCodeUse | null> {
  if (record === null) return null;
  const [grantActive, user] = await Promise.all([
    record.grantId === null ? true : store.isGrantActive(record.grantId),
    store.getUserClaims(record.userId),
  ]);
  return { ...record, grantActive, user };
}

type RevocationReads = Pick<OAuthStore, "isAccessTokenRevoked" | "isTokenFamilyRevoked" | "isGrantActive">;

/** isAccessTokenRevokedAnywhere from the single-purpose reads. */
export async function composeAccessTokenRevoked(
  store: RevocationReads,
  jti: string,
  familyId: string | null,
  grantId: string | null,
): Promise<boolean> {
  const [tokenRevoked, familyRevoked, grantActive] = await Promise.all([
    store.isAccessTokenRevoked(jti),
    familyId === null ? false : store.isTokenFamilyRevoked(familyId),
    grantId === null ? true : store.isGrantActive(grantId),
  ]);
  return tokenRevoked || familyRevoked || !grantActive;
}
