"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

export function AppTabs({ clientId }: { clientId: string }) {
  const pathname = usePathname();
  const base = `/apps/${encodeURIComponent(clientId)}`;
  const tabs = [
    { href: base, label: "Overview" },
    { href: `${base}/settings`, label: "Settings" },
    { href: `${base}/playground`, label: "Playground" },
    { href: `${base}/team`, label: "Team" },
  ];
  return (
    <nav aria-label="App sections" className="flex gap-1 border-b border-slate-200 dark:border-slate-700">
      {tabs.map((t) => {
        const active = pathname === t.href;
        return (
          <Link
            key={t.href}
            href={t.href}
            aria-current={active ? "page" : undefined}
            className={`-mb-px border-b-2 px-4 py-2 text-sm font-medium ${active ? "border-brand-600 dark:border-brand-400 text-brand-700 dark:text-brand-200" : "border-transparent text-slate-600 dark:text-slate-300 hover:text-slate-900 dark:hover:text-white"}`}
          >
            {t.label}
          </Link>
        );
      })}
    </nav>
  );
}
