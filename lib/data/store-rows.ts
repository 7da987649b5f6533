// Rows of the token tables as the store interface's records, for both SQL stores. The
// drivers differ only in how a DateTime arrives: SQLite gives Prisma's ISO text, pg a Date.
import type {
  AddressClaim,
  ApiRecord,
  AuthenticationContext,
  AuthorizationCodeRecord,
  DeviceAuthorizationRecord,
  GrantRecord,
  RefreshTokenRecord,
  UserClaims,
} from "../oauth/store";

export type Row = Record<string, unknown>;
export type ReadDate = (value: unknown) => Date;

export const split = (s: string) => s.split(" ").filter(Boolean);

/** The User columns `userClaims` reads, quoted for both databases. */
const USER_CLAIM_COLUMNS = [
  "id", "email", "emailVerified", "name", "updatedAt", "givenName", "familyName", "middleName", "nickname",
  "preferredUsername", "profileUrl", "image", "website", "gender", "birthdate", "zoneinfo", "locale", "phoneNumber",
  "phoneNumberVerified", "address",
] as const;
type UserClaimColumn = (typeof USER_CLAIM_COLUMNS)[number];
type ColumnKeys = Record<UserClaimColumn, string>;
/** Each column's key in a row, per prefix ("" or "u_"), built once. */
const KEYS = new Map<string, ColumnKeys>();
const columnKeys = (prefix: string) =>
  Object.fromEntries(USER_CLAIM_COLUMNS.map((c) => [c, `${prefix}${c}`])) as ColumnKeys;
type TextClaim = Exclude<{ [K in keyof UserClaims]-?: UserClaims[K] extends string | undefined ? K : never }[keyof UserClaims], "sub">;
/** Sets a text claim when the column holds non-blank text; says whether it did. */
function setText(claims: UserClaims, claim: TextClaim, v: unknown): boolean {
  if (typeof v !== "string" || v.trim() === "") return false;
  claims[claim] = v;
  return true;
}

/** A row of "Grant" (id, scopes, resources) as the store's record. */
export function grantRow(row: Row, userId: string, clientId: string): GrantRecord {
  return { id: row.id as string, userId, clientId, scopes: split(row.scopes as string), resources: split(row.resources as string) };
}

/** The grant once the user has also allowed `scopes` and `resources` (consent only ever adds). */
export function mergeGrant(grant: GrantRecord, scopes: readonly string[], resources: readonly string[]): GrantRecord {
  return { ...grant, scopes: [...new Set([...grant.scopes, ...scopes])], resources: [...new Set([...grant.resources, ...resources])] };
}

export const USER_CLAIMS_SELECT = USER_CLAIM_COLUMNS.map((c) => `"${c}"`).join(", ");
/** The same columns of the user joined as `u`, named u_<column>. */
export const JOINED_USER_CLAIMS_SELECT = USER_CLAIM_COLUMNS.map((c) => `u."${c}" AS "u_${c}"`).join(", ");
const str = (v: unknown) => v as string;
const strOrNull = (v: unknown) => (v === null ? null : (v as string));

export function rowReaders(date: ReadDate) {
  const dateOrNull = (v: unknown) => (v === null ? null : date(v));

  // Claims without a value are left out (OIDC Core §5.3.2). Built in claim order with no
  // closure or key formatting per row: this runs on every refresh, code exchange and userinfo call.
  const userClaims = (row: Row, prefix = ""): UserClaims => {
    let k = KEYS.get(prefix);
    if (k === undefined) KEYS.set(prefix, (k = columnKeys(prefix)));
    const claims: UserClaims = { sub: str(row[k.id]) };
    setText(claims, "name", row[k.name]);
    setText(claims, "given_name", row[k.givenName]);
    setText(claims, "family_name", row[k.familyName]);
    setText(claims, "middle_name", row[k.middleName]);
    setText(claims, "nickname", row[k.nickname]);
    setText(claims, "preferred_username", row[k.preferredUsername]);
    setText(claims, "profile", row[k.profileUrl]);
    setText(claims, "picture", row[k.image]);
    setText(claims, "website", row[k.website]);
    claims.email = str(row[k.email]);
    claims.email_verified = row[k.emailVerified] !== null;
    setText(claims, "gender", row[k.gender]);
    setText(claims, "birthdate", row[k.birthdate]);
    setText(claims, "zoneinfo", row[k.zoneinfo]);
    setText(claims, "locale", row[k.locale]);
    if (setText(claims, "phone_number", row[k.phoneNumber])) {
      claims.phone_number_verified = row[k.phoneNumberVerified] === true || row[k.phoneNumberVerified] === 1;
    }
    const address = readAddress(row[k.address]);
    if (address !== undefined) claims.address = address;
    claims.updated_at = Math.floor(date(row[k.updatedAt]).getTime() / 1000);
    return claims;
  };

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
      ...authenticationContext(row),
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
      ...authenticationContext(row),
    }),

    toDevice: (row: Row): DeviceAuthorizationRecord => ({
      id: str(row.id),
      clientId: str(row.clientId),
      scope: split(str(row.scope)),
      resource: split(str(row.resource ?? "")),
      status: row.status as DeviceAuthorizationRecord["status"],
      userId: strOrNull(row.userId),
      grantId: strOrNull(row.grantId),
      sessionId: strOrNull(row.sessionId ?? null),
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

const authenticationContext = (row: Row): AuthenticationContext => ({
  sessionId: strOrNull(row.sessionId ?? null),
  acr: strOrNull(row.acr ?? null),
  amr: split(str(row.amr ?? "")),
  claims: strOrNull(row.claims ?? null),
});

/** The authentication context as column values: amr space-separated, null when empty. */
export function contextColumns(c: Partial<AuthenticationContext>): [string | null, string | null, string | null, string | null] {
  const amr = c.amr ?? [];
  return [c.sessionId ?? null, c.acr ?? null, amr.length === 0 ? null : amr.join(" "), c.claims ?? null];
}

const ADDRESS_FIELDS = ["formatted", "street_address", "locality", "region", "postal_code", "country"] as const;

/** The User.address column (JSON of OIDC Core §5.1.1): its non-empty string members, or undefined. */
export function readAddress(value: unknown): AddressClaim | undefined {
  if (typeof value !== "string" || value.trim() === "") return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return undefined;
  }
  if (typeof parsed !== "object" || parsed === null) return undefined;
  const address: AddressClaim = {};
  for (const field of ADDRESS_FIELDS) {
    const v = (parsed as Record<string, unknown>)[field];
    if (typeof v === "string" && v.trim() !== "") address[field] = v;
  }
  return Object.keys(address).length === 0 ? undefined : address;
}
