"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { DOCS_NAV } from "@/lib/docs/nav";

export function DocsNav() {
  const pathname = usePathname();
  return (
    <nav aria-label="Documentation" className="space-y-5 text-sm">
      {DOCS_NAV.map((group) => (
        <div key={group.group}>
          <p className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">{group.group}</p>
          <ul className="space-y-0.5">
            {group.pages.map((p) => {
              const active = pathname === p.href;
              return (
                <li key={p.href}>
                  <Link
                    href={p.href}
                    aria-current={active ? "page" : undefined}
                    className={`block rounded px-2 py-1 ${active ? "bg-brand-50 dark:bg-brand-950 font-medium text-brand-700 dark:text-brand-200" : "text-slate-700 dark:text-slate-300 hover:bg-slate-100 dark:hover:bg-slate-800"}`}
                  >
                    {p.title}
                  </Link>
                </li>
              );
            })}
          </ul>
        </div>
      ))}
    </nav>
  );
}
