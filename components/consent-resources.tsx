export interface ConsentResource {
  identifier: string;
  /** The registered API's name; null if it is no longer registered. */
  name: string | null;
}

function hostOf(identifier: string): string {
  try {
    return new URL(identifier).host;
  } catch {
    return identifier;
  }
}

/** The APIs (RFC 8707 resource indicators) the app's access will be limited to. */
export function ConsentResources({ resources }: { resources: ConsentResource[] }) {
  if (!resources.length) return null;
  return (
    <section aria-label="APIs" className="mt-6">
      <h2 className="text-sm font-semibold text-slate-700 dark:text-slate-300">The access is for {resources.length === 1 ? "this API" : "these APIs"}:</h2>
      <ul className="mt-2 space-y-2">
        {resources.map((r) => (
          <li key={r.identifier} data-testid="consent-resource" className="rounded-md border border-slate-200 dark:border-slate-700 px-3 py-2 text-sm">
            <span className="font-medium" data-testid="consent-resource-name">{r.name ?? r.identifier}</span>
            <span className="ml-2 font-mono text-xs text-slate-500 dark:text-slate-400" data-testid="consent-resource-host">{hostOf(r.identifier)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
