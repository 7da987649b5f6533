// The one wording of a rate-limit refusal shown in forms. Sign-in carries it from next-auth's
// `authorize` (a thrown Error's message becomes signIn()'s `error`) to the form, which shows
// it only when it is this message: any other error stays the generic one.
const PATTERN = /^Too many attempts\. Try again in \d+ minutes?\.$/;

export function tooManyAttemptsMessage(retryAfterSeconds: number): string {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return `Too many attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
}

/** Shown only after the right password: it tells the account holder, nobody else. */
export const ACCOUNT_BLOCKED_MESSAGE = "This account is blocked. Ask an administrator.";

export function isTooManyAttemptsMessage(text: string | null | undefined): text is string {
  return typeof text === "string" && PATTERN.test(text);
}
