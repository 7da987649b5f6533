import type { OAuthError } from "./errors";
import type { JwsAlg, KeyProvider, OAuthStore } from "./store";

export interface OAuthPaths {
  authorization: string;
  token: string;
  revocation: string;
  introspection: string;
  userinfo: string;
  jwks: string;
  /** RFC 8628 device authorization endpoint, and the page where the user enters the code. */
  deviceAuthorization: string;
  deviceVerification: string;
  /** RP-Initiated Logout 1.0 end_session_endpoint. */
  endSession: string;
  /** RFC 7591 dynamic registration; advertised only while registration is allowed. */
  registration?: string;
  serviceDocumentation?: string;
}

/** What the server offers right now (admins change these at run time). */
export interface OAuthFeatures {
  /** RFC 7591 registration is open to some clients. */
  registration: boolean;
  /** Client ID metadata documents are accepted. */
  clientIdMetadataDocuments: boolean;
  /** Some active app may use the implicit grant (off by default: RFC 9700 §2.1.2). */
  implicit?: boolean;
  /** Some active app may use the password grant (off by default: RFC 9700 §2.4). */
  password?: boolean;
}

/** "oauth2.1": no implicit or password grant, PKCE for every client (OAuth 2.1 §4.1.1, §10). */
export type OAuthProfile = "default" | "oauth2.1";

export interface OAuthConfig {
  issuer: string;
  /** The `aud` of access tokens requested without a resource indicator (RFC 8707). */
  audience: string;
  /** Scopes granted when a request names none and the client has no default set (RFC 6749 §3.3). */
  defaultScopes: string[];
  profile: OAuthProfile;
  /** Lifetimes in seconds. */
  accessTokenTtl: number;
  idTokenTtl: number;
  refreshTokenTtl: number;
  authorizationCodeTtl: number;
  /** What access tokens are signed with (ID tokens: the client's choice, else RS256). */
  accessTokenAlg: JwsAlg;
  paths: OAuthPaths;
}

export interface OAuthContext {
  store: OAuthStore;
  keys: KeyProvider;
  config: OAuthConfig;
  now: () => Date;
  scopesSupported: () => Promise<string[]>;
  /** Defaults to neither registration nor metadata documents. */
  features?: () => Promise<OAuthFeatures>;
  log?: (err: OAuthError) => void;
  /**
   * The password grant's check of a user's password (RFC 6749 §4.3.2: the server MUST protect
   * it against brute force): the user's id, null for a wrong username or password, or an
   * OAuthError while the account or address is locked out. Without it, the store's
   * unthrottled check (for embedding and tests of the core alone).
   */
  signInWithPassword?: (username: string, password: string, caller: { clientId: string; clientIp: string | null }) => Promise<string | null>;
}

export const DEFAULT_PATHS: OAuthPaths = {
  authorization: "/oauth/authorize",
  token: "/oauth/token",
  revocation: "/oauth/revoke",
  introspection: "/oauth/introspect",
  userinfo: "/oauth/userinfo",
  jwks: "/oauth/jwks",
  deviceAuthorization: "/oauth/device_authorization",
  deviceVerification: "/device",
  endSession: "/oauth/logout",
};

export type OAuthConfigInput = { issuer: string } & Partial<Omit<OAuthConfig, "issuer" | "paths">> & {
  paths?: Partial<OAuthPaths>;
};

/** A config with defaults: 1 h access and ID tokens, 30 d refresh tokens, 60 s codes. */
export function createOAuthConfig(input: OAuthConfigInput): OAuthConfig {
  const issuer = input.issuer.replace(/\/+$/, "");
  return {
    issuer,
    audience: input.audience ?? issuer,
    defaultScopes: input.defaultScopes ?? [],
    profile: input.profile ?? "default",
    accessTokenTtl: input.accessTokenTtl ?? 3600,
    idTokenTtl: input.idTokenTtl ?? 3600,
    refreshTokenTtl: input.refreshTokenTtl ?? 30 * 24 * 3600,
    authorizationCodeTtl: input.authorizationCodeTtl ?? 60,
    accessTokenAlg: input.accessTokenAlg ?? "ES256",
    paths: { ...DEFAULT_PATHS, ...input.paths },
  };
}

export function endpointUrl(config: OAuthConfig, path: string): string {
  return config.issuer + path;
}

export function nowSeconds(ctx: OAuthContext): number {
  return Math.floor(ctx.now().getTime() / 1000);
}
