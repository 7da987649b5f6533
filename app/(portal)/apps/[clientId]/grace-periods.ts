/** How long the previous secrets keep working after a rotation. */
export const GRACE_PERIODS = [
  { value: "now", seconds: 0, label: "Stop working now" },
  { value: "1h", seconds: 3600, label: "1 hour" },
  { value: "24h", seconds: 86_400, label: "24 hours" },
  { value: "7d", seconds: 604_800, label: "7 days" },
] as const;

export type GracePeriod = (typeof GRACE_PERIODS)[number]["value"];
