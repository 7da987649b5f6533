import "server-only";
import { prisma } from "../db";

export interface UsageDay {
  day: string; // YYYY-MM-DD (UTC)
  tokens: number;
}

export interface AppUsage {
  days: UsageDay[];
  totalTokens: number;
  activeUsers: number;
  lastTokenAt: Date | null;
}

function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The last `span` UTC days, oldest first, with zeros for quiet days. */
export function lastDays(span: number, now = new Date()): string[] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Array.from({ length: span }, (_, i) => utcDay(new Date(today - (span - 1 - i) * 86_400_000)));
}

/** Reads the per-day counters the token endpoint aggregates in memory and flushes in batches. */
export async function getAppUsage(clientId: string, span = 30): Promise<AppUsage> {
  const days = lastDays(span);
  const [rows, users, client] = await Promise.all([
    prisma.clientUsageDay.findMany({ where: { clientId, day: { gte: days[0]! } }, select: { day: true, tokens: true } }),
    prisma.grant.groupBy({ by: ["userId"], where: { clientId, revokedAt: null } }),
    prisma.client.findUnique({ where: { id: clientId }, select: { lastTokenAt: true } }),
  ]);
  const counts = new Map(rows.map((r) => [r.day, r.tokens]));
  const series = days.map((day) => ({ day, tokens: counts.get(day) ?? 0 }));
  return {
    days: series,
    totalTokens: series.reduce((sum, d) => sum + d.tokens, 0),
    activeUsers: users.length,
    lastTokenAt: client?.lastTokenAt ?? null,
  };
}
