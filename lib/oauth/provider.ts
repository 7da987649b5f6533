import {
  approveAuthorization,
  decideAuthorization,
  denyAuthorization,
  validateAuthorizationRequest,
  type AuthorizationRequest,
  type AuthorizationSession,
  type DecideInput,
} from "./authorize";
import { verifyBearer, type BearerOptions } from "./bearer";
import type { OAuthContext } from "./context";
import { decideUserCode, handleDeviceAuthorizationRequest, lookupUserCode, type DeviceDecisionInput } from "./device-authorization";
import { handleDiscoveryRequest, handleJwksRequest, type DiscoveryKind } from "./discovery";
import { toOAuthError } from "./errors";
import { errorResponse, type OAuthRequest, type OAuthResponse } from "./http";
import { handleIntrospectionRequest } from "./introspection";
import { handleRevocationRequest } from "./revocation";
import { handleTokenRequest } from "./token";
import { handleUserinfoRequest } from "./userinfo";

export type { OAuthConfig, OAuthConfigInput, OAuthContext, OAuthPaths } from "./context";
export { createOAuthConfig, DEFAULT_PATHS } from "./context";

export type Provider = ReturnType<typeof createProvider>;

/** The protocol core bound to a store, keys and config. Endpoints never throw. */
export function createProvider(ctx: OAuthContext) {
  const guard =
    <A extends unknown[]>(handler: (ctx: OAuthContext, ...args: A) => Promise<OAuthResponse>) =>
    async (...args: A): Promise<OAuthResponse> => {
      try {
        return await handler(ctx, ...args);
      } catch (err) {
        const error = toOAuthError(err);
        ctx.log?.(error);
        return errorResponse(error);
      }
    };

  return {
    context: ctx,
    token: guard((c, req: OAuthRequest) => handleTokenRequest(c, req)),
    revocation: guard((c, req: OAuthRequest) => handleRevocationRequest(c, req)),
    introspection: guard((c, req: OAuthRequest) => handleIntrospectionRequest(c, req)),
    userinfo: guard((c, req: OAuthRequest) => handleUserinfoRequest(c, req)),
    jwks: guard((c) => handleJwksRequest(c)),
    deviceAuthorization: guard((c, req: OAuthRequest) => handleDeviceAuthorizationRequest(c, req)),
    discovery: guard((c, kind: DiscoveryKind) => handleDiscoveryRequest(c, kind)),
    verifyBearer: (authorization: string | null, scopes: readonly string[], options?: BearerOptions) =>
      verifyBearer(ctx, authorization, scopes, options),
    device: {
      lookup: (userCode: string) => lookupUserCode(ctx, userCode),
      decide: (userCode: string, decision: DeviceDecisionInput) => decideUserCode(ctx, userCode, decision),
    },
    authorize: {
      validate: (params: URLSearchParams) => validateAuthorizationRequest(ctx, params),
      decide: (request: AuthorizationRequest, input: DecideInput) => decideAuthorization(ctx, request, input),
      approve: (request: AuthorizationRequest, session: AuthorizationSession) =>
        approveAuthorization(ctx, request, session),
      deny: (request: AuthorizationRequest) => denyAuthorization(ctx, request),
    },
  };
}
