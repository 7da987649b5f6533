import { AppLogo } from "@/components/app-logo";
import type { AppSummary } from "@/lib/data/clients";

export function AppIcon({ app, size = "md" }: { app: Pick<AppSummary, "name" | "logoSrc">; size?: "sm" | "md" }) {
  return <AppLogo name={app.name} src={app.logoSrc} size={size} />;
}
