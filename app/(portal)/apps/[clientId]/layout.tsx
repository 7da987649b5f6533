import { AppHeader } from "@/components/apps/app-header";
import { AppTabs } from "@/components/apps/app-tabs";
import { loadOwnedApp } from "../owned-app";

export default async function AppLayout({
  children,
  params,
}: {
  children: React.ReactNode;
  params: Promise<{ clientId: string }>;
}) {
  const { app } = await loadOwnedApp((await params).clientId);
  return (
    <div className="space-y-6">
      <AppHeader app={app} />
      <AppTabs clientId={app.id} />
      {children}
    </div>
  );
}
