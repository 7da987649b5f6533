import { CopyButton } from "./copy-button";

export function CopyableValue({ value, label, testId }: { value: string; label: string; testId?: string }) {
  return (
    <div className="flex items-center gap-2 rounded-md border border-slate-200 dark:border-slate-700 bg-slate-50 dark:bg-slate-800 px-3 py-2">
      <code className="min-w-0 flex-1 break-all font-mono text-sm" data-testid={testId}>{value}</code>
      <CopyButton value={value} label={label} />
    </div>
  );
}
