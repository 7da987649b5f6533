export type OAuthErrorCode =
  | "invalid_request"
  | "invalid_client"
  | "invalid_grant"
  | "unauthorized_client"
  | "unsupported_grant_type"
  | "invalid_scope"
  | "invalid_target"
  | "access_denied"
  | "unsupported_response_type"
  | "server_error"
  | "temporarily_unavailable"
  | "login_required"
  | "consent_required"
  | "interaction_required"
  | "invalid_token"
  | "insufficient_scope"
  | "invalid_redirect_uri"
  | "unsupported_token_type"
  | "request_not_supported"
  | "request_uri_not_supported"
  | "authorization_pending"
  | "slow_down"
  | "expired_token";

export interface OAuthErrorOptions {
  /** Log-only detail; never sent to the client. */
  debug?: string | undefined;
  /** Overrides the code's default HTTP status. */
  status?: number | undefined;
  /** Overrides whether the error may be sent to the client's redirect_uri. */
  redirectable?: boolean | undefined;
  /** Value of a WWW-Authenticate response header. */
  wwwAuthenticate?: string | undefined;
}

export class OAuthError extends Error {
  readonly error: OAuthErrorCode;
  readonly status: number;
  readonly description: string;
  readonly debug: string | undefined;
  readonly redirectable: boolean;
  readonly wwwAuthenticate: string | undefined;

  constructor(
    error: OAuthErrorCode,
    status: number,
    description: string,
    redirectable: boolean,
    options: OAuthErrorOptions = {},
  ) {
    super(`${error}: ${description}`);
    this.name = "OAuthError";
    this.error = error;
    this.status = options.status ?? status;
    this.description = description;
    this.debug = options.debug;
    this.redirectable = options.redirectable ?? redirectable;
    this.wwwAuthenticate = options.wwwAuthenticate;
  }
}

type Options = OAuthErrorOptions;

export class InvalidRequest extends OAuthError {
  constructor(description = "The request is malformed", options?: Options) {
    super("invalid_request", 400, description, true, options);
  }
}

export class InvalidClient extends OAuthError {
  constructor(description = "Client authentication failed", options?: Options) {
    super("invalid_client", 401, description, false, options);
  }
}

export class InvalidGrant extends OAuthError {
  constructor(description = "The grant is invalid", options?: Options) {
    super("invalid_grant", 400, description, false, options);
  }
}

export class UnauthorizedClient extends OAuthError {
  constructor(description = "The client may not use this grant type", options?: Options) {
    super("unauthorized_client", 400, description, true, options);
  }
}

export class UnsupportedGrantType extends OAuthError {
  constructor(description = "The grant type is not supported", options?: Options) {
    super("unsupported_grant_type", 400, description, false, options);
  }
}

export class InvalidScope extends OAuthError {
  constructor(description = "The requested scope is invalid", options?: Options) {
    super("invalid_scope", 400, description, true, options);
  }
}

/** RFC 8707 §2: the resource is unknown, malformed or not allowed for this request. */
export class InvalidTarget extends OAuthError {
  constructor(description = "The requested resource is invalid", options?: Options) {
    super("invalid_target", 400, description, true, options);
  }
}

export class AccessDenied extends OAuthError {
  constructor(description = "The resource owner denied the request", options?: Options) {
    super("access_denied", 403, description, true, options);
  }
}

export class UnsupportedResponseType extends OAuthError {
  constructor(description = "The response type is not supported", options?: Options) {
    super("unsupported_response_type", 400, description, true, options);
  }
}

export class ServerError extends OAuthError {
  constructor(description = "An unexpected error occurred", options?: Options) {
    super("server_error", 500, description, true, options);
  }
}

export class TemporarilyUnavailable extends OAuthError {
  constructor(description = "The server is temporarily unavailable", options?: Options) {
    super("temporarily_unavailable", 503, description, true, options);
  }
}

export class LoginRequired extends OAuthError {
  constructor(description = "The user must sign in", options?: Options) {
    super("login_required", 400, description, true, options);
  }
}

export class ConsentRequired extends OAuthError {
  constructor(description = "The user must consent", options?: Options) {
    super("consent_required", 400, description, true, options);
  }
}

export class InteractionRequired extends OAuthError {
  constructor(description = "User interaction is required", options?: Options) {
    super("interaction_required", 400, description, true, options);
  }
}

export class InvalidToken extends OAuthError {
  constructor(description = "The access token is invalid", options?: Options) {
    super("invalid_token", 401, description, false, options);
  }
}

export class InsufficientScope extends OAuthError {
  constructor(description = "The access token lacks a required scope", options?: Options) {
    super("insufficient_scope", 403, description, false, options);
  }
}

export class InvalidRedirectUri extends OAuthError {
  constructor(description = "The redirect_uri is not registered for this client", options?: Options) {
    super("invalid_redirect_uri", 400, description, false, options);
  }
}

export class UnsupportedTokenType extends OAuthError {
  constructor(description = "The token type is not supported", options?: Options) {
    super("unsupported_token_type", 400, description, false, options);
  }
}

export class RequestNotSupported extends OAuthError {
  constructor(description = "The request parameter is not supported", options?: Options) {
    super("request_not_supported", 400, description, true, options);
  }
}

export class RequestUriNotSupported extends OAuthError {
  constructor(description = "The request_uri parameter is not supported", options?: Options) {
    super("request_uri_not_supported", 400, description, true, options);
  }
}

// RFC 8628 §3.5: the device polls the token endpoint and gets these while the user decides.
export class AuthorizationPending extends OAuthError {
  constructor(description = "The user has not yet completed the authorization", options?: Options) {
    super("authorization_pending", 400, description, false, options);
  }
}

export class SlowDown extends OAuthError {
  constructor(description = "Polling too fast: wait 5 seconds longer between requests", options?: Options) {
    super("slow_down", 400, description, false, options);
  }
}

export class ExpiredToken extends OAuthError {
  constructor(description = "The device_code has expired", options?: Options) {
    super("expired_token", 400, description, false, options);
  }
}

/** Anything that is not an OAuthError becomes a server_error that reveals nothing. */
export function toOAuthError(err: unknown): OAuthError {
  if (err instanceof OAuthError) return err;
  const debug = err instanceof Error ? (err.stack ?? err.message) : String(err);
  return new ServerError(undefined, { debug });
}
