// The authorization endpoint's glue between the protocol core, the portal session,
// the sign-in page and the consent screen.
import { createHmac } from "node:crypto";
import { getServerSession } from "next-auth";
import { authOptions } from "../auth/options";
import {
  bindPendingAuthorization,
  deletePendingAuthorization,
  getPendingAuthorization,
  savePendingAuthorization,
  type PendingAuthorization,
} from "../data/authorization-requests";
import { recordSessionClient } from "../data/op-sessions";
import { env } from "../env";
import { errorPageUrl } from "./error-page-url";
import { safeEqual } from "../oauth/tokens";
import { oauth, oauthStore } from "./provider";

export type FlowOutcome = { location: string };

function errorPage(error: string, description: string): FlowOutcome {
  return { location: errorPageUrl("/oauth/error", error, description) };
}

async function sessionUser(): Promise<{ userId: string; authTime: Date; sessionId: string | null } | null> {
  const session = await getServerSession(authOptions);
  if (!session?.user?.id) return null;
  return { userId: session.user.id, authTime: new Date(session.user.authTime), sessionId: session.user.sid ?? null };
}

/** The app was issued a code or token in the OP session: it gets a logout token when the session ends. */
export async function noteIssuedInSession(session: { sessionId?: string | null } | null, clientId: string, issued: boolean | undefined): Promise<void> {
  if (issued === true && session?.sessionId) await recordSessionClient(session.sessionId, clientId);
}

/** GET or POST /oauth/authorize. */
export async function startAuthorization(params: URLSearchParams): Promise<FlowOutcome> {
  const result = await oauth().authorize.validate(params);
  if (result.type === "error_page") return errorPage(result.error.error, result.error.description);
  if (result.type === "redirect") return { location: result.url };
  const id = await savePendingAuthorization(result.request);
  return continueAuthorization(id);
}

/** Decides what happens next: sign in, consent, or straight back to the client. */
export async function continueAuthorization(id: string): Promise<FlowOutcome> {
  const pending = await getPendingAuthorization(id);
  if (!pending) return errorPage("invalid_request", "This authorization request has expired or was already used. Start again from the app.");
  const { request } = pending;
  const session = await sessionUser();
  const grant = session ? await oauthStore().getGrant(session.userId, request.clientId) : null;
  const decision = await oauth().authorize.decide(request, { session, grant });
  if (decision.type === "error_page") {
    await deletePendingAuthorization(id);
    return errorPage(decision.error.error, decision.error.description);
  }
  if (decision.type === "redirect") {
    await noteIssuedInSession(session, request.clientId, decision.issued);
    await deletePendingAuthorization(id);
    return { location: decision.url };
  }
  if (decision.type === "login") {
    const back = `/oauth/authorize/continue?id=${encodeURIComponent(id)}`;
    const q = new URLSearchParams({ callbackUrl: back });
    if (session) q.set("reauth", "1");
    if (request.loginHint) q.set("login_hint", request.loginHint);
    return { location: `/signin?${q}` };
  }
  await bindPendingAuthorization(id, session!.userId);
  return { location: `/oauth/consent?id=${encodeURIComponent(id)}` };
}

/** A CSRF token for the consent form, bound to the request id and the user. */
export function consentCsrfToken(id: string, userId: string): string {
  return createHmac("sha256", env().authSecret).update(`consent:${id}:${userId}`).digest("base64url");
}

export function isValidConsentCsrfToken(token: string, id: string, userId: string): boolean {
  return safeEqual(token, consentCsrfToken(id, userId));
}

export async function pendingForUser(id: string, userId: string): Promise<PendingAuthorization | null> {
  const pending = await getPendingAuthorization(id);
  return pending && pending.userId === userId ? pending : null;
}

export { sessionUser };
