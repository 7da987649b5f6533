import type { OAuthContext } from "../context";
import { InvalidScope, UnauthorizedClient } from "../errors";
import { USER_ONLY_SCOPES, parseScope } from "../scopes";
import type { ClientRecord } from "../store";
import { resolveResources } from "../resource";
import { issueTokens, type GrantExtras, type GrantParams, type TokenResponseBody } from "./issue";

export const grantType = "client_credentials";

export const parameters = ["scope"] as const;

export async function handler(
  ctx: OAuthContext,
  client: ClientRecord,
  params: GrantParams,
  extras: GrantExtras,
): Promise<TokenResponseBody> {
  if (client.type !== "confidential") {
    throw new UnauthorizedClient("Only confidential clients may use client_credentials");
  }
  const allowed = client.scopes.filter((s) => !USER_ONLY_SCOPES.includes(s));
  let scope = allowed;
  if (params.scope !== undefined) {
    scope = parseScope(params.scope);
    const refused = scope.filter((s) => !allowed.includes(s));
    if (refused.length > 0) throw new InvalidScope(`Scope not allowed: ${refused.join(" ")}`);
  }
  return issueTokens(ctx, {
    client,
    userId: null,
    grantId: null,
    familyId: null,
    scope,
    authTime: null,
    nonce: null,
    resources: await resolveResources(ctx, extras.resource),
  });
}
