// Periodic clean-up run by every server process (each step is idempotent, so several
// instances may run it at once).
import { deleteExpiredDeviceAuthorizations } from "../data/device-authorizations";
import { deleteUnclaimedRegisteredClients } from "../data/registered-clients";
import { deleteOldLogoutRecords } from "../data/logout-deliveries";
import { maintainSigningKeys } from "../data/signing-keys";
import { retryDueLogoutDeliveries, startLogoutDispatch } from "./backchannel-logout";
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
    await deleteOldLogoutRecords(new Date(Date.now() - 30 * 86_400_000));
  } catch (err) {
    console.error("[latchkey] logout record clean-up failed", err);
  }
  try {
    const expired = await expireRegisteredClients();
    if (expired.length > 0) console.log(`[latchkey] deleted ${expired.length} unclaimed registered client(s) without recent tokens`);
  } catch (err) {
    console.error("[latchkey] housekeeping failed", err);
  }
  try {
    const devices = await deleteExpiredDeviceAuthorizations();
    if (devices > 0) console.log(`[latchkey] deleted ${devices} expired device authorization(s)`);
  } catch (err) {
    console.error("[latchkey] device authorization clean-up failed", err);
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
  // Back-channel logout: new deliveries go out at once, failed ones are retried on this tick.
  const stopDispatch = startLogoutDispatch();
  const logoutTick = setInterval(
    () => void retryDueLogoutDeliveries().catch((err) => console.error("[latchkey] logout delivery retry failed", err)),
    Math.min(env().logoutRetryDelay, 15) * 1000,
  );
  logoutTick.unref();
  const first = setTimeout(() => {
    void runHousekeeping();
    interval = setInterval(() => void runHousekeeping(), EVERY_MS);
    interval.unref();
  }, FIRST_RUN_MS);
  first.unref();
  return () => {
    clearTimeout(first);
    clearInterval(interval);
    clearInterval(logoutTick);
    stopDispatch();
  };
}
