/** The client secret a playground request uses once: typed in, never stored. */
export function PlaygroundSecretField({
  id,
  value,
  onChange,
  className = "space-y-1",
  hint,
}: {
  id: string;
  value: string;
  onChange: (value: string) => void;
  className?: string;
  hint?: string;
}) {
  return (
    <div className={className}>
      <label htmlFor={id} className="block text-sm font-medium text-slate-700 dark:text-slate-300">
        Client secret
      </label>
      <input
        id={id}
        type="password"
        autoComplete="off"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        className="block w-full rounded-md border border-slate-300 dark:border-slate-600 bg-white dark:bg-slate-900 px-3 py-2 font-mono text-sm"
      />
      {hint && <p className="text-xs text-slate-600 dark:text-slate-300">{hint}</p>}
    </div>
  );
}
