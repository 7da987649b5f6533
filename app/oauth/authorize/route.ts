import { startAuthorization } from "@/lib/server/authorization-flow";
import { isFormContentType } from "@/lib/oauth/http";

export const dynamic = "force-dynamic";

function redirect(location: string, request: Request): Response {
  return Response.redirect(new URL(location, request.url), 303);
}

export async function GET(request: Request) {
  const { location } = await startAuthorization(new URL(request.url).searchParams);
  return redirect(location, request);
}

// OIDC Core §3.1.2.1: the authorization endpoint also accepts form POSTs.
export async function POST(request: Request) {
  const params = isFormContentType(request.headers.get("content-type"))
    ? new URLSearchParams(await request.text())
    : new URLSearchParams();
  const { location } = await startAuthorization(params);
  return redirect(location, request);
}
