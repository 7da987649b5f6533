/**
 * A resource server's side of OAuth, for an API or an MCP server that accepts Latchkey's
 * access tokens. Self-contained (jose and node built-ins only): copy this folder.
 *
 * ```ts
 * const resource = "https://mcp.example.com/mcp";
 * const verifier = createAccessTokenVerifier({ issuer: "https://auth.example.com", audience: resource });
 * const metadata = protectedResourceMetadata({ resource, authorizationServers: ["https://auth.example.com"] });
 *
 * // GET /.well-known/oauth-protected-resource/mcp  (protectedResourceMetadataUrl(resource))
 * sendAnswer(res, metadataAnswer(metadata));
 * // every request to the resource
 * const token = await authenticateRequest(verifier, req, res, ["notes:read"]);
 * if (!token) return; // 401 or 403 sent, with WWW-Authenticate: Bearer resource_metadata="…"
 * ```
 *
 * Tokens are checked locally (signature, typ, issuer, audience, expiry, scopes), so a revoked
 * token keeps working until it expires; for instant revocation ask the introspection
 * endpoint (RFC 7662) instead, or keep access tokens short-lived.
 */
export {
  insufficientScope,
  invalidToken,
  keysUnavailable,
  missingCredentials,
  type ChallengeOptions,
  type ResourceServerAnswer,
} from "./answers";
export {
  metadataAnswer,
  protectedResourceMetadata,
  protectedResourceMetadataUrl,
  type ProtectedResourceMetadata,
  type ProtectedResourceMetadataInput,
} from "./metadata";
export { authenticateRequest, sendAnswer } from "./node";
export {
  createAccessTokenVerifier,
  type AccessTokenVerifier,
  type AccessTokenVerifierOptions,
  type VerifiedAccessToken,
  type VerifyFailure,
  type VerifyResult,
} from "./verifier";
