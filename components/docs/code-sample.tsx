"use client";

import { useState } from "react";
import type { Sample } from "@/lib/docs/samples";
import { CopyButton } from "@/components/ui/copy-button";
import { ScrollRegion } from "@/components/ui/scroll-region";

export function CodeSample({ samples, title }: { samples: Sample[]; title?: string }) {
  const [active, setActive] = useState(0);
  const current = samples[active] ?? samples[0];
  if (!current) return null;
  return (
    <figure className="my-4 overflow-hidden rounded-lg border border-slate-800 bg-slate-900 text-slate-100 dark:border-slate-700 dark:bg-slate-950" data-testid="code-sample">
      <div className="flex items-center gap-1 border-b border-slate-700 px-2 py-1.5">
        {title && <figcaption className="mr-2 px-2 text-xs text-slate-300">{title}</figcaption>}
        <div role="tablist" className="flex gap-1">
          {samples.map((s, i) => (
            <button
              key={s.label}
              type="button"
              role="tab"
              aria-selected={i === active}
              onClick={() => setActive(i)}
              className={`rounded px-2.5 py-1 text-xs font-medium ${i === active ? "bg-slate-700 text-white" : "text-slate-300 hover:text-white"}`}
            >
              {s.label}
            </button>
          ))}
        </div>
        <CopyButton value={current.code} label={`Copy ${current.label}`} className="ml-auto border-slate-600 bg-slate-800 text-slate-100 hover:bg-slate-700" />
      </div>
      <ScrollRegion label={`${title ?? "Code sample"}: ${current.label}`}>
        <pre className={`p-4 text-[13px] leading-relaxed ${current.label === "URL" ? "whitespace-pre-wrap break-all" : ""}`}><code>{current.code}</code></pre>
      </ScrollRegion>
    </figure>
  );
}
