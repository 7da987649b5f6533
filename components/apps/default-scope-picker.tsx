"use client";

/** The scopes granted when an authorization request names none (RFC 6749 §3.3): a subset of the app's scopes. */
export function DefaultScopePicker({
  scopes,
  value,
  onChange,
  error,
}: {
  scopes: string[];
  value: string[];
  onChange: (value: string[]) => void;
  error?: string;
}) {
  return (
    <fieldset className="space-y-2" aria-describedby="default-scopes-hint">
      <legend className="text-sm font-medium text-slate-700 dark:text-slate-300">Default scopes</legend>
      <p id="default-scopes-hint" className="text-xs text-slate-500 dark:text-slate-400">
        Granted when an authorization request names no scope, as some MCP clients send it. Pick among the scopes above;
        none: the request must name its scopes.
      </p>
      {scopes.length === 0 ? (
        <p className="text-sm text-slate-500 dark:text-slate-400">Select scopes above first.</p>
      ) : (
        <div className="flex flex-wrap gap-x-4 gap-y-1">
          {scopes.map((s) => (
            <label key={s} className="flex items-center gap-1.5 text-sm" data-default-scope={s}>
              <input
                type="checkbox"
                name="defaultScopes"
                value={s}
                checked={value.includes(s)}
                onChange={(e) => onChange(e.target.checked ? [...value, s] : value.filter((v) => v !== s))}
              />
              <code className="font-mono text-xs">{s}</code>
            </label>
          ))}
        </div>
      )}
      {error && <p className="text-xs text-red-600 dark:text-red-400" role="alert">{error}</p>}
    </fieldset>
  );
}
