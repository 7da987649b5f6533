import Link from "next/link";
import type { FlowRow } from "@/lib/docs/flows";
import { Badge } from "@/components/ui/badge";
import { ScrollRegion } from "@/components/ui/scroll-region";

const yesNo = (v: boolean) => (v ? "Yes" : "No");
const secret = { yes: "Yes", no: "No", confidential: "Confidential apps" } as const;
const status = {
  recommended: <Badge tone="green">Recommended</Badge>,
  supported: <Badge tone="blue">Supported</Badge>,
  deprecated: <Badge tone="amber">Deprecated</Badge>,
  legacy: <Badge tone="red">Legacy</Badge>,
} as const;

export function FlowTable({ flows }: { flows: FlowRow[] }) {
  return (
    <ScrollRegion label="Flows" className="my-4 rounded-lg border border-slate-200 bg-white dark:border-slate-700 dark:bg-slate-900">
      <table className="w-full text-left text-sm" data-testid="flow-table">
        <thead className="bg-slate-50 dark:bg-slate-800 text-xs uppercase tracking-wide text-slate-500 dark:text-slate-400">
          <tr>
            <th className="px-3 py-2 font-medium">Flow</th>
            <th className="px-3 py-2 font-medium">Access to user resources</th>
            <th className="px-3 py-2 font-medium">Needs a secret</th>
            <th className="px-3 py-2 font-medium">Refreshable</th>
            <th className="px-3 py-2 font-medium">Use it when</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
          {flows.map((f) => (
            <tr key={f.slug} data-flow={f.slug}>
              <td className="px-3 py-2">
                <Link href={`/docs/${f.slug}`} className="font-medium text-brand-600 dark:text-brand-300 underline underline-offset-2">{f.name}</Link>
                <div className="mt-1">{status[f.status]}</div>
              </td>
              <td className="px-3 py-2">{yesNo(f.userResources)}</td>
              <td className="px-3 py-2">{secret[f.secret]}</td>
              <td className="px-3 py-2">{yesNo(f.refreshable)}</td>
              <td className="px-3 py-2 text-slate-600 dark:text-slate-300">{f.useWhen}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
