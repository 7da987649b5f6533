"use client";

import type { ScopeEntry } from "@/lib/data/scopes";
import { Badge } from "@/components/ui/badge";

export function ScopePicker({
  catalog,
  value,
  onChange,
  pending,
  approved,
  error,
}: {
  catalog: ScopeEntry[];
  value: string[];
  onChange: (value: string[]) => void;
  pending: string[];
  approved: string[];
  error?: string;
}) {
  const groups = new Map<string, ScopeEntry[]>();
  for (const s of catalog) groups.set(s.category, [...(groups.get(s.category) ?? []), s]);
  return (
    <fieldset className="space-y-3">
      <legend className="text-sm font-medium text-slate-700 dark:text-slate-300">Scopes</legend>
      <p className="text-xs text-slate-500 dark:text-slate-400">
        The most your app may ask for. Each authorization request names the scopes it needs, and users see these
        descriptions on the consent screen. Restricted scopes need an administrator&apos;s approval.
      </p>
      {[...groups].map(([category, scopes]) => (
        <div key={category}>
          <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">{category}</h3>
          <div className="mt-1 grid gap-2 sm:grid-cols-2">
            {scopes.map((s) => (
              <label key={s.name} className="flex gap-3 rounded-md border border-slate-200 dark:border-slate-700 px-3 py-2 text-sm" data-scope={s.name}>
                <input
                  type="checkbox"
                  name="scopes"
                  value={s.name}
                  checked={value.includes(s.name)}
                  onChange={(e) => onChange(e.target.checked ? [...value, s.name] : value.filter((v) => v !== s.name))}
                  className="mt-1"
                />
                <span>
                  <code className="font-mono text-xs font-semibold">{s.name}</code>{" "}
                  {s.restricted &&
                    (pending.includes(s.name) ? (
                      <Badge tone="amber">Awaiting approval</Badge>
                    ) : approved.includes(s.name) ? (
                      <Badge tone="green">Approved</Badge>
                    ) : (
                      <Badge tone="amber">Needs admin approval</Badge>
                    ))}
                  <span className="block text-slate-600 dark:text-slate-300">{s.description}</span>
                </span>
              </label>
            ))}
          </div>
        </div>
      ))}
      {error && <p className="text-xs text-red-600 dark:text-red-400" role="alert">{error}</p>}
    </fieldset>
  );
}
