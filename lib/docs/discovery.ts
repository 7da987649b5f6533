import "server-only";
import { oauth } from "../server/provider";

/** The fields of the discovery document the docs render; the rest is shown raw. */
export interface DiscoveryDocument {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  userinfo_endpoint: string;
  jwks_uri: string;
  revocation_endpoint: string;
  introspection_endpoint: string;
  service_documentation?: string;
  scopes_supported: string[];
  response_types_supported: string[];
  response_modes_supported: string[];
  grant_types_supported: string[];
  token_endpoint_auth_methods_supported: string[];
  code_challenge_methods_supported: string[];
  id_token_signing_alg_values_supported: string[];
  claims_supported: string[];
  prompt_values_supported: string[];
  [field: string]: unknown;
}

/** The live document, exactly as /.well-known/openid-configuration serves it. */
export async function getDiscovery(): Promise<DiscoveryDocument> {
  const response = await oauth().discovery("openid");
  return JSON.parse(response.body) as DiscoveryDocument;
}

/** The example protected resource that ships with Latchkey. */
export function resourceApiUrl(discovery: DiscoveryDocument): string {
  return `${discovery.issuer}/api/v1/me`;
}

/** Token lifetimes this server is configured with, in seconds. */
export function getTokenLifetimes() {
  const { config } = oauth().context;
  return {
    accessToken: config.accessTokenTtl,
    idToken: config.idTokenTtl,
    refreshToken: config.refreshTokenTtl,
    authorizationCode: config.authorizationCodeTtl,
  };
}

export function formatDuration(seconds: number): string {
  if (seconds % 86_400 === 0) return `${seconds / 86_400} day${seconds === 86_400 ? "" : "s"}`;
  if (seconds % 3600 === 0) return `${seconds / 3600} hour${seconds === 3600 ? "" : "s"}`;
  if (seconds % 60 === 0) return `${seconds / 60} minute${seconds === 60 ? "" : "s"}`;
  return `${seconds} seconds`;
}
