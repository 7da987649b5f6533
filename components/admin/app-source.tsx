import type { AppSummary } from "@/lib/data/clients";
import { Badge } from "@/components/ui/badge";

/** The host serving a metadata-document client's document (its client_id is the document's URL). */
export function metadataDocumentHost(clientId: string): string {
  try {
    return new URL(clientId).host;
  } catch {
    return clientId;
  }
}

export function AppSourceBadge({ app }: { app: Pick<AppSummary, "id" | "source"> }) {
  if (app.source === "registration") return <span data-testid="app-source"><Badge tone="amber">registered itself</Badge></span>;
  if (app.source === "metadata_document") {
    return (
      <span data-testid="app-source" className="inline-flex flex-wrap items-center gap-1">
        <Badge tone="amber">metadata document</Badge>
        <span className="font-mono text-xs text-slate-600 dark:text-slate-300">{metadataDocumentHost(app.id)}</span>
      </span>
    );
  }
  return <span data-testid="app-source"><Badge tone="gray">portal</Badge></span>;
}
