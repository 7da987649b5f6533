import Link from "next/link";

export default function AppsNotFound() {
  return (
    <div className="mx-auto max-w-md rounded-lg border border-slate-200 dark:border-slate-700 bg-white dark:bg-slate-900 p-8 text-center">
      <h1 className="text-xl font-semibold">App not found</h1>
      <p className="mt-2 text-sm text-slate-600 dark:text-slate-300">It may have been deleted, or it belongs to another account.</p>
      <Link href="/apps" className="mt-4 inline-block text-sm text-brand-600 dark:text-brand-300 underline underline-offset-2">Back to your apps</Link>
    </div>
  );
}
