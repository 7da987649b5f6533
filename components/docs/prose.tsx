import type { ReactNode } from "react";

export function Prose({ children }: { children: ReactNode }) {
  return (
    <article
      className="max-w-3xl text-[15px] leading-7 text-slate-700 dark:text-slate-300 [&_a]:text-brand-600 [&_a]:underline [&_a]:underline-offset-2 dark:[&_a]:text-brand-300 [&_h1]:text-3xl [&_h1]:font-bold [&_h1]:tracking-tight [&_h1]:text-slate-900 dark:[&_h1]:text-slate-100 [&_h2]:mt-10 [&_h2]:text-xl [&_h2]:font-semibold [&_h2]:text-slate-900 dark:[&_h2]:text-slate-100 [&_h3]:mt-6 [&_h3]:font-semibold [&_h3]:text-slate-900 dark:[&_h3]:text-slate-100 [&_li]:mt-1 [&_ol]:mt-3 [&_ol]:list-decimal [&_ol]:pl-6 [&_p]:mt-3 [&_p>code]:rounded [&_p>code]:bg-slate-100 dark:[&_p>code]:bg-slate-800 [&_p>code]:px-1 [&_p>code]:text-[13px] [&_li>code]:rounded [&_li>code]:bg-slate-100 dark:[&_li>code]:bg-slate-800 [&_li>code]:px-1 [&_li>code]:text-[13px] [&_td>code]:text-[13px] [&_ul]:mt-3 [&_ul]:list-disc [&_ul]:pl-6"
    >
      {children}
    </article>
  );
}

export function Callout({ tone = "info", title, children }: { tone?: "info" | "warning" | "danger"; title: string; children: ReactNode }) {
  const styles = {
    info: "border-brand-100 dark:border-brand-900 bg-brand-50 dark:bg-brand-950 text-slate-800 dark:text-slate-200",
    warning: "border-amber-300 dark:border-amber-700 bg-amber-50 dark:bg-amber-950/60 text-amber-950 dark:text-amber-100",
    danger: "border-red-300 dark:border-red-700 bg-red-50 dark:bg-red-950/60 text-red-950 dark:text-red-100",
  }[tone];
  return (
    <aside className={`my-5 rounded-lg border px-4 py-3 text-sm ${styles}`} role="note">
      <p className="font-semibold">{title}</p>
      <div className="[&_p]:mt-1">{children}</div>
    </aside>
  );
}
