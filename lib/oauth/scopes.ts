import { InvalidScope } from "./errors";

/** Scopes only meaningful with a signed-in user; never issued to client_credentials. */
export const USER_ONLY_SCOPES: readonly string[] = ["openid", "profile", "email", "address", "phone", "offline_access"];

// RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

export function isValidScopeToken(token: string): boolean {
  return SCOPE_TOKEN.test(token);
}

/** Space-delimited scope to a list without duplicates, in request order. */
export function parseScope(value: string | undefined): string[] {
  if (value === undefined) return [];
  const scopes: string[] = [];
  for (const token of value.split(" ")) {
    if (token === "") continue;
    if (!isValidScopeToken(token)) throw new InvalidScope("The scope parameter is malformed");
    if (!scopes.includes(token)) scopes.push(token);
  }
  return scopes;
}

export function formatScope(scopes: readonly string[]): string {
  return scopes.join(" ");
}

export function isSubset(scopes: readonly string[], of: readonly string[]): boolean {
  return scopes.every((s) => of.includes(s));
}

export function missingScopes(required: readonly string[], granted: readonly string[]): string[] {
  return required.filter((s) => !granted.includes(s));
}

/**
 * Whether tokens for `scope` may come with a refresh token, for a client that has the
 * refresh_token grant: with openid only when offline_access was granted (OIDC Core §11);
 * plain OAuth always (RFC 6749 §1.5).
 */
export function scopeGetsRefreshToken(scope: readonly string[]): boolean {
  return !scope.includes("openid") || scope.includes("offline_access");
}
