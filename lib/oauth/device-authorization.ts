// RFC 8628 device authorization: the endpoint a device calls to start, and the user's side
// (look up a user code, approve or deny it). The device's polling is grants/device-code.ts.
import { randomInt } from "node:crypto";
import { requestedOrDefaultScope } from "./authorize";
import { authenticateClient, CLIENT_AUTH_PARAMS } from "./client-auth";
import { endpointUrl, type OAuthContext } from "./context";
import { InvalidScope, UnauthorizedClient } from "./errors";
import { json, methodNotAllowed, pickParams, requireForm, type OAuthRequest, type OAuthResponse } from "./http";
import { resolveResources } from "./resource";
import type { ClientRecord, DeviceAuthorizationRecord } from "./store";
import { hashToken, randomToken } from "./tokens";

export const DEVICE_CODE_GRANT_TYPE = "urn:ietf:params:oauth:grant-type:device_code";
export const DEVICE_CODE_PREFIX = "lk_dc_";
/** Seconds a device code and its user code live. */
export const DEVICE_CODE_TTL = 600;
/** RFC 8628 §3.2: seconds between polls unless slowed down. */
export const DEVICE_POLL_INTERVAL = 5;

// RFC 8628 §6.1: consonants only (no vowels, so no words; no look-alikes such as 0/O, 1/I).
const USER_CODE_ALPHABET = "BCDFGHJKLMNPQRSTVWXZ";
const USER_CODE_LENGTH = 8;

/** A random user code, XXXX-XXXX (20^8 ≈ 2^34.5 codes). */
export function newUserCode(): string {
  let code = "";
  for (let i = 0; i < USER_CODE_LENGTH; i++) code += USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)];
  return formatUserCode(code);
}

/** RFC 8628 §6.1: case-insensitive, dashes and spaces ignored; null when it cannot be a user code. */
export function normalizeUserCode(input: string): string | null {
  const code = input.replace(/[\s-]/g, "").toUpperCase();
  if (code.length !== USER_CODE_LENGTH) return null;
  for (const c of code) if (!USER_CODE_ALPHABET.includes(c)) return null;
  return code;
}

export function formatUserCode(normalized: string): string {
  return `${normalized.slice(0, 4)}-${normalized.slice(4)}`;
}

/** The form the store keys a user code by; null for input that cannot be one. */
export function hashUserCode(input: string): string | null {
  const code = normalizeUserCode(input);
  return code === null ? null : hashToken(code);
}

/** POST /oauth/device_authorization (RFC 8628 §3.1–3.2). */
export async function handleDeviceAuthorizationRequest(ctx: OAuthContext, req: OAuthRequest): Promise<OAuthResponse> {
  if (req.method !== "POST") return methodNotAllowed(["POST"]);
  const body = requireForm(req);
  const params = pickParams(body, ["scope", ...CLIENT_AUTH_PARAMS]);
  const { client } = await authenticateClient(ctx, req, params);
  if (!client.grantTypes.includes(DEVICE_CODE_GRANT_TYPE)) {
    throw new UnauthorizedClient("The client may not use the device authorization grant");
  }
  const scope = requestedOrDefaultScope(ctx, client, params.scope);
  const refused = scope.filter((s) => !client.scopes.includes(s));
  if (refused.length > 0) throw new InvalidScope(`Scope not allowed: ${refused.join(" ")}`);
  const resource = (await resolveResources(ctx, body.getAll("resource"))).map((api) => api.identifier);

  const deviceCode = DEVICE_CODE_PREFIX + randomToken(32);
  const request = {
    clientId: client.id,
    scope,
    resource,
    interval: DEVICE_POLL_INTERVAL,
    expiresAt: new Date(ctx.now().getTime() + DEVICE_CODE_TTL * 1000),
  };
  // User codes are short: a collision with a stored one fails the unique index, so draw again.
  let userCode = newUserCode();
  for (let attempt = 1; ; attempt++) {
    try {
      await ctx.store.saveDeviceAuthorization(hashToken(deviceCode), hashUserCode(userCode)!, request);
      break;
    } catch (err) {
      if (attempt >= 3) throw err;
      userCode = newUserCode();
    }
  }
  const verificationUri = endpointUrl(ctx.config, ctx.config.paths.deviceVerification);
  return json(200, {
    device_code: deviceCode,
    user_code: userCode,
    verification_uri: verificationUri,
    verification_uri_complete: `${verificationUri}?${new URLSearchParams({ user_code: userCode })}`,
    expires_in: DEVICE_CODE_TTL,
    interval: DEVICE_POLL_INTERVAL,
  });
}

export type DeviceLookup =
  | { ok: true; userCode: string; request: DeviceAuthorizationRecord; client: ClientRecord }
  | { ok: false; reason: "unknown" | "expired" | "decided" };

/** What the user's code stands for; "unknown" also for malformed input and inactive clients. */
export async function lookupUserCode(ctx: OAuthContext, input: string): Promise<DeviceLookup> {
  const code = normalizeUserCode(input);
  if (code === null) return { ok: false, reason: "unknown" };
  const request = await ctx.store.findDeviceAuthorizationByUserCode(hashToken(code));
  if (request === null) return { ok: false, reason: "unknown" };
  if (request.expiresAt <= ctx.now()) return { ok: false, reason: "expired" };
  if (request.status !== "pending") return { ok: false, reason: "decided" };
  const client = await ctx.store.getClient(request.clientId);
  if (client === null || client.status !== "active") return { ok: false, reason: "unknown" };
  return { ok: true, userCode: formatUserCode(code), request, client };
}

export type DeviceDecisionResult =
  | { ok: true; status: "approved" | "denied"; clientId: string; scope: string[] }
  | { ok: false; reason: "unknown" | "expired" | "decided" };

export type DeviceDecisionInput = { allow: true; userId: string; authTime: Date; sessionId?: string | null } | { allow: false };

/**
 * The user's answer. Approval records consent for the requested scopes (a grant the user can
 * remove later) and binds the device authorization to the user, the grant and the sign-in time.
 */
export async function decideUserCode(
  ctx: OAuthContext,
  input: string,
  decision: DeviceDecisionInput,
): Promise<DeviceDecisionResult> {
  const lookup = await lookupUserCode(ctx, input);
  if (!lookup.ok) return lookup;
  const hash = hashToken(normalizeUserCode(input)!);
  const now = ctx.now();
  const { clientId, scope } = lookup.request;
  if (!decision.allow) {
    return (await ctx.store.decideDeviceAuthorization(hash, { status: "denied" }, now))
      ? { ok: true, status: "denied", clientId, scope }
      : { ok: false, reason: "decided" };
  }
  const grant = await ctx.store.saveGrant(decision.userId, lookup.client.id, lookup.request.scope, now, lookup.request.resource);
  const won = await ctx.store.decideDeviceAuthorization(
    hash,
    { status: "approved", userId: decision.userId, grantId: grant.id, authTime: decision.authTime, sessionId: decision.sessionId ?? null },
    now,
  );
  return won ? { ok: true, status: "approved", clientId, scope } : { ok: false, reason: "decided" };
}
