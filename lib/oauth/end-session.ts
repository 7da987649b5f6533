// The end_session_endpoint of OpenID Connect RP-Initiated Logout 1.0: validates the request;
// ending the session, the confirmation page and the redirect are the server's part.
import { compactVerify, type CompactJWSHeaderParameters } from "jose";
import type { OAuthContext } from "./context";
import { InvalidRequest, OAuthError, toOAuthError } from "./errors";
import { pickParams } from "./http";
import { buildRedirectUrl } from "./redirect-uri";
import { JWS_ALGS } from "./store";

/** What the endpoint needs to know about an app. */
export interface LogoutClient {
  id: string;
  postLogoutRedirectUris: string[];
  /** False while suspended or revoked: the user is still signed out, but never sent back to it. */
  active: boolean;
}

export type LogoutClientLookup = (clientId: string) => Promise<LogoutClient | null>;

export interface EndSessionRequest {
  clientId: string | null;
  /** Registered for `clientId` (exact match, §3); null: no redirect after logout. */
  postLogoutRedirectUri: string | null;
  state: string | null;
  /** The subject and session of a verified id_token_hint. */
  hint: { sub: string; sid: string | null } | null;
}

export type EndSessionValidation = { type: "ok"; request: EndSessionRequest } | { type: "error"; error: OAuthError };

const PARAMS = ["id_token_hint", "client_id", "post_logout_redirect_uri", "state", "logout_hint", "ui_locales"] as const;

const decoder = new TextDecoder();

/**
 * An ID token this server issued, verified against its published keys. Expired tokens are
 * accepted (§2: the OP SHOULD accept them); access and logout tokens are not ID tokens.
 */
export async function verifyIdTokenHint(ctx: OAuthContext, token: string): Promise<{ sub: string; aud: string; sid: string | null }> {
  const invalid = (debug: string) =>
    new InvalidRequest("id_token_hint is not a valid ID token issued by this server", { redirectable: false, debug });
  let header: CompactJWSHeaderParameters;
  let payload: Uint8Array;
  try {
    ({ protectedHeader: header, payload } = await compactVerify(
      token,
      async (h) => {
        const key = typeof h.kid === "string" ? await ctx.keys.getVerificationKey(h.kid) : null;
        if (key === null || key.alg !== h.alg) throw new Error(`no published key ${h.kid} for ${h.alg}`);
        return key.publicKey;
      },
      { algorithms: [...JWS_ALGS] },
    ));
  } catch (err) {
    throw invalid(String((err as Error).message));
  }
  if (header.typ !== undefined && header.typ.toUpperCase() !== "JWT") throw invalid(`typ ${header.typ}`);
  let claims: Record<string, unknown>;
  try {
    claims = JSON.parse(decoder.decode(payload)) as Record<string, unknown>;
  } catch {
    throw invalid("payload is not JSON");
  }
  if (claims.iss !== ctx.config.issuer) throw invalid(`iss ${String(claims.iss)}`);
  if (typeof claims.sub !== "string" || claims.sub === "") throw invalid("no sub");
  const aud = Array.isArray(claims.aud) ? (typeof claims.azp === "string" ? claims.azp : claims.aud.length === 1 ? claims.aud[0] : null) : claims.aud;
  if (typeof aud !== "string" || aud === "") throw invalid("no single audience");
  return { sub: claims.sub, aud, sid: typeof claims.sid === "string" ? claims.sid : null };
}

/** Validates an RP-initiated logout request (RP-Initiated Logout 1.0 §2, §3, §4). */
export async function validateEndSessionRequest(
  ctx: OAuthContext,
  params: URLSearchParams,
  getClient: LogoutClientLookup,
): Promise<EndSessionValidation> {
  try {
    let p: Partial<Record<(typeof PARAMS)[number], string>>;
    try {
      p = pickParams(params, PARAMS);
    } catch (err) {
      throw new InvalidRequest(toOAuthError(err).description, { redirectable: false });
    }
    const hint = p.id_token_hint !== undefined ? await verifyIdTokenHint(ctx, p.id_token_hint) : null;
    // §2: when both are sent, client_id must be the ID token's client.
    if (p.client_id !== undefined && hint !== null && p.client_id !== hint.aud) {
      throw new InvalidRequest("client_id does not match the client of id_token_hint", { redirectable: false });
    }
    const clientId = p.client_id ?? hint?.aud ?? null;
    const client = clientId === null ? null : await getClient(clientId);
    if (clientId !== null && client === null) {
      throw new InvalidRequest("Unknown client", { redirectable: false, debug: `client_id=${clientId}` });
    }
    let postLogoutRedirectUri: string | null = null;
    if (p.post_logout_redirect_uri !== undefined) {
      if (client === null) {
        throw new InvalidRequest("post_logout_redirect_uri needs id_token_hint or client_id to identify the app", { redirectable: false });
      }
      // §3: never redirect to a URI the app did not register, compared exactly.
      if (!client.postLogoutRedirectUris.includes(p.post_logout_redirect_uri)) {
        throw new InvalidRequest("post_logout_redirect_uri is not registered for this app", {
          redirectable: false,
          debug: `post_logout_redirect_uri=${p.post_logout_redirect_uri}`,
        });
      }
      // A suspended or revoked app is sent nobody: this server must not keep redirecting for it.
      if (client.active) postLogoutRedirectUri = p.post_logout_redirect_uri;
    }
    return {
      type: "ok",
      request: {
        clientId,
        postLogoutRedirectUri,
        state: p.state ?? null,
        hint: hint && { sub: hint.sub, sid: hint.sid },
      },
    };
  } catch (err) {
    const error = toOAuthError(err);
    ctx.log?.(error);
    return { type: "error", error };
  }
}

/** Whether the hint names the signed-in user's session, so no confirmation is needed. */
export function hintMatchesSession(request: EndSessionRequest, session: { userId: string; sessionId: string | null }): boolean {
  const { hint } = request;
  if (hint === null || hint.sub !== session.userId) return false;
  return hint.sid === null || hint.sid === session.sessionId;
}

/** Where the browser goes after logout: the registered URI with `state`, or null. */
export function postLogoutRedirectUrl(request: Pick<EndSessionRequest, "postLogoutRedirectUri" | "state">): string | null {
  if (request.postLogoutRedirectUri === null) return null;
  if (request.state === null) return request.postLogoutRedirectUri;
  return buildRedirectUrl(request.postLogoutRedirectUri, "query", { state: request.state ?? undefined });
}
