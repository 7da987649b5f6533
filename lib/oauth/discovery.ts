import { ACR_VALUES_SUPPORTED, CLAIMS_SUPPORTED } from "./claims";
import { endpointUrl, type OAuthContext } from "./context";
import { DEVICE_CODE_GRANT_TYPE } from "./device-authorization";
import { publicJson, type OAuthResponse } from "./http";
import { JWS_ALGS } from "./store";

export type DiscoveryKind = "oauth" | "openid";

/** RFC 8414 / OpenID Connect Discovery 1.0 metadata; both documents carry the same fields. */
export async function buildMetadata(ctx: OAuthContext): Promise<Record<string, unknown>> {
  const { config } = ctx;
  const url = (path: string) => endpointUrl(config, path);
  const oauth21 = config.profile === "oauth2.1";
  const features = (await ctx.features?.()) ?? { registration: false, clientIdMetadataDocuments: false };
  // Legacy grants are advertised only while some app may really use them.
  const implicit = !oauth21 && features.implicit === true;
  const password = !oauth21 && features.password === true;
  const metadata: Record<string, unknown> = {
    issuer: config.issuer,
    authorization_endpoint: url(config.paths.authorization),
    token_endpoint: url(config.paths.token),
    jwks_uri: url(config.paths.jwks),
    userinfo_endpoint: url(config.paths.userinfo),
    revocation_endpoint: url(config.paths.revocation),
    introspection_endpoint: url(config.paths.introspection),
    device_authorization_endpoint: url(config.paths.deviceAuthorization),
    end_session_endpoint: url(config.paths.endSession),
    scopes_supported: await ctx.scopesSupported(),
    response_types_supported: implicit ? ["code", "token"] : ["code"],
    response_modes_supported: ["query", "fragment"],
    grant_types_supported: [
      "authorization_code",
      "refresh_token",
      "client_credentials",
      DEVICE_CODE_GRANT_TYPE,
      ...(implicit ? ["implicit"] : []),
      ...(password ? ["password"] : []),
    ],
    token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post", "none"],
    revocation_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post", "none"],
    introspection_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
    code_challenge_methods_supported: ["S256"],
    subject_types_supported: ["public"],
    id_token_signing_alg_values_supported: await signingAlgorithms(ctx),
    claims_supported: [...CLAIMS_SUPPORTED],
    acr_values_supported: [...ACR_VALUES_SUPPORTED],
    prompt_values_supported: ["none", "login", "consent"],
    authorization_response_iss_parameter_supported: true,
    claims_parameter_supported: true,
    request_parameter_supported: false,
    // OIDC Discovery defaults this to true.
    request_uri_parameter_supported: false,
    // draft-ietf-oauth-client-id-metadata-document: an https client_id is fetched, not registered.
    client_id_metadata_document_supported: features.clientIdMetadataDocuments,
    // Back-Channel Logout 1.0 §2.1: logout tokens carry sid (and sub).
    backchannel_logout_supported: true,
    backchannel_logout_session_supported: true,
  };
  if (features.registration && config.paths.registration !== undefined) {
    metadata.registration_endpoint = url(config.paths.registration);
  }
  if (config.paths.serviceDocumentation !== undefined) {
    const doc = config.paths.serviceDocumentation;
    metadata.service_documentation = /^https?:\/\//.test(doc) ? doc : url(doc);
  }
  return metadata;
}

export async function handleDiscoveryRequest(ctx: OAuthContext, _kind: DiscoveryKind): Promise<OAuthResponse> {
  return publicJson(await buildMetadata(ctx));
}

/** Only algorithms with a published key, RS256 first (OIDC Discovery §3 requires it). */
async function signingAlgorithms(ctx: OAuthContext): Promise<string[]> {
  const published = new Set((await ctx.keys.getJwks()).keys.map((k) => k.alg));
  return JWS_ALGS.filter((alg) => published.has(alg));
}

/**
 * Keep max-age well below LATCHKEY_KEY_ACTIVATION_DELAY: a rotated key is published that long
 * before it signs, so caches and clients (refetch cooldowns of 30–60 s) have it in time.
 */
export const JWKS_MAX_AGE = 60;

/** The JWKS answer per key set (a new set object on every reload): serialised once, not per request. */
const jwksResponses = new WeakMap<object, OAuthResponse>();

export async function handleJwksRequest(ctx: OAuthContext): Promise<OAuthResponse> {
  const jwks = await ctx.keys.getJwks();
  let response = jwksResponses.get(jwks);
  if (response === undefined) jwksResponses.set(jwks, (response = publicJson(jwks, JWKS_MAX_AGE)));
  return response;
}
