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
  ];
  return (
    <nav aria-label="App sections" className="flex gap-1 border-b border-slate-200">
      {tabs.map((t) => {
        const active = pathname === t.href;
        return (
          <Link
            key={t.href}
            href={t.href}
            aria-current={active ? "page" : undefined}
            className={`-mb-px border-b-2 px-4 py-2 text-sm font-medium ${active ? "border-brand-600 text-brand-700" : "border-transparent text-slate-600 hover:text-slate-900"}`}
          >
            {t.label}
          </Link>
        );
      })}
    </nav>
  );
}
