import type { Metadata } from "next";
import { DocsNav } from "@/components/docs/docs-nav";

export const metadata: Metadata = { title: { default: "Docs", template: "%s · Latchkey docs" } };

export default function DocsLayout({ children }: { children: React.ReactNode }) {
  return (
    <div className="grid gap-8 md:grid-cols-[14rem_1fr]">
      <aside className="md:sticky md:top-6 md:self-start">
        <DocsNav />
      </aside>
      <div className="min-w-0">{children}</div>
    </div>
  );
}
