import type { ReactNode } from "react";

export function Card({
  title,
  description,
  actions,
  children,
  tone = "default",
  id,
}: {
  title?: string;
  description?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  tone?: "default" | "danger";
  id?: string;
}) {
  return (
    <section
      id={id}
      aria-label={title}
      className={`rounded-lg border bg-white dark:bg-slate-900 p-5 shadow-sm ${tone === "danger" ? "border-red-200 dark:border-red-800" : "border-slate-200 dark:border-slate-700"}`}
    >
      {(title || actions) && (
        <div className="mb-4 flex flex-wrap items-start justify-between gap-3">
          <div>
            {title && <h2 className={`font-semibold ${tone === "danger" ? "text-red-700 dark:text-red-300" : ""}`}>{title}</h2>}
            {description && <p className="mt-1 text-sm text-slate-600 dark:text-slate-300">{description}</p>}
          </div>
          {actions}
        </div>
      )}
      {children}
    </section>
  );
}
