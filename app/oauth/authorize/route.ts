import { startAuthorization } from "@/lib/server/authorization-flow";
import { isFormContentType, toWebResponse } from "@/lib/oauth/http";
import { clientIp } from "@/lib/server/client-ip";
import { consumeAuthorization, tooManyRequestsPage } from "@/lib/server/rate-limits";

export const dynamic = "force-dynamic";

function redirect(location: string, request: Request): Response {
  return Response.redirect(new URL(location, request.url), 303);
}

/** 429 when this address sent too many authorization requests, else null. */
async function rateLimited(request: Request): Promise<Response | null> {
  const wait = await consumeAuthorization(clientIp(request.headers));
  return wait === null ? null : toWebResponse(tooManyRequestsPage(wait));
}

export async function GET(request: Request) {
  const refused = await rateLimited(request);
  if (refused) return refused;
  const { location } = await startAuthorization(new URL(request.url).searchParams);
  return redirect(location, request);
}

// OIDC Core §3.1.2.1: the authorization endpoint also accepts form POSTs.
export async function POST(request: Request) {
  const refused = await rateLimited(request);
  if (refused) return refused;
  const params = isFormContentType(request.headers.get("content-type"))
    ? new URLSearchParams(await request.text())
    : new URLSearchParams();
  const { location } = await startAuthorization(params);
  return redirect(location, request);
}
