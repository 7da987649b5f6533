// Dynamic client registration (RFC 7591) and its management protocol (RFC 7592): the
// registration endpoint (POST) and the client configuration endpoint (GET, PUT, DELETE at
// <registration path>/<client_id>), answered from a RegistrationStore.
import { toOAuthError } from "./errors";
import { errorResponse, json, type OAuthRequest, type OAuthResponse } from "./http";
import { isValidScopeToken } from "./scopes";
import { isJwsAlg, JWS_ALGS, type JwsAlg } from "./store";
import { hashToken, newClientSecret, randomToken, safeEqual } from "./tokens";
import { MAX_REDIRECT_URIS, redirectUriListProblems, redirectUriProblem } from "../validation/redirect-uri";

/** Who may register: nobody, anyone, only public clients, holders of an initial access token. */
export type RegistrationPolicy = "off" | "open" | "public" | "token";

export type TokenEndpointAuthMethod = "none" | "client_secret_basic" | "client_secret_post";
export type RegisteredGrantType = "authorization_code" | "refresh_token" | "client_credentials";

export const REGISTRATION_ACCESS_TOKEN_PREFIX = "lk_reg_";
export const INITIAL_ACCESS_TOKEN_PREFIX = "lk_iat_";

/** The metadata a registered client holds, as it was accepted (RFC 7591 §2). */
export interface ClientMetadata {
  redirect_uris: string[];
  token_endpoint_auth_method: TokenEndpointAuthMethod;
  grant_types: RegisteredGrantType[];
  response_types: "code"[];
  /** Space-separated allowed scopes. */
  scope: string;
  client_name?: string;
  client_uri?: string;
  logo_uri?: string;
  tos_uri?: string;
  policy_uri?: string;
  contacts?: string[];
  software_id?: string;
  software_version?: string;
  /** RP-Initiated Logout 1.0 §3.1 and Back-Channel Logout 1.0 §2.2. */
  post_logout_redirect_uris?: string[];
  backchannel_logout_uri?: string;
  backchannel_logout_session_required?: boolean;
  /** OIDC Registration §2; absent: the server default (RS256). */
  id_token_signed_response_alg?: JwsAlg;
}

export interface RegisteredClientRecord {
  clientId: string;
  type: "confidential" | "public";
  /** Null once the client was claimed in the portal: the management protocol no longer applies. */
  registrationTokenHash: string | null;
  /** False while an admin has it suspended or revoked: it may read its registration, not change or delete it. */
  active: boolean;
  /** Hashes of the client secrets that still work. */
  secretHashes: string[];
  createdAt: Date;
  metadata: ClientMetadata;
}

export interface NewRegisteredClient {
  clientId: string;
  type: "confidential" | "public";
  metadata: ClientMetadata;
  registrationTokenHash: string;
  secret: { hash: string; hint: string } | null;
}

export interface RegistrationStore {
  /** A client created by registration (claimed or not), or null. */
  getRegisteredClient(clientId: string): Promise<RegisteredClientRecord | null>;
  createRegisteredClient(client: NewRegisteredClient): Promise<RegisteredClientRecord>;
  /** Replaces the metadata while the client still holds `registrationTokenHash`; null otherwise. */
  replaceRegisteredClient(
    clientId: string,
    registrationTokenHash: string,
    metadata: ClientMetadata,
  ): Promise<RegisteredClientRecord | null>;
  /** Deletes the client while it still holds `registrationTokenHash`. */
  deleteRegisteredClient(clientId: string, registrationTokenHash: string): Promise<boolean>;
  /** Whether an initial access token is live (not revoked or expired); marks it used. */
  useInitialAccessToken(token: string): Promise<boolean>;
  /** The scope catalog. */
  scopes(): Promise<{ name: string; restricted: boolean }[]>;
  newClientId(): string;
}

export interface RegistrationContext {
  store: RegistrationStore;
  issuer: string;
  /** The registration endpoint's path; clients are managed at `<path>/<client_id>`. */
  path: string;
  policy: () => Promise<RegistrationPolicy>;
  log?: (err: Error & { debug?: string }) => void;
}

export type RegistrationErrorCode =
  | "invalid_redirect_uri"
  | "invalid_client_metadata"
  | "invalid_software_statement"
  | "unapproved_software_statement"
  | "invalid_request"
  | "invalid_token"
  | "access_denied";

/** An RFC 7591 §3.2.2 error (and the RFC 6750 / RFC 7592 ones this endpoint answers). */
export class RegistrationError extends Error {
  constructor(
    readonly error: RegistrationErrorCode,
    readonly description: string,
    readonly status = 400,
    readonly wwwAuthenticate?: string,
  ) {
    super(`${error}: ${description}`);
    this.name = "RegistrationError";
  }
}

const invalidMetadata = (description: string) => new RegistrationError("invalid_client_metadata", description);
const invalidRedirectUri = (description: string) => new RegistrationError("invalid_redirect_uri", description);

const AUTH_METHODS: readonly TokenEndpointAuthMethod[] = ["none", "client_secret_basic", "client_secret_post"];
const GRANT_TYPES: readonly RegisteredGrantType[] = ["authorization_code", "refresh_token", "client_credentials"];
const URI_FIELDS = ["client_uri", "logo_uri", "tos_uri", "policy_uri"] as const;
const TEXT_FIELDS = ["software_id", "software_version"] as const;
const MAX_TEXT = 200;
const MAX_NAME = 80;
const MAX_URI = 500;
const MAX_CONTACTS = 10;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

type Json = Record<string, unknown>;

/** A field's value; JSON null counts as absent (RFC 7592 §2.2 deletes a field that way). */
function field(body: Json, name: string): unknown {
  const value = body[name];
  return value === null ? undefined : value;
}

function optionalText(body: Json, name: string, max: number): string | undefined {
  const value = field(body, name);
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw invalidMetadata(`${name} must be a string`);
  const text = value.trim();
  if (text === "") return undefined;
  if (text.length > max) throw invalidMetadata(`${name} is longer than ${max} characters`);
  if (CONTROL.test(text)) throw invalidMetadata(`${name} must not contain control characters`);
  return text;
}

function stringArray(body: Json, name: string, fail: (d: string) => RegistrationError): string[] | undefined {
  const value = field(body, name);
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) {
    throw fail(`${name} must be an array of strings`);
  }
  return value as string[];
}

function httpsUri(body: Json, name: string): string | undefined {
  const value = optionalText(body, name, MAX_URI);
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalidMetadata(`${name} must be an absolute https URL`);
  }
  if (url.protocol !== "https:" || url.hostname === "") throw invalidMetadata(`${name} must be an https URL`);
  if (url.username !== "" || url.password !== "") throw invalidMetadata(`${name} must not contain a user name or password`);
  return value;
}

/**
 * Validates registration metadata (RFC 7591 §2) against the rules of this server.
 * Metadata it does not know is ignored (§2); `jwks`/`jwks_uri` serve only private_key_jwt
 * and encryption, which this server does not offer, so they are ignored too, and a
 * software statement is ignored as §3.1.1 allows.
 */
export function validateClientMetadata(
  body: Json,
  catalog: readonly { name: string; restricted: boolean }[],
): ClientMetadata {
  const authMethod = field(body, "token_endpoint_auth_method") ?? "client_secret_basic";
  if (typeof authMethod !== "string" || !AUTH_METHODS.includes(authMethod as TokenEndpointAuthMethod)) {
    throw invalidMetadata(
      `token_endpoint_auth_method ${JSON.stringify(authMethod)} is not supported: use none, client_secret_basic or client_secret_post`,
    );
  }
  const method = authMethod as TokenEndpointAuthMethod;
  const type = method === "none" ? "public" : "confidential";

  if (field(body, "jwks") !== undefined && field(body, "jwks_uri") !== undefined) {
    throw invalidMetadata("jwks and jwks_uri must not both be present (RFC 7591 §2)");
  }

  const requestedGrants = stringArray(body, "grant_types", invalidMetadata) ?? ["authorization_code"];
  for (const grant of requestedGrants) {
    if (grant === "implicit" || grant === "password") {
      throw invalidMetadata(`The ${grant} grant is not available to registered clients`);
    }
  }
  // Other grant types this server lacks (device_code, which VS Code asks for, …) are left out
  // of the registration, which the response shows (RFC 7591 §3.2.1 allows replacing values).
  const grantTypes = [...new Set(requestedGrants)].filter((g): g is RegisteredGrantType => GRANT_TYPES.includes(g as RegisteredGrantType));
  if (grantTypes.length === 0) {
    throw invalidMetadata("grant_types names no grant type this server supports: authorization_code, refresh_token, client_credentials");
  }
  const usesCode = grantTypes.includes("authorization_code");
  if (grantTypes.includes("refresh_token") && !usesCode) {
    throw invalidMetadata("refresh_token needs the authorization_code grant");
  }
  if (grantTypes.includes("client_credentials") && type === "public") {
    throw invalidMetadata("client_credentials needs a confidential client: a token_endpoint_auth_method other than none");
  }

  // RFC 7591 §2.1: response_types and grant_types must agree (code <-> authorization_code).
  const responseTypes = stringArray(body, "response_types", invalidMetadata) ?? (usesCode ? ["code"] : []);
  for (const responseType of responseTypes) {
    if (responseType !== "code") {
      throw invalidMetadata(`response type ${JSON.stringify(responseType)} is not supported: only code`);
    }
  }
  if (usesCode !== responseTypes.includes("code")) {
    throw invalidMetadata(
      usesCode
        ? "response_types must include code for the authorization_code grant"
        : "response type code needs the authorization_code grant in grant_types",
    );
  }

  const uris = stringArray(body, "redirect_uris", invalidRedirectUri) ?? [];
  if (usesCode && uris.length === 0) throw invalidRedirectUri("redirect_uris is required for the authorization_code grant");
  if (uris.length > MAX_REDIRECT_URIS) throw invalidRedirectUri(`At most ${MAX_REDIRECT_URIS} redirect URIs`);
  const { perUri } = redirectUriListProblems(uris, type);
  uris.forEach((uri, i) => {
    const problem = perUri[i] ?? (uri !== uri.trim() ? "A redirect URI must not start or end with spaces." : null);
    if (problem !== null) throw invalidRedirectUri(`${uri}: ${problem}`);
  });

  const scope = field(body, "scope");
  if (scope !== undefined && typeof scope !== "string") throw invalidMetadata("scope must be a space-separated string");
  const requested = [...new Set((scope ?? "").split(" ").filter((s) => s !== ""))];
  const known = new Map(catalog.map((s) => [s.name, s]));
  const unknown = requested.filter((s) => !isValidScopeToken(s) || !known.has(s));
  if (unknown.length > 0) throw invalidMetadata(`Unknown scope: ${unknown.join(", ")}`);
  const restricted = requested.filter((s) => known.get(s)!.restricted);
  if (restricted.length > 0) {
    throw invalidMetadata(
      `Scope ${restricted.join(", ")} is restricted: registered clients cannot have it (a developer who claims the client in the portal can request it)`,
    );
  }
  const scopes = requested.length > 0 ? requested : catalog.filter((s) => !s.restricted).map((s) => s.name);

  const metadata: ClientMetadata = {
    redirect_uris: uris,
    token_endpoint_auth_method: method,
    grant_types: grantTypes,
    response_types: responseTypes as "code"[],
    scope: scopes.join(" "),
  };
  const name = optionalText(body, "client_name", MAX_NAME);
  if (name !== undefined) metadata.client_name = name;
  for (const key of URI_FIELDS) {
    const value = httpsUri(body, key);
    if (value !== undefined) metadata[key] = value;
  }
  const contacts = stringArray(body, "contacts", invalidMetadata);
  if (contacts !== undefined && contacts.length > 0) {
    if (contacts.length > MAX_CONTACTS) throw invalidMetadata(`At most ${MAX_CONTACTS} contacts`);
    metadata.contacts = contacts.map((c) => {
      const contact = c.trim();
      if (contact === "" || contact.length > 254 || CONTROL.test(contact)) throw invalidMetadata(`Invalid contact ${JSON.stringify(c)}`);
      return contact;
    });
  }
  for (const key of TEXT_FIELDS) {
    const value = optionalText(body, key, MAX_TEXT);
    if (value !== undefined) metadata[key] = value;
  }
  Object.assign(metadata, logoutMetadata(body, type));
  const alg = field(body, "id_token_signed_response_alg");
  if (alg !== undefined) {
    if (!isJwsAlg(alg)) throw invalidMetadata(`id_token_signed_response_alg must be one of ${JWS_ALGS.join(", ")}`);
    metadata.id_token_signed_response_alg = alg;
  }
  return metadata;
}

/** Logout URIs follow the redirect URI rules (exact, canonical, https or loopback http, no fragment). */
function logoutMetadata(body: Json, type: "confidential" | "public"): Partial<ClientMetadata> {
  const out: Partial<ClientMetadata> = {};
  const postLogout = stringArray(body, "post_logout_redirect_uris", invalidMetadata);
  if (postLogout !== undefined && postLogout.length > 0) {
    if (postLogout.length > MAX_REDIRECT_URIS) throw invalidMetadata(`At most ${MAX_REDIRECT_URIS} post_logout_redirect_uris`);
    const { perUri } = redirectUriListProblems(postLogout, type);
    postLogout.forEach((uri, i) => {
      const problem = perUri[i] ?? (uri !== uri.trim() ? "must not start or end with spaces" : null);
      if (problem !== null) throw invalidMetadata(`post_logout_redirect_uris: ${uri}: ${problem}`);
    });
    out.post_logout_redirect_uris = postLogout;
  }
  const backchannel = field(body, "backchannel_logout_uri");
  if (backchannel !== undefined) {
    if (typeof backchannel !== "string") throw invalidMetadata("backchannel_logout_uri must be a string");
    // Back-Channel Logout 1.0 §2.2: an absolute URI without a fragment, called server to server.
    const problem = redirectUriProblem(backchannel, "confidential") ?? (backchannel !== backchannel.trim() ? "must not start or end with spaces" : null);
    if (problem !== null) throw invalidMetadata(`backchannel_logout_uri: ${problem}`);
    out.backchannel_logout_uri = backchannel;
  }
  const sessionRequired = field(body, "backchannel_logout_session_required");
  if (sessionRequired !== undefined) {
    if (typeof sessionRequired !== "boolean") throw invalidMetadata("backchannel_logout_session_required must be true or false");
    out.backchannel_logout_session_required = sessionRequired;
  }
  return out;
}

function isJsonContentType(contentType: string | null): boolean {
  if (contentType === null) return false;
  return contentType.split(";")[0]!.trim().toLowerCase() === "application/json";
}

/** The JSON object of a registration or update request (RFC 7591 §3.1). */
function parseJsonBody(req: OAuthRequest, rawBody: string | null): Json {
  if (!isJsonContentType(req.headers.get("content-type"))) {
    throw new RegistrationError("invalid_request", "The body must be application/json");
  }
  let body: unknown;
  try {
    body = JSON.parse(rawBody ?? "");
  } catch {
    throw new RegistrationError("invalid_request", "The body is not valid JSON");
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new RegistrationError("invalid_request", "The body must be a JSON object");
  }
  return body as Json;
}

/** The token of `Authorization: Bearer <token>`, or null. */
function bearerToken(req: OAuthRequest): string | null {
  const header = req.headers.get("authorization");
  if (header === null) return null;
  const space = header.indexOf(" ");
  if (space === -1 || header.slice(0, space).toLowerCase() !== "bearer") return null;
  const token = header.slice(space + 1).trim();
  return token === "" ? null : token;
}

/** RFC 6750 §3.1; no error code in the challenge when no token was sent. */
function invalidToken(ctx: RegistrationContext, description: string, sent: boolean): RegistrationError {
  const realm = `Bearer realm="${ctx.issuer}"`;
  const challenge = sent ? `${realm}, error="invalid_token", error_description="${description}"` : realm;
  return new RegistrationError("invalid_token", description, 401, challenge);
}

function clientUri(ctx: RegistrationContext, clientId: string): string {
  return `${ctx.issuer}${ctx.path}/${encodeURIComponent(clientId)}`;
}

/** The client information response (RFC 7591 §3.2.1, RFC 7592 §3). */
function clientInformation(
  ctx: RegistrationContext,
  client: RegisteredClientRecord,
  registrationAccessToken: string,
  clientSecret: string | null,
): Json {
  const info: Json = {
    client_id: client.clientId,
    client_id_issued_at: Math.floor(client.createdAt.getTime() / 1000),
  };
  if (client.type === "confidential") {
    // Only hashes are stored: the secret is returned when it is issued, never on a read.
    if (clientSecret !== null) info.client_secret = clientSecret;
    info.client_secret_expires_at = 0;
  }
  return {
    ...info,
    ...client.metadata,
    registration_access_token: registrationAccessToken,
    registration_client_uri: clientUri(ctx, client.clientId),
  };
}

async function register(ctx: RegistrationContext, req: OAuthRequest, rawBody: string | null, policy: RegistrationPolicy) {
  if (policy === "token") {
    // RFC 7591 §3: the initial access token is an OAuth 2.0 bearer token.
    const token = bearerToken(req);
    if (token === null) throw invalidToken(ctx, "An initial access token is required to register", false);
    if (!(await ctx.store.useInitialAccessToken(token))) {
      throw invalidToken(ctx, "The initial access token is invalid, expired or revoked", true);
    }
  }
  const body = parseJsonBody(req, rawBody);
  if (policy === "public" && field(body, "token_endpoint_auth_method") !== "none") {
    throw invalidMetadata(
      "This server registers only public clients: send token_endpoint_auth_method none (the default is client_secret_basic)",
    );
  }
  const metadata = validateClientMetadata(body, await ctx.store.scopes());
  const type = metadata.token_endpoint_auth_method === "none" ? "public" : "confidential";
  const registrationAccessToken = REGISTRATION_ACCESS_TOKEN_PREFIX + randomToken(32);
  const secret = type === "confidential" ? newClientSecret() : null;
  const client = await ctx.store.createRegisteredClient({
    clientId: ctx.store.newClientId(),
    type,
    metadata,
    registrationTokenHash: hashToken(registrationAccessToken),
    secret: secret === null ? null : { hash: secret.hash, hint: secret.hint },
  });
  return json(201, clientInformation(ctx, client, registrationAccessToken, secret?.secret ?? null));
}

/**
 * The client a configuration request names, authenticated by its registration access token
 * (RFC 7592 §2). An unknown client, a claimed one and a wrong token all answer 401.
 */
async function authorizeManagement(ctx: RegistrationContext, req: OAuthRequest, rawId: string) {
  const token = bearerToken(req);
  if (token === null) throw invalidToken(ctx, "The registration access token is required", false);
  const refuse = () => invalidToken(ctx, "The registration access token is invalid", true);
  let clientId: string;
  try {
    clientId = decodeURIComponent(rawId);
  } catch {
    throw refuse();
  }
  // Registered client ids are ours: 32 hex characters.
  if (!/^[0-9a-f]{32}$/.test(clientId)) throw refuse();
  const client = await ctx.store.getRegisteredClient(clientId);
  const hash = hashToken(token);
  if (client === null || client.registrationTokenHash === null || !safeEqual(hash, client.registrationTokenHash)) {
    throw refuse();
  }
  return { client, token, hash };
}

async function update(ctx: RegistrationContext, req: OAuthRequest, rawBody: string | null, current: Awaited<ReturnType<typeof authorizeManagement>>) {
  const body = parseJsonBody(req, rawBody);
  const { client } = current;
  // RFC 7592 §2.2: client_id must match; a client_secret sent must be the current one;
  // registration_access_token, registration_client_uri and the *_at fields are ignored.
  if (body.client_id !== client.clientId) throw invalidMetadata("client_id must be the client's current client_id");
  const sentSecret = field(body, "client_secret");
  if (sentSecret !== undefined) {
    const hash = typeof sentSecret === "string" ? hashToken(sentSecret) : "";
    if (!client.secretHashes.some((h) => safeEqual(h, hash))) {
      throw invalidMetadata("client_secret does not match the client's current secret; it cannot be changed here");
    }
  }
  const metadata = validateClientMetadata(body, await ctx.store.scopes());
  const type = metadata.token_endpoint_auth_method === "none" ? "public" : "confidential";
  if (type !== client.type) {
    throw invalidMetadata(
      `token_endpoint_auth_method cannot turn a ${client.type} client into a ${type} one: register a new client instead`,
    );
  }
  const updated = await ctx.store.replaceRegisteredClient(client.clientId, current.hash, metadata);
  if (updated === null) throw invalidToken(ctx, "The registration access token is invalid", true);
  return json(200, clientInformation(ctx, updated, current.token, typeof sentSecret === "string" ? sentSecret : null));
}

/**
 * Answers the registration endpoint (`path`) and the client configuration endpoint
 * (`path/<client_id>`). Never throws.
 *
 * When the policy is "off" both answer 403 `access_denied`: the endpoint exists but this
 * server does not accept registrations now (RFC 7591 leaves the answer open; a 404 would
 * look like a wrong URL to a client that found it in older discovery metadata).
 */
export async function handleRegistrationRequest(
  ctx: RegistrationContext,
  req: OAuthRequest,
  rawBody: string | null,
): Promise<OAuthResponse> {
  try {
    const policy = await ctx.policy();
    if (policy === "off") {
      throw new RegistrationError("access_denied", "Dynamic client registration is turned off on this server", 403);
    }
    const pathname = req.url.pathname;
    if (pathname === ctx.path) {
      if (req.method !== "POST") return json(405, { error: "invalid_request", error_description: "Use POST" }, { Allow: "POST" });
      return await register(ctx, req, rawBody, policy);
    }
    const current = await authorizeManagement(ctx, req, pathname.slice(ctx.path.length + 1));
    if ((req.method === "PUT" || req.method === "DELETE") && !current.client.active) {
      // RFC 7592 §2.2, §2.3: 403 when the client may not update or delete itself. Otherwise a
      // suspended client could rename itself, or delete itself and register again, unsuspended.
      throw new RegistrationError("access_denied", "An administrator suspended or revoked this client; it cannot change or delete its registration", 403);
    }
    switch (req.method) {
      case "GET":
        return json(200, clientInformation(ctx, current.client, current.token, null));
      case "PUT":
        return await update(ctx, req, rawBody, current);
      case "DELETE": {
        // RFC 7592 §2.3: deleting the client ends its grants and tokens with it.
        if (!(await ctx.store.deleteRegisteredClient(current.client.clientId, current.hash))) {
          throw invalidToken(ctx, "The registration access token is invalid", true);
        }
        return { status: 204, headers: { "Cache-Control": "no-store", Pragma: "no-cache" }, body: "" };
      }
      default:
        return json(405, { error: "invalid_request", error_description: "Use GET, PUT or DELETE" }, { Allow: "GET, PUT, DELETE" });
    }
  } catch (err) {
    if (err instanceof RegistrationError) {
      const headers: Record<string, string> = err.wwwAuthenticate === undefined ? {} : { "WWW-Authenticate": err.wwwAuthenticate };
      return json(err.status, { error: err.error, error_description: err.description }, headers);
    }
    const error = toOAuthError(err);
    ctx.log?.(error);
    return errorResponse(error);
  }
}
