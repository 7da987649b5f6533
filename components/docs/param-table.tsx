import { ScrollRegion } from "@/components/ui/scroll-region";

export interface Param {
  name: string;
  required: "required" | "optional" | "recommended";
  body: React.ReactNode;
}

export function ParamTable({ params }: { params: Param[] }) {
  return (
    <ScrollRegion label="Parameters" className="my-4 rounded-lg border border-slate-200 bg-white dark:border-slate-700 dark:bg-slate-900">
      <table className="w-full text-left text-sm">
        <thead className="bg-slate-50 dark:bg-slate-800 text-xs uppercase tracking-wide text-slate-500 dark:text-slate-400">
          <tr>
            <th className="px-3 py-2 font-medium">Parameter</th>
            <th className="px-3 py-2 font-medium"><span className="sr-only">Required</span></th>
            <th className="px-3 py-2 font-medium">What it is</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100 dark:divide-slate-800 align-top">
          {params.map((p) => (
            <tr key={p.name}>
              <td className="whitespace-nowrap px-3 py-2 font-mono text-[13px]">{p.name}</td>
              <td className="px-3 py-2 text-xs text-slate-500 dark:text-slate-400">{p.required}</td>
              <td className="px-3 py-2 text-slate-700 dark:text-slate-300">{p.body}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
