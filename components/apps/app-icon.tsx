import type { AppSummary } from "@/lib/data/clients";

export function AppIcon({ app, size = "md" }: { app: Pick<AppSummary, "name" | "logoUrl">; size?: "sm" | "md" }) {
  const box = size === "sm" ? "h-9 w-9 text-base" : "h-14 w-14 text-2xl";
  if (app.logoUrl) {
    // eslint-disable-next-line @next/next/no-img-element
    return <img src={app.logoUrl} alt="" className={`${box} shrink-0 rounded-lg border border-slate-200 dark:border-slate-700 object-cover`} />;
  }
  return (
    <div aria-hidden className={`${box} flex shrink-0 items-center justify-center rounded-lg bg-brand-100 dark:bg-brand-900 font-semibold text-brand-700 dark:text-brand-200`}>
      {app.name.slice(0, 1).toUpperCase()}
    </div>
  );
}
