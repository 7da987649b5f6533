import Link from "next/link";

export function BrandLink() {
  return (
    <Link href="/" className="flex shrink-0 items-center gap-1.5 font-semibold text-slate-900 dark:text-slate-100">
      <svg aria-hidden viewBox="0 0 24 24" className="h-5 w-5 text-brand-600 dark:text-brand-300" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
        <circle cx="7.5" cy="15.5" r="4.5" />
        <path d="M10.7 12.3 20 3M16 7l3 3M14 9l2 2" />
      </svg>
      Latchkey
    </Link>
  );
}
