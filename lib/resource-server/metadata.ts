// RFC 9728 protected resource metadata: how a client finds the authorization server of a
// resource (an API or an MCP server) and what to ask it for.
import type { ResourceServerAnswer } from "./answers";

export interface ProtectedResourceMetadataInput {
  /** The resource identifier: the `resource` clients send and the `aud` of its tokens. */
  resource: string;
  /** Issuer identifiers of the authorization servers that issue tokens for it. */
  authorizationServers: readonly string[];
  scopesSupported?: readonly string[];
  resourceName?: string;
  resourceDocumentation?: string;
  resourcePolicyUri?: string;
  resourceTosUri?: string;
  /** How the resource accepts a token (RFC 6750 §2); default: the Authorization header only. */
  bearerMethodsSupported?: readonly ("header" | "body" | "query")[];
}

/** The RFC 9728 §2 document, as served. */
export interface ProtectedResourceMetadata {
  resource: string;
  authorization_servers: string[];
  bearer_methods_supported: string[];
  scopes_supported?: string[];
  resource_name?: string;
  resource_documentation?: string;
  resource_policy_uri?: string;
  resource_tos_uri?: string;
}

function checkResource(resource: string): URL {
  if (!URL.canParse(resource)) throw new TypeError(`resource must be an absolute URL: ${resource}`);
  const url = new URL(resource);
  if (resource.includes("#")) throw new TypeError("resource must not contain a fragment (RFC 9728 §1.2)");
  return url;
}

export function protectedResourceMetadata(input: ProtectedResourceMetadataInput): ProtectedResourceMetadata {
  checkResource(input.resource);
  const doc: ProtectedResourceMetadata = {
    resource: input.resource,
    authorization_servers: [...input.authorizationServers],
    bearer_methods_supported: [...(input.bearerMethodsSupported ?? ["header"])],
  };
  if (input.scopesSupported !== undefined) doc.scopes_supported = [...input.scopesSupported];
  if (input.resourceName !== undefined) doc.resource_name = input.resourceName;
  if (input.resourceDocumentation !== undefined) doc.resource_documentation = input.resourceDocumentation;
  if (input.resourcePolicyUri !== undefined) doc.resource_policy_uri = input.resourcePolicyUri;
  if (input.resourceTosUri !== undefined) doc.resource_tos_uri = input.resourceTosUri;
  return doc;
}

/**
 * Where a resource's metadata is served (RFC 9728 §3.1): the well-known path goes between
 * the host and the resource's path, a lone "/" path dropped, the query kept.
 * `https://mcp.example.com/mcp` → `https://mcp.example.com/.well-known/oauth-protected-resource/mcp`.
 */
export function protectedResourceMetadataUrl(resource: string): string {
  const url = checkResource(resource);
  const path = url.pathname === "/" ? "" : url.pathname;
  return `${url.origin}/.well-known/oauth-protected-resource${path}${url.search}`;
}

/** The metadata as a 200 answer any origin may read (browser-based MCP clients fetch it). */
export function metadataAnswer(doc: ProtectedResourceMetadata, maxAgeSeconds = 300): ResourceServerAnswer {
  return {
    status: 200,
    headers: {
      "Content-Type": "application/json",
      "Cache-Control": `public, max-age=${maxAgeSeconds}`,
      "Access-Control-Allow-Origin": "*",
    },
    body: JSON.stringify(doc),
  };
}
