import { takePendingAuthorization } from "@/lib/data/authorization-requests";
import { recordAudit } from "@/lib/data/audit";
import { isValidConsentCsrfToken, noteIssuedInSession, sessionUser } from "@/lib/server/authorization-flow";
import { oauth } from "@/lib/server/provider";
import { env } from "@/lib/env";
import { errorPageUrl } from "@/lib/server/error-page-url";

export const dynamic = "force-dynamic";

function seeOther(location: string, request: Request) {
  return Response.redirect(new URL(location, request.url), 303);
}

function failure(request: Request, description: string) {
  return seeOther(errorPageUrl("/oauth/error", "invalid_request", description), request);
}

/** The consent form's target: Allow or Deny. */
export async function POST(request: Request) {
  const origin = request.headers.get("origin");
  if (origin !== null && origin !== new URL(env().issuer).origin && origin !== new URL(request.url).origin) {
    return failure(request, "The consent form was submitted from another site.");
  }
  const session = await sessionUser();
  if (!session) return failure(request, "Your session ended. Start again from the app.");
  const form = await request.formData().catch(() => null);
  const id = String(form?.get("id") ?? "");
  const csrf = String(form?.get("csrf_token") ?? "");
  const decision = String(form?.get("decision") ?? "");
  if (!isValidConsentCsrfToken(csrf, id, session.userId)) {
    return failure(request, "The consent form is invalid or has expired. Start again from the app.");
  }
  // Taking the request deletes it, so approving twice (or replaying) fails cleanly.
  const pending = await takePendingAuthorization(id, session.userId);
  if (!pending) return failure(request, "This authorization request was already answered or has expired.");
  const actor = { id: session.userId, label: session.userId };
  const details = { scope: pending.request.scope.join(" "), resource: (pending.request.resource ?? []).join(" ") };
  if (decision !== "allow") {
    await recordAudit(actor, "consent.denied", pending.request.clientId, details);
    const denied = await oauth().authorize.deny(pending.request).catch(() => null);
    if (denied === null) return failure(request, "This application can no longer be authorized.");
    return seeOther(denied.redirectUrl, request);
  }
  try {
    const { redirectUrl, issued } = await oauth().authorize.approve(pending.request, session);
    await noteIssuedInSession(session, pending.request.clientId, issued);
    await recordAudit(actor, "consent.granted", pending.request.clientId, details);
    return seeOther(redirectUrl, request);
  } catch {
    return failure(request, "This application can no longer be authorized.");
  }
}
