import { signAccessToken } from "./access-token";
import type { OAuthContext } from "./context";
import {
  AccessDenied,
  ConsentRequired,
  InvalidClient,
  InvalidRedirectUri,
  InvalidRequest,
  InvalidScope,
  LoginRequired,
  OAuthError,
  RequestNotSupported,
  RequestUriNotSupported,
  UnauthorizedClient,
  UnsupportedResponseType,
  toOAuthError,
} from "./errors";
import { pickParams } from "./http";
import { isValidCodeChallenge } from "./pkce";
import { verifyIdTokenHint } from "./end-session";
import { buildRedirectUrl, matchesRegisteredRedirectUri } from "./redirect-uri";
import { resolveResources } from "./resource";
import { formatScope, isSubset, parseScope } from "./scopes";
import type { ClientRecord, GrantRecord } from "./store";
import { newAuthorizationCode } from "./tokens";
import {
  authenticationContextFor,
  limitClaimsRequest,
  parseClaimsRequest,
  readClaimsRequest,
  scopesToConsent,
  serializeClaimsRequest,
  userinfoClaimNames,
} from "./claims";

export type ResponseType = "code" | "token";
export type ResponseMode = "query" | "fragment";
export type Prompt = "none" | "login" | "consent";

/** A validated authorization request; plain JSON so it can be kept between requests. */
export interface AuthorizationRequest {
  clientId: string;
  redirectUri: string;
  /** The request named no redirect_uri (the client's only one is used): the token request need not name it either (RFC 6749 §4.1.3). */
  redirectUriOmitted?: true;
  responseType: ResponseType;
  responseMode: ResponseMode;
  scope: string[];
  /** RFC 8707 resource indicators, each a registered API (empty: the default audience). */
  resource: string[];
  state?: string;
  nonce?: string;
  codeChallenge?: string;
  codeChallengeMethod?: "S256";
  prompt: Prompt[];
  maxAge?: number;
  loginHint?: string;
  /** The subject of a verified id_token_hint: only that user may be answered (OIDC Core §3.1.2.1). */
  idTokenHintSub?: string;
  /** An id_token_hint that no longer verifies (its key left JWKS): with prompt=none, login_required. */
  idTokenHintStale?: true;
  /** OIDC Core §3.1.2.1 acr_values, in order of preference. */
  acrValues?: string[];
  /** OIDC Core §5.5 claims request, normalized JSON (only claims the client may be given). */
  claims?: string;
  /** ISO 8601. */
  createdAt: string;
}

export type ValidationResult =
  | { type: "error_page"; error: OAuthError }
  | { type: "redirect"; url: string; error: OAuthError }
  | { type: "ok"; request: AuthorizationRequest; client: ClientRecord };

export interface AuthorizationSession {
  userId: string;
  authTime: Date;
  /** The OP session (`sid`) the code or token is issued in; absent: none. */
  sessionId?: string | null;
}

export interface DecideInput {
  session: AuthorizationSession | null;
  /** The session user's grant for this client, if any. */
  grant: GrantRecord | null;
  /** The user signed in again for this request (satisfies prompt=login and max_age). */
  loginFresh?: boolean;
}

export type Decision =
  | { type: "login" }
  | { type: "consent"; newScopes: string[] }
  /** `issued`: a code or token went to the client (not an error). */
  | { type: "redirect"; url: string; issued?: boolean }
  /** The app was suspended or its redirect URI removed since the request was checked: no redirect. */
  | { type: "error_page"; error: OAuthError };

const PARAMS = [
  "client_id",
  "redirect_uri",
  "response_type",
  "response_mode",
  "scope",
  "state",
  "nonce",
  "code_challenge",
  "code_challenge_method",
  "prompt",
  "max_age",
  "login_hint",
  "id_token_hint",
  "acr_values",
  "claims",
  "request",
  "request_uri",
] as const;

const PROMPTS: readonly string[] = ["none", "login", "consent"];

function errorPage(error: OAuthError): ValidationResult {
  return { type: "error_page", error };
}

/**
 * Validates an authorization request (RFC 6749 §4.1.1, §4.2.1, OIDC Core §3.1.2.1).
 * Errors about the client or the redirect_uri are never redirected (RFC 6749 §4.1.2.1).
 */
export async function validateAuthorizationRequest(
  ctx: OAuthContext,
  params: URLSearchParams,
): Promise<ValidationResult> {
  let target: { client_id?: string | undefined; redirect_uri?: string | undefined };
  try {
    target = pickParams(params, ["client_id", "redirect_uri"]);
  } catch (err) {
    return errorPage(new InvalidRequest(toOAuthError(err).description, { redirectable: false }));
  }
  if (target.client_id === undefined) {
    return errorPage(new InvalidRequest("client_id is required", { redirectable: false }));
  }
  let client: ClientRecord | null;
  try {
    client = await ctx.store.getClient(target.client_id);
  } catch (err) {
    // A metadata-document client whose document could not be used (never redirected: the
    // redirect URIs come from that document).
    return errorPage(toOAuthError(err));
  }
  if (client === null) {
    return errorPage(new InvalidClient("Unknown client", { status: 400, debug: `client_id=${target.client_id}` }));
  }
  if (client.status !== "active") {
    return errorPage(new InvalidClient("This application is not active", { status: 400 }));
  }
  let redirectUri: string;
  if (target.redirect_uri !== undefined) {
    if (!matchesRegisteredRedirectUri(client.redirectUris, target.redirect_uri)) {
      return errorPage(new InvalidRedirectUri(undefined, { debug: `redirect_uri=${target.redirect_uri}` }));
    }
    redirectUri = target.redirect_uri;
  } else {
    const only = client.redirectUris.length === 1 ? client.redirectUris[0] : undefined;
    if (only === undefined) {
      return errorPage(new InvalidRequest("redirect_uri is required", { redirectable: false }));
    }
    redirectUri = only;
  }

  const rawType = params.get("response_type");
  const rawMode = params.get("response_mode");
  // Multiple Response Type Encoding Practices §5: a response type that returns a token or an ID
  // token answers in the fragment by default, errors included (even response types we refuse).
  const returnsToken = rawType !== null && rawType.split(" ").some((t) => t === "token" || t === "id_token");
  const errorMode: ResponseMode = returnsToken || rawMode === "fragment" ? "fragment" : "query";
  const rawState = params.get("state");
  const fail = (error: OAuthError): ValidationResult => ({
    type: "redirect",
    error,
    url: errorRedirectUrl(ctx, redirectUri, errorMode, error, rawState === null || rawState === "" ? undefined : rawState),
  });

  try {
    const request = await parseRequest(ctx, client, redirectUri, params);
    if (target.redirect_uri === undefined) request.redirectUriOmitted = true;
    return { type: "ok", client, request };
  } catch (err) {
    const error = toOAuthError(err);
    ctx.log?.(error);
    return fail(error);
  }
}

async function parseRequest(
  ctx: OAuthContext,
  client: ClientRecord,
  redirectUri: string,
  params: URLSearchParams,
): Promise<AuthorizationRequest> {
  const p = pickParams(params, PARAMS);
  const oauth21 = ctx.config.profile === "oauth2.1";
  if (p.request !== undefined) throw new RequestNotSupported();
  if (p.request_uri !== undefined) throw new RequestUriNotSupported();

  if (p.response_type === undefined) throw new InvalidRequest("response_type is required");
  if (p.response_type !== "code" && p.response_type !== "token") {
    throw new UnsupportedResponseType(`Unsupported response_type ${p.response_type}`);
  }
  const responseType: ResponseType = p.response_type;
  if (responseType === "code" && !client.grantTypes.includes("authorization_code")) {
    throw new UnauthorizedClient("The client may not use the authorization code flow");
  }
  if (responseType === "token" && oauth21) {
    throw new UnsupportedResponseType("The implicit flow is not offered by this server (OAuth 2.1)");
  }
  if (responseType === "token" && !client.grantTypes.includes("implicit")) {
    throw new UnauthorizedClient("The client may not use the implicit flow");
  }

  let responseMode: ResponseMode = responseType === "token" ? "fragment" : "query";
  if (p.response_mode !== undefined) {
    if (p.response_mode !== "query" && p.response_mode !== "fragment") {
      throw new InvalidRequest(`Unsupported response_mode ${p.response_mode}`);
    }
    // OAuth 2.0 Multiple Response Type Encoding Practices §2.1: tokens never go in the query.
    if (responseType === "token" && p.response_mode === "query") {
      throw new InvalidRequest("response_mode=query is not allowed with response_type=token");
    }
    responseMode = p.response_mode;
  }

  const scope = requestedOrDefaultScope(ctx, client, p.scope);
  const refused = scope.filter((s) => !client.scopes.includes(s));
  if (refused.length > 0) throw new InvalidScope(`Scope not allowed: ${refused.join(" ")}`);
  const resource = (await resolveResources(ctx, params.getAll("resource"))).map((api) => api.identifier);

  const request: AuthorizationRequest = {
    clientId: client.id,
    redirectUri,
    responseType,
    responseMode,
    scope,
    resource,
    prompt: parsePrompt(p.prompt),
    createdAt: ctx.now().toISOString(),
  };

  if (responseType === "code") {
    if (p.code_challenge !== undefined) {
      if (p.code_challenge_method === undefined) {
        throw new InvalidRequest("code_challenge_method is required and must be S256");
      }
      if (p.code_challenge_method !== "S256") {
        throw new InvalidRequest("code_challenge_method must be S256");
      }
      if (!isValidCodeChallenge(p.code_challenge)) throw new InvalidRequest("code_challenge is malformed");
      request.codeChallenge = p.code_challenge;
      request.codeChallengeMethod = "S256";
    } else if (p.code_challenge_method !== undefined) {
      throw new InvalidRequest("code_challenge_method sent without code_challenge");
    } else if (client.type === "public") {
      throw new InvalidRequest("PKCE required: public clients must send code_challenge");
    } else if (oauth21) {
      throw new InvalidRequest("PKCE required: this server requires code_challenge from every client (OAuth 2.1)");
    }
  }

  if (p.max_age !== undefined) {
    if (!/^\d{1,10}$/.test(p.max_age)) throw new InvalidRequest("max_age must be a non-negative integer");
    request.maxAge = Number(p.max_age);
  }
  if (p.state !== undefined) request.state = p.state;
  if (p.nonce !== undefined) request.nonce = p.nonce;
  if (p.login_hint !== undefined) request.loginHint = p.login_hint;
  if (p.id_token_hint !== undefined) {
    // Expired ID tokens are fine as hints. One that does not verify (an old one whose key left
    // JWKS, or a forgery) names nobody we can trust: a silent request cannot be answered, an
    // interactive one goes on as without a hint (a hint only narrows who may be answered).
    const hint = await verifyIdTokenHint(ctx, p.id_token_hint).catch(() => null);
    if (hint === null) request.idTokenHintStale = true;
    else request.idTokenHintSub = hint.sub;
  }
  let acrValues: string[];
  try {
    acrValues = parseScope(p.acr_values); // space-separated like scope (OIDC Core §3.1.2.1)
  } catch {
    throw new InvalidRequest("acr_values is malformed");
  }
  if (acrValues.length > 0) request.acrValues = acrValues;
  if (p.claims !== undefined) {
    const claims = serializeClaimsRequest(limitClaimsRequest(parseClaimsRequest(p.claims), client.scopes));
    if (claims !== null) request.claims = claims;
  }
  const context = authenticationContextFor(acrValues, readClaimsRequest(request.claims));
  if (!context.ok) throw new AccessDenied(context.message);
  return request;
}

/**
 * The requested scope, or when the request names none (RFC 6749 §3.3): the client's default
 * scopes, else the server's default scopes the client may use. MCP clients send no scope
 * when the metadata they read names none.
 */
export function requestedOrDefaultScope(ctx: OAuthContext, client: ClientRecord, raw: string | undefined): string[] {
  const requested = parseScope(raw);
  if (requested.length > 0) return requested;
  const defaults =
    client.defaultScopes.length > 0
      ? client.defaultScopes.filter((s) => client.scopes.includes(s))
      : ctx.config.defaultScopes.filter((s) => client.scopes.includes(s));
  if (defaults.length === 0) throw new InvalidScope("scope is required: this application has no default scopes");
  return defaults;
}

function parsePrompt(value: string | undefined): Prompt[] {
  if (value === undefined) return [];
  const prompts: Prompt[] = [];
  for (const token of value.split(" ")) {
    if (token === "") continue;
    if (!PROMPTS.includes(token)) throw new InvalidRequest(`Unsupported prompt value ${token}`);
    if (!prompts.includes(token as Prompt)) prompts.push(token as Prompt);
  }
  // OIDC Core §3.1.2.1: none with any other value is an error.
  if (prompts.includes("none") && prompts.length > 1) {
    throw new InvalidRequest("prompt=none cannot be combined with other values");
  }
  return prompts;
}

function errorRedirectUrl(
  ctx: OAuthContext,
  redirectUri: string,
  mode: ResponseMode,
  error: OAuthError,
  state: string | undefined,
): string {
  return buildRedirectUrl(redirectUri, mode, {
    error: error.error,
    error_description: error.description,
    state,
    iss: ctx.config.issuer,
  });
}

/** An error sent back to the client's redirect_uri, with state and iss (RFC 9207). */
export function authorizationErrorUrl(ctx: OAuthContext, request: AuthorizationRequest, error: OAuthError): string {
  return errorRedirectUrl(ctx, request.redirectUri, request.responseMode, error, request.state);
}

/** The scopes the consent screen shows and a grant must cover: the requested ones and those of claims asked for by name. */
export function consentScopes(request: AuthorizationRequest): string[] {
  return scopesToConsent(request.scope, readClaimsRequest(request.claims));
}

/**
 * The client of a request kept across sign-in and consent, read again: it may have been
 * suspended, or lost the redirect URI, since the authorization endpoint checked it. Then the
 * answer is an error page, never a redirect (RFC 6749 §4.1.2.1).
 */
async function currentClient(ctx: OAuthContext, request: AuthorizationRequest): Promise<ClientRecord | OAuthError> {
  const client = await ctx.store.getClient(request.clientId).catch(() => null);
  if (client === null || client.status !== "active") return new InvalidClient("This application is not active", { status: 400 });
  const registered = request.redirectUriOmitted
    ? client.redirectUris.length === 1 && client.redirectUris[0] === request.redirectUri
    : matchesRegisteredRedirectUri(client.redirectUris, request.redirectUri);
  if (!registered) return new InvalidRedirectUri(undefined, { debug: `redirect_uri=${request.redirectUri} is no longer registered` });
  const grantType = request.responseType === "code" ? "authorization_code" : "implicit";
  if (!client.grantTypes.includes(grantType)) return new UnauthorizedClient(`The client may no longer use the ${grantType === "implicit" ? "implicit" : "authorization code"} flow`);
  return client;
}

/** What the authorization endpoint does next for a validated request and the current session. */
export async function decideAuthorization(
  ctx: OAuthContext,
  request: AuthorizationRequest,
  input: DecideInput,
): Promise<Decision> {
  const { session } = input;
  const client = await currentClient(ctx, request);
  if (client instanceof OAuthError) return { type: "error_page", error: client };
  const silent = request.prompt.includes("none");
  const redirectError = (error: OAuthError): Decision => ({
    type: "redirect",
    url: authorizationErrorUrl(ctx, request, error),
  });
  const consented = consentScopes(request);
  if (!isSubset(consented, client.scopes)) return redirectError(new InvalidScope("The scope is no longer allowed"));

  if (session === null) {
    return silent ? redirectError(new LoginRequired()) : { type: "login" };
  }
  const fresh = input.loginFresh === true || session.authTime.getTime() >= Date.parse(request.createdAt);
  if (request.prompt.includes("login") && !fresh) return { type: "login" };
  if (request.maxAge !== undefined && !fresh) {
    // OIDC Core §3.1.2.1: any elapsed time greater than max_age (1.5 s is more than max_age=1).
    const elapsedMs = ctx.now().getTime() - session.authTime.getTime();
    if (elapsedMs > request.maxAge * 1000) {
      return silent ? redirectError(new LoginRequired("The sign-in is older than max_age")) : { type: "login" };
    }
  }
  if (request.idTokenHintStale && silent) return redirectError(new LoginRequired("id_token_hint could not be verified"));
  // OIDC Core §3.1.2.1: with id_token_hint, only the user it names gets a positive answer;
  // another signed-in user signs in again (as the right one), and after that it is an error.
  if (request.idTokenHintSub !== undefined && request.idTokenHintSub !== session.userId) {
    if (silent || fresh) return redirectError(new LoginRequired("The signed-in user is not the one id_token_hint names"));
    return { type: "login" };
  }
  // OIDC Core §3.1.2.2, §5.5.1: a requested sub value is answered only for that user.
  const requestedSub = readClaimsRequest(request.claims).id_token?.sub?.value;
  if (requestedSub !== undefined && requestedSub !== session.userId) {
    if (silent) return redirectError(new LoginRequired("The signed-in user is not the requested subject"));
    return fresh ? redirectError(new AccessDenied("The signed-in user is not the requested subject")) : { type: "login" };
  }

  const grant =
    input.grant !== null && input.grant.userId === session.userId && input.grant.clientId === request.clientId
      ? input.grant
      : null;
  const granted = grant?.scopes ?? [];
  const newScopes = consented.filter((s) => !granted.includes(s));
  // An API the user has not allowed this app to reach needs consent even for scopes already
  // allowed: the consent screen names the APIs a request is for, and the grant records them.
  const newResources = (request.resource ?? []).filter((r) => !(grant?.resources ?? []).includes(r));
  if (grant !== null && newScopes.length === 0 && newResources.length === 0 && !request.prompt.includes("consent")) {
    const url = await issueAuthorizationResponse(ctx, request, session, grant.id);
    return { type: "redirect", url, issued: true };
  }
  if (silent) return redirectError(new ConsentRequired());
  return { type: "consent", newScopes };
}

/** Records consent for the requested scopes and answers the client with a code or a token. */
export async function approveAuthorization(
  ctx: OAuthContext,
  request: AuthorizationRequest,
  session: AuthorizationSession,
): Promise<{ redirectUrl: string; issued?: boolean }> {
  const client = await currentClient(ctx, request);
  if (client instanceof OAuthError) throw client;
  const consented = consentScopes(request);
  if (!isSubset(consented, client.scopes)) {
    return { redirectUrl: authorizationErrorUrl(ctx, request, new InvalidScope("The scope is no longer allowed")) };
  }
  const grant = await ctx.store.saveGrant(session.userId, request.clientId, consented, ctx.now(), request.resource ?? []);
  return { redirectUrl: await issueAuthorizationResponse(ctx, request, session, grant.id), issued: true };
}

export async function denyAuthorization(ctx: OAuthContext, request: AuthorizationRequest): Promise<{ redirectUrl: string }> {
  const client = await currentClient(ctx, request);
  if (client instanceof OAuthError) throw client;
  return { redirectUrl: authorizationErrorUrl(ctx, request, new AccessDenied()) };
}

async function issueAuthorizationResponse(
  ctx: OAuthContext,
  request: AuthorizationRequest,
  session: AuthorizationSession,
  grantId: string,
): Promise<string> {
  const now = ctx.now();
  const iss = ctx.config.issuer;
  const claimsRequest = readClaimsRequest(request.claims);
  const context = authenticationContextFor(request.acrValues ?? [], claimsRequest);
  const authentication = context.ok ? { acr: context.acr, amr: context.amr } : { acr: null, amr: [] };
  if (request.responseType === "token") {
    const access = await signAccessToken(ctx, {
      clientId: request.clientId,
      userId: session.userId,
      scope: request.scope,
      authTime: session.authTime,
      grantId,
      resources: await resolveResources(ctx, request.resource ?? []),
      userinfoClaims: userinfoClaimNames(claimsRequest),
    });
    ctx.store.recordTokenIssued(request.clientId, now);
    return buildRedirectUrl(request.redirectUri, request.responseMode, {
      access_token: access.token,
      token_type: "Bearer",
      expires_in: String(access.expiresIn),
      scope: formatScope(request.scope),
      state: request.state,
      iss,
    });
  }
  const { code, hash } = newAuthorizationCode();
  await ctx.store.saveAuthorizationCode(hash, {
    clientId: request.clientId,
    userId: session.userId,
    grantId,
    // "" records that the authorization request named none (RFC 6749 §4.1.3): the token request may omit it.
    redirectUri: request.redirectUriOmitted ? "" : request.redirectUri,
    scope: request.scope,
    codeChallenge: request.codeChallenge ?? null,
    codeChallengeMethod: request.codeChallengeMethod ?? null,
    nonce: request.nonce ?? null,
    resource: request.resource ?? [],
    authTime: session.authTime,
    sessionId: session.sessionId ?? null,
    ...authentication,
    claims: request.claims ?? null,
    expiresAt: new Date(now.getTime() + ctx.config.authorizationCodeTtl * 1000),
  });
  return buildRedirectUrl(request.redirectUri, request.responseMode, { code, state: request.state, iss });
}
