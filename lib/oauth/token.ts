import { authenticateClient, CLIENT_AUTH_PARAMS } from "./client-auth";
import type { OAuthContext } from "./context";
import { InvalidRequest, UnauthorizedClient, UnsupportedGrantType, toOAuthError } from "./errors";
import * as authorizationCode from "./grants/authorization-code";
import * as clientCredentials from "./grants/client-credentials";
import * as deviceCode from "./grants/device-code";
import type { Grant } from "./grants/issue";
import * as password from "./grants/password";
import * as refreshToken from "./grants/refresh-token";
import { errorResponse, json, methodNotAllowed, pickParams, requireForm, type OAuthRequest, type OAuthResponse } from "./http";

const grants = new Map<string, Grant & { names: readonly string[] }>(
  [authorizationCode, refreshToken, clientCredentials, password, deviceCode].map((g) => [
    g.grantType,
    {
      grantType: g.grantType,
      parameters: g.parameters,
      handler: g.handler,
      names: ["grant_type", ...CLIENT_AUTH_PARAMS, ...g.parameters],
    },
  ]),
);

export async function handleTokenRequest(ctx: OAuthContext, req: OAuthRequest): Promise<OAuthResponse> {
  if (req.method !== "POST") return methodNotAllowed(["POST"]);
  try {
    const body = requireForm(req);
    const grantTypes = body.getAll("grant_type");
    if (grantTypes.length > 1) throw new InvalidRequest("Parameter grant_type is repeated");
    const grantType = grantTypes[0];
    if (grantType === undefined || grantType === "") throw new InvalidRequest("grant_type is required");
    const grant = grants.get(grantType);
    if (grant === undefined || (grantType === "password" && ctx.config.profile === "oauth2.1")) {
      throw new UnsupportedGrantType(`Unsupported grant_type ${grantType}`);
    }

    const params = pickParams(body, grant.names);
    const { client } = await authenticateClient(ctx, req, params);
    if (!client.grantTypes.includes(grant.grantType)) {
      throw new UnauthorizedClient(`The client may not use the ${grant.grantType} grant`);
    }
    const result = await grant.handler(ctx, client, params, { resource: body.getAll("resource"), clientIp: req.clientIp ?? null });
    ctx.store.recordTokenIssued(client.id, ctx.now());
    return json(200, result);
  } catch (err) {
    const error = toOAuthError(err);
    ctx.log?.(error);
    return errorResponse(error);
  }
}
