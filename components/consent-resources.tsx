export interface ConsentResource {
  identifier: string;
  /** The registered API's name; null if it is no longer registered. */
  name: string | null;
  /** True when the user already allowed this app other access, but not to this API. */
  isNew?: boolean;
}

/** The APIs a request names, with their registered names, marked new when the user's grant lacks them. */
export function consentResourceList(
  identifiers: readonly string[],
  apis: readonly { identifier: string; name: string }[],
  grant: { resources: readonly string[] } | null,
): ConsentResource[] {
  return identifiers.map((identifier) => ({
    identifier,
    name: apis.find((a) => a.identifier === identifier)?.name ?? null,
    isNew: grant !== null && !grant.resources.includes(identifier),
  }));
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
          <li
            key={r.identifier}
            data-testid="consent-resource"
            data-new={r.isNew ? "true" : undefined}
            className={`rounded-md border px-3 py-2 text-sm ${r.isNew ? "border-amber-300 dark:border-amber-700 bg-amber-50 dark:bg-amber-950/60" : "border-slate-200 dark:border-slate-700"}`}
          >
            <span className="font-medium" data-testid="consent-resource-name">{r.name ?? r.identifier}</span>
            {r.isNew && <span className="ml-2 rounded bg-amber-200 dark:bg-amber-800 px-1.5 py-0.5 text-xs font-medium text-amber-900 dark:text-amber-100">New</span>}
            <span className="ml-2 font-mono text-xs text-slate-500 dark:text-slate-400" data-testid="consent-resource-host">{hostOf(r.identifier)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
