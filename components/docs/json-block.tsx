export function JsonBlock({ value, label }: { value: unknown; label?: string }) {
  return (
    <figure className="my-4">
      {label && <figcaption className="mb-1 text-xs font-medium text-slate-500 dark:text-slate-400">{label}</figcaption>}
      <pre tabIndex={0} aria-label={label ?? "JSON"} className="overflow-x-auto rounded-lg bg-slate-900 p-4 text-[13px] leading-relaxed text-slate-100"><code>{JSON.stringify(value, null, 2)}</code></pre>
    </figure>
  );
}
