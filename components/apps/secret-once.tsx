import { CopyableValue } from "@/components/ui/copyable-value";

export function SecretOnce({ secret, title = "Client secret" }: { secret: string; title?: string }) {
  return (
    <div className="space-y-2 rounded-md border border-amber-300 dark:border-amber-700 bg-amber-50 dark:bg-amber-950/60 p-4" data-testid="secret-once">
      <p className="text-sm font-medium text-slate-800 dark:text-slate-200">{title}</p>
      <CopyableValue value={secret} label="Copy secret" testId="new-secret" />
      <p className="text-sm text-amber-900 dark:text-amber-100" role="note">
        ⚠ Copy it now. This is the only time Latchkey shows it: only a hash is stored, so it cannot be shown again.
        Keep it on your server and never put it in browser or mobile code.
      </p>
    </div>
  );
}
