import type { OAuthContext } from "../context";
import { InvalidGrant, InvalidRequest, InvalidScope, UnauthorizedClient } from "../errors";
import { parseScope } from "../scopes";
import type { ClientRecord } from "../store";
import { newFamilyId } from "../tokens";
import { resolveResources } from "../resource";
import { createRefreshToken, issueTokens, type GrantExtras, type GrantParams, type TokenResponseBody } from "./issue";

// RFC 6749 §4.3. RFC 9700 §2.4 says it MUST NOT be used: only clients an admin enabled it for get it.
export const grantType = "password";

export const parameters = ["username", "password", "scope"] as const;

export async function handler(
  ctx: OAuthContext,
  client: ClientRecord,
  params: GrantParams,
  extras: GrantExtras,
): Promise<TokenResponseBody> {
  // RFC 6749 §4.3.2: only a client that authenticates may hold a user's password; apps made
  // public after the grant was enabled keep it in their settings but cannot use it.
  if (client.type !== "confidential") throw new UnauthorizedClient("Only confidential clients may use the password grant");
  const { username, password } = params;
  if (username === undefined) throw new InvalidRequest("username is required");
  if (password === undefined) throw new InvalidRequest("password is required");
  let scope = client.scopes;
  if (params.scope !== undefined) {
    scope = parseScope(params.scope);
    const refused = scope.filter((s) => !client.scopes.includes(s));
    if (refused.length > 0) throw new InvalidScope(`Scope not allowed: ${refused.join(" ")}`);
  }

  const resources = await resolveResources(ctx, extras.resource);
  const userId = ctx.signInWithPassword
    ? await ctx.signInWithPassword(username, password, { clientId: client.id, clientIp: extras.clientIp })
    : await ctx.store.verifyUserPassword(username, password);
  if (userId === null) throw new InvalidGrant("The username or password is wrong");

  const now = ctx.now();
  const familyId = newFamilyId();
  await ctx.store.createTokenFamily({ id: familyId, clientId: client.id, userId, grantId: null }, now);
  const refreshToken = await createRefreshToken(ctx, client, {
    familyId,
    clientId: client.id,
    userId,
    grantId: null,
    scope,
    resource: resources.map((a) => a.identifier),
    authTime: now,
    nonce: null,
  });
  return issueTokens(ctx, {
    client,
    userId,
    grantId: null,
    familyId,
    scope,
    authTime: now,
    nonce: null,
    resources,
    ...(refreshToken === undefined ? {} : { refreshToken }),
  });
}
