// The example protected resource: what a resource server does with Latchkey's tokens.
import { toWebResponse } from "@/lib/oauth/http";
import { oauth, oauthStore } from "@/lib/server/provider";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  const result = await oauth().verifyBearer(request.headers.get("authorization"), ["account:read"]);
  if (!result.ok) return toWebResponse(result.response);
  const { token } = result;
  const user = token.sub !== token.client_id ? await oauthStore().getUserClaims(token.sub) : null;
  return Response.json(
    {
      sub: token.sub,
      client_id: token.client_id,
      scope: token.scope,
      account: user ? { id: user.sub, email: user.email, name: user.name ?? null } : null,
    },
    { headers: { "Cache-Control": "no-store" } },
  );
}
