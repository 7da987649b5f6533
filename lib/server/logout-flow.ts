// RP-Initiated Logout 1.0 glue between the protocol core (lib/oauth/end-session.ts), the portal
// session, the confirmation page and the back-channel logout that ending a session starts.
import { createHmac } from "node:crypto";
import { endOpSession, getLogoutClient } from "../data/op-sessions";
import { env } from "../env";
import { errorPageUrl } from "./error-page-url";
import { hintMatchesSession, postLogoutRedirectUrl, validateEndSessionRequest, type EndSessionRequest } from "../oauth/end-session";
import { safeEqual } from "../oauth/tokens";
import { sessionUser } from "./authorization-flow";
import { oauth } from "./provider";

export const LOGOUT_DONE_PATH = "/oauth/logout/done";

export type LogoutOutcome = { location: string; clearSession: boolean };
export type PortalSession = NonNullable<Awaited<ReturnType<typeof sessionUser>>>;

export function logoutErrorPage(error: string, description: string): string {
  return errorPageUrl("/oauth/logout/error", error, description);
}

export async function validateLogout(params: URLSearchParams) {
  return validateEndSessionRequest(oauth().context, params, getLogoutClient);
}

/** The validated request as the confirmation form carries it (the hint is not needed again). */
export function confirmationParams(request: EndSessionRequest): URLSearchParams {
  const q = new URLSearchParams();
  if (request.clientId !== null) q.set("client_id", request.clientId);
  if (request.postLogoutRedirectUri !== null) q.set("post_logout_redirect_uri", request.postLogoutRedirectUri);
  if (request.postLogoutRedirectUri !== null && request.state !== null) q.set("state", request.state);
  return q;
}

/** A CSRF token for the confirmation form, bound to the session and the request it answers. */
export function logoutCsrfToken(session: PortalSession, request: EndSessionRequest): string {
  const binding = [session.sessionId ?? session.userId, request.clientId ?? "", request.postLogoutRedirectUri ?? "", request.state ?? ""];
  return createHmac("sha256", env().authSecret).update(`logout:${JSON.stringify(binding)}`).digest("base64url");
}

export function isValidLogoutCsrfToken(token: string, session: PortalSession, request: EndSessionRequest): boolean {
  return safeEqual(token, logoutCsrfToken(session, request));
}

/** Ends the OP session (back-channel logout tokens go out) and says where the browser goes. */
export async function finishLogout(session: PortalSession | null, request: EndSessionRequest): Promise<LogoutOutcome> {
  if (session?.sessionId) await endOpSession(session.sessionId);
  return { location: postLogoutRedirectUrl(request) ?? LOGOUT_DONE_PATH, clearSession: true };
}

/** GET or POST /oauth/logout. */
export async function startLogout(params: URLSearchParams): Promise<LogoutOutcome> {
  const result = await validateLogout(params);
  if (result.type === "error") return { location: logoutErrorPage(result.error.error, result.error.description), clearSession: false };
  const { request } = result;
  const session = await sessionUser();
  // §2: without a hint for this very session, the user is asked first.
  if (session !== null && !hintMatchesSession(request, session)) {
    return { location: `/oauth/logout/confirm?${confirmationParams(request)}`, clearSession: false };
  }
  return finishLogout(session, request);
}

const SESSION_COOKIE = /^(?:__Secure-)?next-auth\.session-token(?:\.\d+)?$/;

/** A See Other to `location`, expiring the portal's session cookies when asked to. */
export function logoutResponse(request: Request, outcome: LogoutOutcome): Response {
  const headers = new Headers({ Location: new URL(outcome.location, request.url).href, "Cache-Control": "no-store" });
  if (outcome.clearSession) {
    const names = (request.headers.get("cookie") ?? "")
      .split(";")
      .map((c) => c.split("=")[0]!.trim())
      .filter((name) => SESSION_COOKIE.test(name));
    for (const name of names) {
      const secure = name.startsWith("__Secure-") ? "; Secure" : "";
      headers.append("Set-Cookie", `${name}=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax${secure}`);
    }
  }
  return new Response(null, { status: 303, headers });
}
