// Verifies RFC 9068 JWT access tokens locally against the authorization server's JWKS.
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload } from "jose";
import {
  insufficientScope,
  invalidToken,
  keysUnavailable,
  missingCredentials,
  type ResourceServerAnswer,
} from "./answers";
import { protectedResourceMetadataUrl } from "./metadata";

export interface AccessTokenVerifierOptions {
  /** The authorization server's issuer identifier, exactly as in the tokens' `iss`. */
  issuer: string;
  /** This resource's identifier: tokens whose `aud` does not contain it are refused. */
  audience: string;
  /** Default: Latchkey's `<issuer>/oauth/jwks`. Other servers: `jwks_uri` from their metadata. */
  jwksUri?: string;
  /** Default: ES256 and RS256, what Latchkey signs access tokens with (LATCHKEY_ACCESS_TOKEN_ALG). */
  algorithms?: string[];
  /** Named in every challenge; default: the RFC 9728 well-known URL of `audience`. */
  resourceMetadata?: string;
  /** Seconds of clock skew accepted on `exp` and `nbf`; default 5. */
  clockTolerance?: number;
}

export interface VerifiedAccessToken {
  /** The raw token, for calls made on the user's behalf. */
  token: string;
  /** The user, or the client itself for client_credentials tokens. */
  subject: string;
  clientId: string;
  scopes: string[];
  audience: string[];
  /** Seconds since the epoch. */
  expiresAt: number;
  claims: JWTPayload;
}

export type VerifyFailure = "missing_credentials" | "invalid_token" | "insufficient_scope" | "keys_unavailable";

export type VerifyResult =
  | { ok: true; token: VerifiedAccessToken }
  | { ok: false; error: VerifyFailure; description: string; answer: ResourceServerAnswer };

export interface AccessTokenVerifier {
  readonly audience: string;
  readonly resourceMetadata: string;
  /**
   * Checks `Authorization: Bearer <token>` (RFC 6750 §2.1): signature, `typ` at+jwt, issuer,
   * audience, expiry, then the scopes. On failure, `answer` is the 401/403/503 to send.
   */
  verify(authorization: string | null | undefined, requiredScopes?: readonly string[]): Promise<VerifyResult>;
}

// RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
// RFC 9068 §2.2
const REQUIRED_CLAIMS = ["iss", "exp", "aud", "sub", "client_id", "iat", "jti"];

/**
 * `https://mcp.example.com` and `https://mcp.example.com/` are one resource: Latchkey puts the
 * URL parser's form (with the slash) in `aud`, while MCP recommends configuring the one without.
 */
function audienceSpellings(audience: string): string[] {
  const forms = [audience];
  try {
    const href = new URL(audience).href;
    forms.push(href);
    const url = new URL(href);
    if (url.pathname === "/" && url.search === "") forms.push(href.slice(0, -1));
  } catch {
    // not a URL: compared as is
  }
  return [...new Set(forms)];
}

export function createAccessTokenVerifier(options: AccessTokenVerifierOptions): AccessTokenVerifier {
  const issuer = options.issuer;
  const audience = options.audience;
  const resourceMetadata = options.resourceMetadata ?? protectedResourceMetadataUrl(audience);
  const jwks = createRemoteJWKSet(new URL(options.jwksUri ?? `${issuer.replace(/\/+$/, "")}/oauth/jwks`));
  const algorithms = options.algorithms ?? ["ES256", "RS256"];
  const clockTolerance = options.clockTolerance ?? 5;

  const fail = (error: "invalid_token", description: string): VerifyResult => ({
    ok: false,
    error,
    description,
    answer: invalidToken({ resourceMetadata, description }),
  });

  return {
    audience,
    resourceMetadata,
    async verify(authorization, requiredScopes = []) {
      const space = authorization ? authorization.indexOf(" ") : -1;
      if (!authorization || space === -1 || authorization.slice(0, space).toLowerCase() !== "bearer") {
        const description = "No bearer token";
        return { ok: false, error: "missing_credentials", description, answer: missingCredentials({ resourceMetadata }) };
      }
      const token = authorization.slice(space + 1).trim();
      if (!B64TOKEN.test(token)) return fail("invalid_token", "The access token is malformed");

      let claims: JWTPayload;
      try {
        ({ payload: claims } = await jwtVerify(token, jwks, {
          issuer,
          audience: audienceSpellings(audience),
          typ: "at+jwt", // RFC 9068 §4: never accept an ID token or another JWT as an access token
          algorithms,
          clockTolerance,
          requiredClaims: REQUIRED_CLAIMS,
        }));
      } catch (err) {
        const problem = describeFailure(err);
        if (problem === null) {
          return { ok: false, error: "keys_unavailable", description: "The signing keys could not be loaded", answer: keysUnavailable() };
        }
        return fail("invalid_token", problem);
      }
      if (typeof claims.sub !== "string" || typeof claims.client_id !== "string" || typeof claims.exp !== "number") {
        return fail("invalid_token", "The access token is invalid");
      }

      const scopes = typeof claims.scope === "string" ? claims.scope.split(" ").filter(Boolean) : [];
      const missing = requiredScopes.filter((s) => !scopes.includes(s));
      if (missing.length > 0) {
        const description = "The access token lacks a required scope";
        return {
          ok: false,
          error: "insufficient_scope",
          description,
          answer: insufficientScope({ resourceMetadata, description, scope: requiredScopes }),
        };
      }
      return {
        ok: true,
        token: {
          token,
          subject: claims.sub,
          clientId: claims.client_id,
          scopes,
          audience: Array.isArray(claims.aud) ? claims.aud : [claims.aud as string],
          expiresAt: claims.exp,
          claims,
        },
      };
    },
  };
}

/** Why the token is refused, or null when the fault is ours (keys unreachable). */
function describeFailure(err: unknown): string | null {
  if (err instanceof errors.JWTExpired) return "The access token expired";
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.claim === "aud") return "The access token is for another resource";
    if (err.claim === "iss") return "The access token is from another issuer";
    if (err.claim === "typ") return "The token is not an access token";
    return "The access token is invalid";
  }
  if (
    err instanceof errors.JWSSignatureVerificationFailed ||
    err instanceof errors.JWKSNoMatchingKey ||
    err instanceof errors.JWKSMultipleMatchingKeys ||
    err instanceof errors.JOSEAlgNotAllowed ||
    err instanceof errors.JOSENotSupported ||
    err instanceof errors.JWSInvalid ||
    err instanceof errors.JWTInvalid
  ) {
    return "The access token is invalid";
  }
  return null; // JWKSTimeout, JWKSInvalid, a failed fetch: the authorization server is unreachable
}
