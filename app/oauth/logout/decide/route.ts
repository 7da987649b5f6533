import { env } from "@/lib/env";
import { sessionUser } from "@/lib/server/authorization-flow";
import { finishLogout, isValidLogoutCsrfToken, logoutErrorPage, logoutResponse, validateLogout } from "@/lib/server/logout-flow";

export const dynamic = "force-dynamic";

/** The confirmation page's "Sign out" button. */
export async function POST(request: Request) {
  const fail = (description: string) => logoutResponse(request, { location: logoutErrorPage("invalid_request", description), clearSession: false });
  const origin = request.headers.get("origin");
  if (origin !== null && origin !== new URL(env().issuer).origin && origin !== new URL(request.url).origin) {
    return fail("The sign-out form was submitted from another site.");
  }
  const form = await request.formData().catch(() => null);
  const params = new URLSearchParams();
  for (const name of ["client_id", "post_logout_redirect_uri", "state"]) {
    const value = form?.get(name);
    if (typeof value === "string" && value !== "") params.set(name, value);
  }
  const result = await validateLogout(params);
  if (result.type === "error") return fail(result.error.description);
  const session = await sessionUser();
  if (session !== null && !isValidLogoutCsrfToken(String(form?.get("csrf_token") ?? ""), session, result.request)) {
    return fail("The sign-out form is invalid or has expired. Start again from the app.");
  }
  return logoutResponse(request, await finishLogout(session, result.request));
}
