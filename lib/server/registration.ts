// The registration endpoint of the running server: the protocol core (lib/oauth/registration.ts)
// wired to Prisma and the run-time registration policy.
import type { OAuthRequest, OAuthResponse } from "../oauth/http";
import { handleRegistrationRequest, type RegistrationContext } from "../oauth/registration";
import { registrationStore } from "../data/registered-clients";
import { serverSettings } from "../data/settings";
import { env } from "../env";
import { clientIp } from "./client-ip";
import { OAUTH_PATHS } from "./provider";
import { consumeRegistration, tooManyRequests } from "./rate-limits";

let context: RegistrationContext | undefined;

export async function serveRegistration(req: OAuthRequest, rawBody: string | null): Promise<OAuthResponse> {
  context ??= {
    store: registrationStore,
    issuer: env().issuer,
    path: OAUTH_PATHS.registration,
    policy: async () => (await serverSettings()).registration,
    log: (err) => console.error("[latchkey] registration", err.debug ?? err.message),
  };
  if (req.method === "POST") {
    const wait = await consumeRegistration(clientIp(req.headers));
    if (wait !== null) return tooManyRequests(wait, "Too many registrations from this address.");
  }
  return handleRegistrationRequest(context, req, rawBody);
}
