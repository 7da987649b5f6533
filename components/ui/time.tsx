const absolute = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "UTC",
  timeZoneName: "short",
});

const units: [Intl.RelativeTimeFormatUnit, number][] = [
  ["day", 86_400_000],
  ["hour", 3_600_000],
  ["minute", 60_000],
];

export function formatRelative(date: Date, now = new Date()): string {
  const diff = date.getTime() - now.getTime();
  const rtf = new Intl.RelativeTimeFormat("en", { numeric: "always" });
  // A few seconds short of an hour still reads as "in 1 hour".
  for (const [unit, ms] of units) {
    if (Math.abs(diff) >= (unit === "minute" ? ms : ms * 0.95)) return rtf.format(Math.round(diff / ms), unit);
  }
  return diff >= 0 ? "in less than a minute" : "just now";
}

/** Server-rendered: relative text, the exact UTC time on hover. */
export function Time({ value, fallback = "Never", relative = true }: { value: Date | null; fallback?: string; relative?: boolean }) {
  if (!value) return <span className="text-slate-500 dark:text-slate-400">{fallback}</span>;
  const exact = absolute.format(value);
  return (
    <time dateTime={value.toISOString()} title={exact}>
      {relative ? formatRelative(value) : exact}
    </time>
  );
}
