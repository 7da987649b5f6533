export interface ConsentScope {
  name: string;
  description: string;
  category: string;
  isNew: boolean;
}

export function ConsentScopes({
  scopes,
  appName,
  keepsAccess,
}: {
  scopes: ConsentScope[];
  appName: string;
  /** A refresh token will be issued: the app can act while the user is away. */
  keepsAccess: boolean;
}) {
  const groups = new Map<string, ConsentScope[]>();
  for (const scope of scopes) groups.set(scope.category, [...(groups.get(scope.category) ?? []), scope]);
  return (
    <div className="mt-6 space-y-4">
      <h2 className="text-sm font-semibold text-slate-700 dark:text-slate-300">This will allow the app to:</h2>
      {[...groups].map(([category, items]) => (
        <section key={category} aria-label={category}>
          <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">{category}</h3>
          <ul className="mt-2 space-y-2">
            {items.map((s) => (
              <li
                key={s.name}
                data-scope={s.name}
                data-new={s.isNew ? "true" : undefined}
                className={`rounded-md border px-3 py-2 text-sm ${s.isNew ? "border-amber-300 dark:border-amber-700 bg-amber-50 dark:bg-amber-950/60" : "border-slate-200 dark:border-slate-700"}`}
              >
                <span>{s.description}</span>
                {s.isNew && <span className="ml-2 rounded bg-amber-200 dark:bg-amber-800 px-1.5 py-0.5 text-xs font-medium text-amber-900 dark:text-amber-100">New</span>}
                <span className="block font-mono text-xs text-slate-500 dark:text-slate-400">{s.name}</span>
              </li>
            ))}
          </ul>
        </section>
      ))}
      <p data-testid="consent-keeps-access" className={`rounded-md px-3 py-2 text-sm ${keepsAccess ? "bg-amber-50 dark:bg-amber-950/60 text-amber-900 dark:text-amber-100" : "bg-slate-50 dark:bg-slate-800 text-slate-700 dark:text-slate-300"}`}>
        {keepsAccess
          ? `${appName} will keep this access when you are not using it, until you remove it in Connected apps.`
          : `${appName} can use this access for a short time each time you use the app; it cannot keep it while you are away.`}
      </p>
    </div>
  );
}
