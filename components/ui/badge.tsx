import type { ReactNode } from "react";

const tones = {
  gray: "bg-slate-100 dark:bg-slate-800 text-slate-700 dark:text-slate-300",
  green: "bg-emerald-50 dark:bg-emerald-950/60 text-emerald-700 dark:text-emerald-300 ring-emerald-200",
  amber: "bg-amber-50 dark:bg-amber-950/60 text-amber-800 dark:text-amber-200 ring-amber-200",
  red: "bg-red-50 dark:bg-red-950/60 text-red-700 dark:text-red-300 ring-red-200",
  blue: "bg-brand-50 dark:bg-brand-950 text-brand-700 dark:text-brand-200 ring-brand-100",
} as const;

export type BadgeTone = keyof typeof tones;

export function Badge({ tone = "gray", children }: { tone?: BadgeTone; children: ReactNode }) {
  return (
    <span className={`inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ring-slate-200 dark:ring-slate-700 ${tones[tone]}`}>
      {children}
    </span>
  );
}
