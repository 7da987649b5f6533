import type { AppSummary } from "@/lib/data/clients";
import { Badge } from "@/components/ui/badge";

export function ClientTypeBadge({ type }: { type: AppSummary["type"] }) {
  return <Badge tone={type === "confidential" ? "blue" : "gray"}>{type === "confidential" ? "Confidential" : "Public"}</Badge>;
}

export function AppStatusBadge({ app }: { app: Pick<AppSummary, "status" | "pendingScopes"> }) {
  if (app.status === "suspended") return <Badge tone="amber">Suspended</Badge>;
  if (app.status === "revoked") return <Badge tone="red">Revoked</Badge>;
  if (app.pendingScopes.length) return <Badge tone="amber">Active · approval pending</Badge>;
  return <Badge tone="green">Active</Badge>;
}
