// Password sign-in with its rate limits: refused before the password is checked while the
// account (its normalised email, whether or not it exists) or the address is locked out;
// failures are counted and audited, and a success clears the account's failures.
import { tooManyAttemptsMessage } from "../auth/too-many-attempts";
import { recordAudit, systemActor } from "../data/audit";
import { getUserByEmail, normalizeEmail, verifyCredentials, type UserSummary } from "../data/users";
import { recordSignInFailure, recordSignInSuccess, signInBlocked } from "./rate-limits";

const untilIso = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();

/**
 * The user, or null for a wrong email or password. While locked out (or on the failure
 * that locks) it throws an Error whose message is the one the sign-in form shows.
 */
export async function verifySignIn(email: string, password: string, ip: string): Promise<UserSummary | null> {
  const account = normalizeEmail(email);
  const refusal = await signInBlocked(account, ip);
  if (refusal) throw new Error(tooManyAttemptsMessage(refusal.retryAfter));
  const user = await verifyCredentials(account, password);
  if (user) {
    await recordSignInSuccess(account);
    return user;
  }
  const [failure] = await Promise.all([
    recordSignInFailure(account, ip),
    recordAudit(systemActor, "auth.sign_in_failed", null, { email: account, ip }),
  ]);
  if (failure.lockout) {
    const target = (await getUserByEmail(account))?.id ?? null;
    await recordAudit(systemActor, "auth.locked_out", target, {
      email: account,
      ip,
      until: untilIso(failure.lockout.seconds),
      lockouts: failure.lockout.count,
    });
  }
  if (failure.ipLockout) {
    await recordAudit(systemActor, "auth.ip_locked_out", null, { email: account, ip, until: untilIso(failure.ipLockout.seconds) });
  }
  if (failure.refusal) throw new Error(tooManyAttemptsMessage(failure.refusal.retryAfter));
  return null;
}
