import Link from "next/link";
import { CopyableValue } from "@/components/ui/copyable-value";
import { SecretOnce } from "./secret-once";

export function CreatedAppNotice({ clientId, name, clientSecret }: { clientId: string; name: string; clientSecret: string | null }) {
  return (
    <div className="space-y-5 rounded-lg border border-emerald-200 dark:border-emerald-800 bg-white dark:bg-slate-900 p-6 shadow-sm">
      <div>
        <h2 className="text-lg font-semibold">{name} is ready</h2>
        <p className="text-sm text-slate-600 dark:text-slate-300">Put these credentials in your app&apos;s server configuration.</p>
      </div>
      <div className="space-y-1">
        <p className="text-sm font-medium text-slate-700 dark:text-slate-300">Client ID</p>
        <CopyableValue value={clientId} label="Copy client ID" testId="client-id" />
      </div>
      {clientSecret && <SecretOnce secret={clientSecret} />}
      <Link href={`/apps/${clientId}`} className="inline-flex rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700">
        {clientSecret ? "I have saved the secret — go to the app" : "Go to the app"}
      </Link>
    </div>
  );
}
