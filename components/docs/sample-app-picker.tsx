"use client";

import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import type { SampleApp } from "@/lib/docs/sample-context";

export function SampleAppPicker({ signedIn, apps, current }: { signedIn: boolean; apps: SampleApp[]; current: SampleApp | null }) {
  const router = useRouter();
  const pathname = usePathname();
  if (!signedIn) {
    return (
      <p className="mt-4 rounded-md border border-slate-200 bg-white px-3 py-2 text-sm text-slate-600 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-300" data-testid="sample-app">
        <Link href={`/signin?callbackUrl=${encodeURIComponent(pathname)}`} className="text-brand-700 underline dark:text-brand-300">Sign in</Link>{" "}
        to see the samples with your own client ID.
      </p>
    );
  }
  if (!current) {
    return (
      <p className="mt-4 rounded-md border border-slate-200 bg-white px-3 py-2 text-sm text-slate-600 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-300" data-testid="sample-app">
        <Link href="/apps/new" className="text-brand-700 underline dark:text-brand-300">Create an app</Link> to see the samples with your own client ID.
      </p>
    );
  }
  return (
    <div className="mt-4 flex flex-wrap items-center gap-2 rounded-md border border-slate-200 bg-white px-3 py-2 text-sm dark:border-slate-700 dark:bg-slate-900" data-testid="sample-app">
      <label htmlFor="sample-app" className="text-slate-600 dark:text-slate-300">Samples use your app</label>
      <select
        id="sample-app"
        value={current.id}
        onChange={(e) => router.replace(`${pathname}?app=${encodeURIComponent(e.target.value)}`, { scroll: false })}
        className="rounded-md border border-slate-300 bg-white px-2 py-1 dark:border-slate-600 dark:bg-slate-900"
      >
        {apps.map((a) => (
          <option key={a.id} value={a.id}>{a.name} ({a.type})</option>
        ))}
      </select>
    </div>
  );
}
