import { endpointUrl, type OAuthContext } from "./context";
import { publicJson, type OAuthResponse } from "./http";

export type DiscoveryKind = "oauth" | "openid";

/** RFC 8414 / OpenID Connect Discovery 1.0 metadata; both documents carry the same fields. */
export async function buildMetadata(ctx: OAuthContext): Promise<Record<string, unknown>> {
  const { config } = ctx;
  const url = (path: string) => endpointUrl(config, path);
  const oauth21 = config.profile === "oauth2.1";
  const features = (await ctx.features?.()) ?? { registration: false, clientIdMetadataDocuments: false };
  const metadata: Record<string, unknown> = {
    issuer: config.issuer,
    authorization_endpoint: url(config.paths.authorization),
    token_endpoint: url(config.paths.token),
    jwks_uri: url(config.paths.jwks),
    userinfo_endpoint: url(config.paths.userinfo),
    revocation_endpoint: url(config.paths.revocation),
    introspection_endpoint: url(config.paths.introspection),
    scopes_supported: await ctx.scopesSupported(),
    response_types_supported: oauth21 ? ["code"] : ["code", "token"],
    response_modes_supported: ["query", "fragment"],
    grant_types_supported: oauth21
      ? ["authorization_code", "refresh_token", "client_credentials"]
      : ["authorization_code", "refresh_token", "client_credentials", "implicit", "password"],
    token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post", "none"],
    revocation_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post", "none"],
    introspection_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
    code_challenge_methods_supported: ["S256"],
    subject_types_supported: ["public"],
    id_token_signing_alg_values_supported: ["ES256"],
    claims_supported: [
      "sub",
      "iss",
      "aud",
      "exp",
      "iat",
      "auth_time",
      "nonce",
      "at_hash",
      "azp",
      "name",
      "updated_at",
      "email",
      "email_verified",
    ],
    prompt_values_supported: ["none", "login", "consent"],
    authorization_response_iss_parameter_supported: true,
    claims_parameter_supported: false,
    request_parameter_supported: false,
    // OIDC Discovery defaults this to true.
    request_uri_parameter_supported: false,
    // draft-ietf-oauth-client-id-metadata-document: an https client_id is fetched, not registered.
    client_id_metadata_document_supported: features.clientIdMetadataDocuments,
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

export async function handleJwksRequest(ctx: OAuthContext): Promise<OAuthResponse> {
  return publicJson(await ctx.keys.getJwks());
}
