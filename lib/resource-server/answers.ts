// RFC 6750 §3 error answers of a resource server, with the RFC 9728 §5.1 `resource_metadata`
// parameter that tells an MCP client where to start discovery.

/** A framework-free HTTP answer; `node.ts` writes one to a node:http response. */
export interface ResourceServerAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface ChallengeOptions {
  /** This resource's metadata URL (`protectedResourceMetadataUrl`). */
  resourceMetadata: string;
  /** Scopes the request needs (RFC 6750 §3 `scope`). */
  scope?: readonly string[];
  /** Shown to the client developer; quotes and backslashes are dropped. */
  description?: string;
  realm?: string;
}

// RFC 6750 §3: error_description and scope are limited to %x20-21 / %x23-5B / %x5D-7E.
const quoted = (value: string) => `"${value.replace(/[^\x20\x21\x23-\x5B\x5D-\x7E]/g, "")}"`;

function challenge(error: string | null, options: ChallengeOptions): string {
  const params: [string, string][] = [];
  if (options.realm !== undefined) params.push(["realm", options.realm]);
  if (error !== null) params.push(["error", error]);
  if (error !== null && options.description !== undefined) params.push(["error_description", options.description]);
  if (options.scope !== undefined && options.scope.length > 0) params.push(["scope", options.scope.join(" ")]);
  params.push(["resource_metadata", options.resourceMetadata]);
  return `Bearer ${params.map(([name, value]) => `${name}=${quoted(value)}`).join(", ")}`;
}

const NO_STORE = { "Cache-Control": "no-store" };

function errorAnswer(status: number, error: string, options: ChallengeOptions): ResourceServerAnswer {
  const body: Record<string, string> = { error };
  if (options.description !== undefined) body.error_description = options.description;
  return {
    status,
    headers: { "Content-Type": "application/json", ...NO_STORE, "WWW-Authenticate": challenge(error, options) },
    body: JSON.stringify(body),
  };
}

/** 401 for a request without bearer credentials: no error code (RFC 6750 §3.1). */
export function missingCredentials(options: ChallengeOptions): ResourceServerAnswer {
  return { status: 401, headers: { ...NO_STORE, "WWW-Authenticate": challenge(null, options) }, body: "" };
}

/** 401 invalid_token: expired, revoked, malformed, or issued for another resource. */
export function invalidToken(options: ChallengeOptions): ResourceServerAnswer {
  return errorAnswer(401, "invalid_token", options);
}

/**
 * 403 insufficient_scope. `scope` names the scopes this request needs: an MCP client asks
 * for them in a new authorization request (step-up).
 */
export function insufficientScope(options: ChallengeOptions & { scope: readonly string[] }): ResourceServerAnswer {
  return errorAnswer(403, "insufficient_scope", options);
}

/** 503 when the authorization server's keys cannot be loaded: the token may well be valid. */
export function keysUnavailable(): ResourceServerAnswer {
  return {
    status: 503,
    headers: { "Content-Type": "application/json", ...NO_STORE, "Retry-After": "5" },
    body: JSON.stringify({ error: "temporarily_unavailable", error_description: "The signing keys could not be loaded" }),
  };
}
