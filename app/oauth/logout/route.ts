import { isFormContentType } from "@/lib/oauth/http";
import { logoutResponse, startLogout } from "@/lib/server/logout-flow";

export const dynamic = "force-dynamic";

/** RP-Initiated Logout 1.0 §2: the end_session_endpoint, by GET or by form POST. */
export async function GET(request: Request) {
  return logoutResponse(request, await startLogout(new URL(request.url).searchParams));
}

export async function POST(request: Request) {
  const params = isFormContentType(request.headers.get("content-type"))
    ? new URLSearchParams(await request.text())
    : new URLSearchParams();
  return logoutResponse(request, await startLogout(params));
}
