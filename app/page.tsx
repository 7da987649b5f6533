import Link from "next/link";

const features = [
  { title: "Register apps", body: "Get a client ID, a secret shown once, redirect URIs checked as you type, and scopes from a catalog." },
  { title: "Standards-exact", body: "Authorization code with PKCE, client credentials, refresh token rotation, revocation, introspection and OpenID Connect." },
  { title: "Your machine", body: "One npm command starts it on an embedded SQLite database. PostgreSQL when you need it." },
];

export default function HomePage() {
  return (
    <div className="space-y-10">
      <section className="pt-6">
        <h1 className="text-4xl font-bold tracking-tight">Latchkey</h1>
        <p className="mt-3 max-w-2xl text-lg text-slate-600 dark:text-slate-300">
          A self-hostable OAuth 2.0 and OpenID Connect authorization server with a developer portal built in.
        </p>
        <div className="mt-6 flex flex-wrap gap-3">
          <Link href="/apps" className="rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700">Open the developer portal</Link>
          <Link href="/docs" className="rounded-md border border-slate-300 dark:border-slate-600 bg-white dark:bg-slate-900 px-4 py-2 text-sm font-medium hover:bg-slate-50 dark:hover:bg-slate-800">Read the docs</Link>
        </div>
      </section>
      <section className="grid gap-4 sm:grid-cols-3">
        {features.map((f) => (
          <div key={f.title} className="rounded-lg border border-slate-200 dark:border-slate-700 bg-white dark:bg-slate-900 p-5">
            <h2 className="font-semibold">{f.title}</h2>
            <p className="mt-2 text-sm text-slate-600 dark:text-slate-300">{f.body}</p>
          </div>
        ))}
      </section>
      <section className="rounded-lg border border-slate-200 dark:border-slate-700 bg-white dark:bg-slate-900 p-5 text-sm">
        <h2 className="font-semibold">Discovery</h2>
        <p className="mt-2 text-slate-600 dark:text-slate-300">
          Point any OAuth or OpenID Connect client library at{" "}
          <a className="font-mono break-all text-brand-600 underline underline-offset-2 dark:text-brand-300" href="/.well-known/openid-configuration">/.well-known/openid-configuration</a>.
        </p>
      </section>
    </div>
  );
}
