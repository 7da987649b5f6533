import Link from "next/link";

const links = [
  { href: "/admin", label: "Apps" },
  { href: "/admin/apis", label: "APIs" },
  { href: "/admin/scopes", label: "Scope catalog" },
  { href: "/admin/registration", label: "Registration" },
  { href: "/admin/users", label: "Users" },
  { href: "/admin/audit", label: "Audit log" },
];

export function AdminNav({ current }: { current: string }) {
  return (
    <nav aria-label="Admin" className="mb-6 flex flex-wrap gap-4 border-b border-slate-200 dark:border-slate-700 text-sm">
      {links.map((l) => (
        <Link
          key={l.href}
          href={l.href}
          aria-current={current === l.href ? "page" : undefined}
          className={`-mb-px border-b-2 px-1 pb-2 ${current === l.href ? "border-brand-600 dark:border-brand-400 font-medium text-brand-700 dark:text-brand-200" : "border-transparent text-slate-600 dark:text-slate-300 hover:text-slate-900 dark:hover:text-white"}`}
        >
          {l.label}
        </Link>
      ))}
    </nav>
  );
}
