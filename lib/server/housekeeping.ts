// Periodic clean-up run by every server process (each step is idempotent, so several
// instances may run it at once).
import { deleteUnclaimedRegisteredClients } from "../data/registered-clients";
import { maintainSigningKeys } from "../data/signing-keys";
import { env } from "../env";

const FIRST_RUN_MS = 60_000;
const EVERY_MS = 60 * 60_000;

/**
 * Deletes registered clients (RFC 7591) nobody claimed that issued no token for
 * `registrationExpiryDays` (counted from their creation when they never did). Returns their ids.
 */
export async function expireRegisteredClients(now = new Date()): Promise<string[]> {
  const cutoff = new Date(now.getTime() - env().registrationExpiryDays * 86_400_000);
  return deleteUnclaimedRegisteredClients(cutoff);
}

async function runHousekeeping(): Promise<void> {
  try {
    const expired = await expireRegisteredClients();
    if (expired.length > 0) console.log(`[latchkey] deleted ${expired.length} unclaimed registered client(s) without recent tokens`);
  } catch (err) {
    console.error("[latchkey] housekeeping failed", err);
  }
  try {
    const rotation = await maintainSigningKeys();
    if (rotation) console.log(`[latchkey] scheduled key rotation: ${rotation.keys.map((k) => `${k.alg} ${k.kid}`).join(", ")} sign from ${rotation.keys[0]?.activatesAt.toISOString()}`);
  } catch (err) {
    console.error("[latchkey] signing key maintenance failed", err);
  }
}

/** Runs the clean-up a minute after start, then hourly; the returned function stops it. */
export function startHousekeeping(): () => void {
  let interval: NodeJS.Timeout | undefined;
  const first = setTimeout(() => {
    void runHousekeeping();
    interval = setInterval(() => void runHousekeeping(), EVERY_MS);
    interval.unref();
  }, FIRST_RUN_MS);
  first.unref();
  return () => {
    clearTimeout(first);
    clearInterval(interval);
  };
}
