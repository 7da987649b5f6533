// RFC 8628 device authorizations past their lifetime: whatever their state, nothing can use
// them any more (a replayed device code is refused as unknown), so housekeeping deletes them.
import { prisma } from "../db";

/** Deletes device authorizations that expired before `now`; returns how many. */
export async function deleteExpiredDeviceAuthorizations(now = new Date()): Promise<number> {
  const { count } = await prisma.deviceAuthorization.deleteMany({ where: { expiresAt: { lt: now } } });
  return count;
}
