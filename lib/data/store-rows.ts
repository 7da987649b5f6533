// Rows of the token tables as the store interface's records, for both SQL stores. The
// drivers differ only in how a DateTime arrives: SQLite gives Prisma's ISO text, pg a Date.
import type { ApiRecord, AuthorizationCodeRecord, DeviceAuthorizationRecord, RefreshTokenRecord, UserClaims } from "../oauth/store";

export type Row = Record<string, unknown>;
export type ReadDate = (value: unknown) => Date;

export const split = (s: string) => s.split(" ").filter(Boolean);
const str = (v: unknown) => v as string;
const strOrNull = (v: unknown) => (v === null ? null : (v as string));

export function rowReaders(date: ReadDate) {
  const dateOrNull = (v: unknown) => (v === null ? null : date(v));

  const userClaims = (row: Row, prefix = ""): UserClaims => ({
    sub: str(row[`${prefix}id`]),
    email: str(row[`${prefix}email`]),
    email_verified: row[`${prefix}emailVerified`] !== null,
    name: strOrNull(row[`${prefix}name`]) ?? undefined,
    updated_at: Math.floor(date(row[`${prefix}updatedAt`]).getTime() / 1000),
  });

  return {
    userClaims,

    toApi: (row: Row): ApiRecord => ({
      identifier: str(row.identifier),
      name: str(row.name),
      scopes: split(str(row.scopes)),
      accessTokenTtl: row.accessTokenTtl === null ? null : Number(row.accessTokenTtl),
    }),

    toCode: (row: Row): AuthorizationCodeRecord => ({
      id: str(row.id),
      clientId: str(row.clientId),
      userId: str(row.userId),
      grantId: strOrNull(row.grantId),
      redirectUri: str(row.redirectUri),
      scope: split(str(row.scope)),
      codeChallenge: strOrNull(row.codeChallenge),
      codeChallengeMethod: strOrNull(row.codeChallengeMethod),
      nonce: strOrNull(row.nonce),
      resource: split(str(row.resource ?? "")),
      authTime: date(row.authTime),
      expiresAt: date(row.expiresAt),
      consumedAt: dateOrNull(row.consumedAt),
      familyId: strOrNull(row.familyId),
    }),

    toRefresh: (row: Row): RefreshTokenRecord => ({
      id: str(row.id),
      familyId: str(row.familyId),
      clientId: str(row.clientId),
      userId: strOrNull(row.userId),
      grantId: strOrNull(row.grantId),
      scope: split(str(row.scope)),
      resource: split(str(row.resource ?? "")),
      authTime: dateOrNull(row.authTime),
      nonce: strOrNull(row.nonce),
      expiresAt: date(row.expiresAt),
      rotatedAt: dateOrNull(row.rotatedAt),
      revokedAt: dateOrNull(row.revokedAt),
    }),

    toDevice: (row: Row): DeviceAuthorizationRecord => ({
      id: str(row.id),
      clientId: str(row.clientId),
      scope: split(str(row.scope)),
      resource: split(str(row.resource ?? "")),
      status: row.status as DeviceAuthorizationRecord["status"],
      userId: strOrNull(row.userId),
      grantId: strOrNull(row.grantId),
      authTime: dateOrNull(row.authTime),
      interval: Number(row.interval),
      lastPolledAt: dateOrNull(row.lastPolledAt),
      expiresAt: date(row.expiresAt),
      consumedAt: dateOrNull(row.consumedAt),
      familyId: strOrNull(row.familyId),
    }),

    /** Whether a code's or token's grant still stands (always, without one) and its user, joined as g_* and u_*. */
    grantAndUser: (row: Row): { grantActive: boolean; user: UserClaims | null } => ({
      grantActive: row.grantId === null || (row.g_id !== null && row.g_revokedAt === null),
      user: row.u_id === null ? null : userClaims(row, "u_"),
    }),

    /** The family state of a refresh token joined as f_*. */
    familyRevoked: (row: Row): boolean => row.f_id === null || row.f_revokedAt !== null,
  };
}
