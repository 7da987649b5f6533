import Link from "next/link";

const steps = [
  { title: "Create an app", body: "Name it, choose confidential (has a server) or public (browser, mobile, desktop), and list the redirect URIs users return to." },
  { title: "Save your credentials", body: "You get a client ID at once. Confidential apps also get a secret, shown a single time." },
  { title: "Try it in the playground", body: "Run a real sign-in against this server from your app's page, then copy the working requests into your code." },
];

export function AppsEmptyState() {
  return (
    <div className="rounded-lg border border-dashed border-slate-300 dark:border-slate-600 bg-white dark:bg-slate-900 p-8 text-center" data-testid="apps-empty-state">
      <h2 className="text-lg font-semibold">You have no apps yet</h2>
      <p className="mx-auto mt-2 max-w-xl text-sm text-slate-600 dark:text-slate-300">
        An app is how your software identifies itself to Latchkey: it lets users sign in with their Latchkey account and
        lets your code call APIs with the access they grant.
      </p>
      <ol className="mx-auto mt-6 grid max-w-3xl gap-4 text-left sm:grid-cols-3">
        {steps.map((s, i) => (
          <li key={s.title} className="rounded-md bg-slate-50 dark:bg-slate-800 p-4">
            <p className="text-xs font-semibold text-brand-600 dark:text-brand-300">Step {i + 1}</p>
            <p className="font-medium">{s.title}</p>
            <p className="mt-1 text-sm text-slate-600 dark:text-slate-300">{s.body}</p>
          </li>
        ))}
      </ol>
      <div className="mt-6 flex justify-center gap-3">
        <Link href="/apps/new" className="rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700">
          Create your first app
        </Link>
        <Link href="/docs" className="rounded-md border border-slate-300 dark:border-slate-600 bg-white dark:bg-slate-900 px-4 py-2 text-sm font-medium hover:bg-slate-50 dark:hover:bg-slate-800">
          Read the docs
        </Link>
      </div>
    </div>
  );
}
