import type { OAuthContext } from "./context";
import { InvalidClient, InvalidRequest } from "./errors";
import { parseBasicAuth, type OAuthRequest } from "./http";
import type { ClientRecord } from "./store";
import { hashToken, safeEqual } from "./tokens";

export type ClientAuthMethod = "client_secret_basic" | "client_secret_post" | "none";

export interface AuthenticatedClient {
  client: ClientRecord;
  method: ClientAuthMethod;
}

/** Body parameters client authentication reads; callers pick them with their own. */
export const CLIENT_AUTH_PARAMS = ["client_id", "client_secret", "client_assertion", "client_assertion_type"] as const;

/** Authenticates the client of a token, revocation or introspection request (RFC 6749 §2.3). */
export async function authenticateClient(
  ctx: OAuthContext,
  req: OAuthRequest,
  params: Partial<Record<string, string>>,
): Promise<AuthenticatedClient> {
  const realm = ctx.config.issuer;
  // RFC 7235 §3.1: every 401 names a scheme the client can use, whichever method it tried.
  const challenge = { wwwAuthenticate: `Basic realm="${realm}"` };
  const basic = parseBasicAuth(req.headers.get("authorization"), realm);
  const bodyId = params.client_id;
  const bodySecret = params.client_secret;

  if (params.client_assertion !== undefined || params.client_assertion_type !== undefined) {
    throw new InvalidClient("Client assertions are not supported", challenge);
  }
  if (basic !== null && bodySecret !== undefined) {
    throw new InvalidRequest("Use only one client authentication method");
  }
  if (basic !== null && bodyId !== undefined && bodyId !== basic.clientId) {
    throw new InvalidRequest("client_id does not match the Authorization header");
  }

  let clientId: string;
  let secret: string | null;
  let method: ClientAuthMethod;
  if (basic !== null) {
    clientId = basic.clientId;
    secret = basic.clientSecret;
    method = "client_secret_basic";
  } else if (bodyId === undefined) {
    throw new InvalidClient("Client authentication is required", challenge);
  } else {
    clientId = bodyId;
    secret = bodySecret ?? null;
    method = secret === null ? "none" : "client_secret_post";
  }

  const client = await ctx.store.getClient(clientId);
  if (client === null) throw new InvalidClient("Client authentication failed", { debug: `unknown client ${clientId}`, ...challenge });
  if (client.status !== "active") throw new InvalidClient("The client is not active", { debug: `client status ${client.status}`, ...challenge });

  if (client.type === "public") {
    if (secret !== null) throw new InvalidClient("Client authentication failed", { debug: "public client sent a secret", ...challenge });
    return { client, method };
  }
  if (secret === null) throw new InvalidClient("Client authentication is required", { debug: `client_id=${clientId} method=${method}`, ...challenge });
  if (!checkSecret(ctx, client, secret)) throw new InvalidClient("Client authentication failed", { debug: "secret mismatch", ...challenge });
  return { client, method };
}

function checkSecret(ctx: OAuthContext, client: ClientRecord, secret: string): boolean {
  const now = ctx.now();
  const hash = hashToken(secret);
  let matchedId: string | null = null;
  for (const candidate of client.secrets) {
    if (candidate.revokedAt !== null && candidate.revokedAt <= now) continue;
    if (candidate.expiresAt !== null && candidate.expiresAt <= now) continue;
    if (safeEqual(hash, candidate.hash)) matchedId = candidate.id;
  }
  if (matchedId === null) return false;
  ctx.store.markSecretUsed(matchedId, now);
  return true;
}
