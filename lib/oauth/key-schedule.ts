// Which signing key signs when, decided from stored timestamps alone (no database access), so
// every instance reaches the same answer at the same moment.
import { JWS_ALGS } from "./store";

export type SigningKeyStatus = "active" | "next" | "retired";

export interface KeyTimes {
  kid: string;
  alg: string;
  /** As stored; "next" and "active" keys are ranked by their activation time. */
  status: string;
  createdAt: Date;
  activatedAt: Date | null;
  retiredAt: Date | null;
}

/** When a key signs (or signed) first. */
export const signsFrom = (row: KeyTimes): number => (row.activatedAt ?? row.createdAt).getTime();

/**
 * Each key's status at `now`, from the timestamps: per algorithm the key with the latest
 * activation time not after `now` signs; earlier ones are retired from their successor's
 * activation time; later ones are next.
 */
export function keyStates(rows: readonly KeyTimes[], now: Date): Map<string, { status: SigningKeyStatus; retiredAt: Date | null }> {
  const states = new Map<string, { status: SigningKeyStatus; retiredAt: Date | null }>();
  for (const row of rows) {
    if (row.status === "retired") states.set(row.kid, { status: "retired", retiredAt: row.retiredAt });
  }
  for (const alg of JWS_ALGS) {
    const live = rows
      .filter((r) => r.alg === alg && r.status !== "retired")
      .sort((a, b) => signsFrom(a) - signsFrom(b) || a.createdAt.getTime() - b.createdAt.getTime());
    const started = live.filter((r) => signsFrom(r) <= now.getTime());
    started.forEach((row, i) => {
      const successor = started[i + 1];
      states.set(
        row.kid,
        successor === undefined ? { status: "active", retiredAt: null } : { status: "retired", retiredAt: new Date(signsFrom(successor)) },
      );
    });
    for (const row of live) if (signsFrom(row) > now.getTime()) states.set(row.kid, { status: "next", retiredAt: null });
  }
  return states;
}
