// Which user claims go where (OIDC Core §5.4, §5.5): scope claims to userinfo (and to the ID
// token only when no access token is issued), individually requested claims where the
// `claims` request parameter asks for them, and the authentication context (acr, amr).
import { InvalidRequest } from "./errors";
import type { AuthenticationContext, UserClaims } from "./store";

/** OIDC Core §5.4: the claims each standard scope releases. */
export const SCOPE_CLAIMS: Readonly<Record<string, readonly (keyof UserClaims)[]>> = {
  profile: [
    "name", "family_name", "given_name", "middle_name", "nickname", "preferred_username", "profile", "picture",
    "website", "gender", "birthdate", "zoneinfo", "locale", "updated_at",
  ],
  email: ["email", "email_verified"],
  address: ["address"],
  phone: ["phone_number", "phone_number_verified"],
};

const USER_CLAIM_SCOPE = new Map<string, string>(
  Object.entries(SCOPE_CLAIMS).flatMap(([scope, claims]) => claims.map((c) => [c, scope] as const)),
);

/** The scope whose consent covers a user claim, or undefined for claims that are not the user's. */
export function scopeOfClaim(claim: string): string | undefined {
  return USER_CLAIM_SCOPE.get(claim);
}

/**
 * OIDC Core §2: acr values are OP-defined. "0" would claim less than ISO/IEC 29115 level 1,
 * which undersells a password sign-in, so this absolute URI names the one method we have.
 */
export const ACR_PASSWORD = "urn:latchkey:acr:password";
export const ACR_VALUES_SUPPORTED: readonly string[] = [ACR_PASSWORD];
/** RFC 8176: every sign-in here is by password. */
export const AMR_PASSWORD: readonly string[] = ["pwd"];

/** Every claim an ID token or userinfo response of this server can carry (Discovery `claims_supported`). */
export const CLAIMS_SUPPORTED: readonly string[] = [
  "sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "acr", "amr", "azp", "at_hash", "sid",
  ...Object.values(SCOPE_CLAIMS).flat(),
];

/** One member of a §5.5 claims request: null, or what the RP asks of the claim. */
export interface ClaimRequest {
  essential?: boolean;
  value?: unknown;
  values?: unknown[];
}

/** OIDC Core §5.5: the `claims` request parameter, the members we use. */
export interface ClaimsRequest {
  userinfo?: Record<string, ClaimRequest | null>;
  id_token?: Record<string, ClaimRequest | null>;
}

function parseMember(value: unknown, member: string): Record<string, ClaimRequest | null> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new InvalidRequest(`claims.${member} must be a JSON object`);
  }
  const out: Record<string, ClaimRequest | null> = {};
  for (const [name, request] of Object.entries(value as Record<string, unknown>)) {
    if (request === null) {
      out[name] = null;
      continue;
    }
    if (typeof request !== "object" || Array.isArray(request)) {
      throw new InvalidRequest(`claims.${member}.${name} must be null or a JSON object`);
    }
    const r = request as Record<string, unknown>;
    const parsed: ClaimRequest = {};
    if (r.essential !== undefined) {
      if (typeof r.essential !== "boolean") throw new InvalidRequest(`claims.${member}.${name}.essential must be a boolean`);
      parsed.essential = r.essential;
    }
    if (r.values !== undefined) {
      if (!Array.isArray(r.values)) throw new InvalidRequest(`claims.${member}.${name}.values must be an array`);
      parsed.values = r.values;
    }
    if (r.value !== undefined) parsed.value = r.value;
    out[name] = parsed;
  }
  return out;
}

/** Parses the `claims` parameter; malformed JSON or members are invalid_request (§5.5). */
export function parseClaimsRequest(raw: string): ClaimsRequest {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new InvalidRequest("claims is not valid JSON");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new InvalidRequest("claims must be a JSON object");
  }
  const { userinfo, id_token: idToken } = parsed as Record<string, unknown>;
  const request: ClaimsRequest = {};
  // §5.5: other members are ignored.
  if (userinfo !== undefined) request.userinfo = parseMember(userinfo, "userinfo");
  if (idToken !== undefined) request.id_token = parseMember(idToken, "id_token");
  return request;
}

/** The stored form of a claims request (a column), or null when it asks for nothing. */
export function serializeClaimsRequest(request: ClaimsRequest): string | null {
  const empty = (m: Record<string, unknown> | undefined) => m === undefined || Object.keys(m).length === 0;
  return empty(request.userinfo) && empty(request.id_token) ? null : JSON.stringify(request);
}

/** A stored claims request; a column we wrote, so anything unreadable counts as none. */
export function readClaimsRequest(stored: string | null | undefined): ClaimsRequest {
  if (stored === null || stored === undefined || stored === "") return {};
  try {
    return parseClaimsRequest(stored);
  } catch {
    return {};
  }
}

/** Keeps only the user claims whose scope the client may use (others it could never be given). */
export function limitClaimsRequest(request: ClaimsRequest, allowedScopes: readonly string[]): ClaimsRequest {
  const keep = (member: Record<string, ClaimRequest | null> | undefined) => {
    if (member === undefined) return undefined;
    const out: Record<string, ClaimRequest | null> = {};
    for (const [name, r] of Object.entries(member)) {
      const scope = scopeOfClaim(name);
      if (scope === undefined || allowedScopes.includes(scope)) out[name] = r;
    }
    return out;
  };
  const limited: ClaimsRequest = {};
  const userinfo = keep(request.userinfo);
  const idToken = keep(request.id_token);
  if (userinfo !== undefined) limited.userinfo = userinfo;
  if (idToken !== undefined) limited.id_token = idToken;
  return limited;
}

/**
 * What the user is asked to consent to: the requested scopes, then the scope of every user claim
 * the `claims` parameter asks for by name (OIDC Core §5.5 releases those claims, so the consent
 * screen must show them; without this, `scope=openid` with a claims request for `email` would
 * release the email address behind a screen that shows only "openid").
 */
export function scopesToConsent(scope: readonly string[], claims: ClaimsRequest): string[] {
  const out = [...scope];
  for (const member of [claims.id_token, claims.userinfo]) {
    for (const name of Object.keys(member ?? {})) {
      const covering = scopeOfClaim(name);
      if (covering !== undefined && !out.includes(covering)) out.push(covering);
    }
  }
  return out;
}

/** The acr values a request (acr_values, or an `acr` claim request's value/values) accepts. */
function requestedAcr(request: ClaimRequest | null | undefined): string[] | null {
  if (request === undefined) return null;
  if (request === null) return [];
  const values = request.values ?? (request.value === undefined ? [] : [request.value]);
  return values.filter((v): v is string => typeof v === "string");
}

/**
 * What the authentication of this request asserts, or an error message when an essential acr
 * cannot be met (§5.5.1.1: a failed authentication). acr is recorded only when asked for.
 */
export function authenticationContextFor(
  acrValues: readonly string[],
  claims: ClaimsRequest,
): { ok: true; acr: string | null; amr: string[] } | { ok: false; message: string } {
  const acrClaim = claims.id_token?.acr;
  const accepted = requestedAcr(acrClaim);
  if (acrClaim?.essential === true && accepted !== null && accepted.length > 0 && !accepted.includes(ACR_PASSWORD)) {
    return { ok: false, message: `None of the essential acr values can be satisfied; supported: ${ACR_PASSWORD}` };
  }
  const asked = acrValues.length > 0 || accepted !== null;
  return { ok: true, acr: asked ? ACR_PASSWORD : null, amr: [...AMR_PASSWORD] };
}

function pick(user: UserClaims, names: Iterable<string>, into: Record<string, unknown>): void {
  for (const name of names) {
    const value = (user as unknown as Record<string, unknown>)[name];
    if (value !== undefined && value !== null && value !== "") into[name] = value;
  }
}

/** The user claims of userinfo (§5.3.2): those of the scopes, and those requested for userinfo. */
export function userinfoClaims(user: UserClaims, scope: readonly string[], requested: readonly string[] = []): Record<string, unknown> {
  const claims: Record<string, unknown> = { sub: user.sub };
  for (const s of scope) pick(user, SCOPE_CLAIMS[s] ?? [], claims);
  pick(user, requested.filter((name) => scopeOfClaim(name) !== undefined), claims);
  return claims;
}

/** The names a claims request asks userinfo for: what the access token carries to userinfo. */
export function userinfoClaimNames(request: ClaimsRequest): string[] {
  return Object.keys(request.userinfo ?? {}).filter((name) => scopeOfClaim(name) !== undefined);
}

export interface IdTokenClaimsInput {
  scope: readonly string[];
  /** §5.4: scope claims go into the ID token only when no access token is issued. */
  accessTokenIssued: boolean;
  context?: AuthenticationContext | undefined;
}

/** The user and authentication claims of an ID token (everything but the JWT and hash claims). */
export function idTokenUserClaims(user: UserClaims, input: IdTokenClaimsInput): Record<string, unknown> {
  const claims: Record<string, unknown> = { sub: user.sub };
  if (!input.accessTokenIssued) for (const s of input.scope) pick(user, SCOPE_CLAIMS[s] ?? [], claims);
  const request = readClaimsRequest(input.context?.claims);
  pick(user, Object.keys(request.id_token ?? {}).filter((name) => scopeOfClaim(name) !== undefined), claims);
  const context = input.context;
  if (context?.acr) claims.acr = context.acr;
  if (context !== undefined && context.amr.length > 0) claims.amr = [...context.amr];
  return claims;
}
