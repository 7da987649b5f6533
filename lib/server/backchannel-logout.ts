// Sends back-channel logout tokens (OpenID Connect Back-Channel Logout 1.0 §2.5): a form POST
// of `logout_token` to each app's registered URI, at once when a session ends and again from
// the retry tick until delivered or given up. Receivers are reached under the SSRF policy of
// safe-fetch.ts.
import {
  claimLogoutDelivery,
  dueLogoutDeliveries,
  markLogoutAttemptFailed,
  markLogoutDelivered,
  setLogoutDispatcher,
} from "../data/logout-deliveries";
import { env } from "../env";
import { signLogoutToken } from "../oauth/logout-token";
import { oauth } from "./provider";
import { safePostForm, SafeFetchError } from "./safe-fetch";

let warned = false;

function allowLoopback(): boolean {
  const allow = env().logoutAllowLoopback;
  if (allow && !warned) {
    warned = true;
    console.warn("[latchkey] LATCHKEY_LOGOUT_ALLOW_LOOPBACK is on: logout tokens may be sent to loopback addresses over http; never use this in production");
  }
  return allow;
}

/** One attempt for one delivery; nothing happens when it is not due or another instance has it. */
export async function attemptLogoutDelivery(id: string): Promise<"delivered" | "pending" | "failed" | "skipped"> {
  const job = await claimLogoutDelivery(id);
  if (job === null) return "skipped";
  let error: string;
  try {
    const { token } = await signLogoutToken(oauth().context, {
      clientId: job.clientId,
      userId: job.userId,
      sessionId: job.sessionId,
      alg: job.idTokenAlg,
    });
    const { status } = await safePostForm(job.uri, new URLSearchParams({ logout_token: token }), { allowLoopback: allowLoopback() });
    if (status >= 200 && status < 300) {
      await markLogoutDelivered(job.id);
      return "delivered";
    }
    error = `${job.uri} answered ${status}`;
  } catch (err) {
    error = err instanceof SafeFetchError ? err.message : `Could not send the logout token: ${(err as Error).message}`;
  }
  return markLogoutAttemptFailed(job, error, env().logoutRetryDelay);
}

export async function deliverLogouts(ids: string[]): Promise<void> {
  await Promise.all(
    ids.map((id) => attemptLogoutDelivery(id).catch((err) => console.error("[latchkey] back-channel logout delivery failed", err))),
  );
}

/** Sends every delivery whose next attempt is due. */
export async function retryDueLogoutDeliveries(): Promise<void> {
  const ids = await dueLogoutDeliveries();
  if (ids.length > 0) await deliverLogouts(ids);
}

/** Deliveries queued in this process go out at once; the returned function stops that. */
export function startLogoutDispatch(): () => void {
  setLogoutDispatcher((ids) => void deliverLogouts(ids));
  return () => setLogoutDispatcher(undefined);
}
