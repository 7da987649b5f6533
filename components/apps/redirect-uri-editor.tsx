"use client";

import { MAX_REDIRECT_URIS, redirectUriListProblems, type ClientKind } from "@/lib/validation/redirect-uri";

export interface UriRow {
  key: number;
  value: string;
}

/** Live per-URI problems, aligned with the rows (blank rows are skipped, not flagged). */
export function rowProblems(rows: UriRow[], clientType: ClientKind): (string | null)[] {
  const filled = rows.map((r) => r.value.trim()).filter(Boolean);
  const { perUri } = redirectUriListProblems(filled, clientType);
  let i = 0;
  return rows.map((r) => (r.value.trim() ? perUri[i++] ?? null : null));
}

export function RedirectUriEditor({
  rows,
  onChange,
  clientType,
  serverErrors,
  listError,
}: {
  rows: UriRow[];
  onChange: (rows: UriRow[]) => void;
  clientType: ClientKind;
  serverErrors?: Record<number, string>;
  listError?: string;
}) {
  const problems = rowProblems(rows, clientType);
  let filledIndex = -1;
  const atLimit = rows.length >= MAX_REDIRECT_URIS;
  const nextKey = () => Math.max(0, ...rows.map((r) => r.key)) + 1;

  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-medium text-slate-700 dark:text-slate-300">Redirect URIs</legend>
      <p className="text-xs text-slate-500 dark:text-slate-400">
        Where Latchkey may send users back after they approve. Use https, or http only for 127.0.0.1, [::1] and
        localhost (these match any port). {clientType === "public" ? "Native apps may use a private-use scheme such as com.example.app:/callback. " : ""}
        No wildcards, no fragments; every other URI must match exactly. Write each URI in canonical form (lowercase
        scheme and host, no default port, no user name): it is stored exactly as written.
      </p>
      <ul className="space-y-2">
        {rows.map((row, i) => {
          if (row.value.trim()) filledIndex++;
          const problem = problems[i] ?? (row.value.trim() ? serverErrors?.[filledIndex] : undefined);
          const id = `redirect-uri-${row.key}`;
          return (
            <li key={row.key}>
              <div className="flex gap-2">
                <input
                  id={id}
                  name="redirectUris"
                  value={row.value}
                  onChange={(e) => onChange(rows.map((r) => (r.key === row.key ? { ...r, value: e.target.value } : r)))}
                  placeholder={clientType === "public" ? "com.example.app:/callback or https://…" : "https://example.com/callback"}
                  aria-label={`Redirect URI ${i + 1}`}
                  aria-invalid={problem ? true : undefined}
                  aria-describedby={problem ? `${id}-error` : undefined}
                  spellCheck={false}
                  autoComplete="off"
                  className={`block w-full rounded-md border bg-white dark:bg-slate-900 px-3 py-2 font-mono text-sm shadow-sm focus:outline-none focus:ring-2 ${problem ? "border-red-400 focus:ring-red-100" : "border-slate-300 dark:border-slate-600 focus:border-brand-500 focus:ring-brand-100 dark:focus:ring-brand-900"}`}
                />
                <button
                  type="button"
                  onClick={() => onChange(rows.filter((r) => r.key !== row.key))}
                  aria-label={`Remove redirect URI ${i + 1}`}
                  className="rounded-md border border-slate-300 dark:border-slate-600 bg-white dark:bg-slate-900 px-3 text-sm text-slate-600 dark:text-slate-300 hover:bg-slate-50 dark:hover:bg-slate-800"
                >
                  Remove
                </button>
              </div>
              {problem && (
                <p id={`${id}-error`} className="mt-1 text-xs text-red-600 dark:text-red-400" data-testid="redirect-uri-error">
                  {problem}
                </p>
              )}
            </li>
          );
        })}
      </ul>
      <div className="flex items-center gap-3">
        <button
          type="button"
          disabled={atLimit}
          onClick={() => onChange([...rows, { key: nextKey(), value: "" }])}
          className="rounded-md border border-dashed border-slate-300 dark:border-slate-600 px-3 py-1.5 text-sm text-slate-700 dark:text-slate-300 hover:bg-slate-50 dark:hover:bg-slate-800 disabled:cursor-not-allowed disabled:opacity-50"
        >
          Add redirect URI
        </button>
        {atLimit && <p className="text-xs text-amber-700 dark:text-amber-200">Limit reached: at most {MAX_REDIRECT_URIS} redirect URIs.</p>}
      </div>
      {listError && <p className="text-xs text-red-600 dark:text-red-400" role="alert">{listError}</p>}
    </fieldset>
  );
}
