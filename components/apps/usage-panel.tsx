import type { AppUsage } from "@/lib/data/usage";
import { Card } from "@/components/ui/card";
import { Time } from "@/components/ui/time";
import { UsageChart } from "./usage-chart";

function Stat({ label, children, testId }: { label: string; children: React.ReactNode; testId: string }) {
  return (
    <div className="rounded-md bg-slate-50 dark:bg-slate-800 p-3">
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-500 dark:text-slate-400">{label}</dt>
      <dd className="mt-1 text-xl font-semibold" data-testid={testId}>{children}</dd>
    </div>
  );
}

export function UsagePanel({ usage }: { usage: AppUsage }) {
  return (
    <Card title="Usage" description="Tokens issued per day (UTC) over the last 30 days. Counts are collected in batches and can lag by a few seconds.">
      <dl className="mb-5 grid gap-3 sm:grid-cols-3">
        <Stat label="Tokens, last 30 days" testId="usage-total">{usage.totalTokens.toLocaleString("en")}</Stat>
        <Stat label="Users with an active grant" testId="usage-users">{usage.activeUsers.toLocaleString("en")}</Stat>
        <Stat label="Last token issued" testId="usage-last-token"><Time value={usage.lastTokenAt} /></Stat>
      </dl>
      <UsageChart days={usage.days} />
    </Card>
  );
}
