import type { OAuthError } from "./errors";
import type { KeyProvider, OAuthStore } from "./store";

export interface OAuthPaths {
  authorization: string;
  token: string;
  revocation: string;
  introspection: string;
  userinfo: string;
  jwks: string;
  serviceDocumentation?: string;
}

export interface OAuthConfig {
  issuer: string;
  /** The `aud` of every access token. */
  audience: string;
  /** Lifetimes in seconds. */
  accessTokenTtl: number;
  idTokenTtl: number;
  refreshTokenTtl: number;
  authorizationCodeTtl: number;
  paths: OAuthPaths;
}

export interface OAuthContext {
  store: OAuthStore;
  keys: KeyProvider;
  config: OAuthConfig;
  now: () => Date;
  scopesSupported: () => Promise<string[]>;
  log?: (err: OAuthError) => void;
}

export const DEFAULT_PATHS: OAuthPaths = {
  authorization: "/oauth/authorize",
  token: "/oauth/token",
  revocation: "/oauth/revoke",
  introspection: "/oauth/introspect",
  userinfo: "/oauth/userinfo",
  jwks: "/oauth/jwks",
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
    accessTokenTtl: input.accessTokenTtl ?? 3600,
    idTokenTtl: input.idTokenTtl ?? 3600,
    refreshTokenTtl: input.refreshTokenTtl ?? 30 * 24 * 3600,
    authorizationCodeTtl: input.authorizationCodeTtl ?? 60,
    paths: { ...DEFAULT_PATHS, ...input.paths },
  };
}

export function endpointUrl(config: OAuthConfig, path: string): string {
  return config.issuer + path;
}

export function nowSeconds(ctx: OAuthContext): number {
  return Math.floor(ctx.now().getTime() / 1000);
}
