import { AppHeader } from "@/components/apps/app-header";
import { AppTabs } from "@/components/apps/app-tabs";
import { loadMemberApp } from "../owned-app";

export default async function AppLayout({
  children,
  params,
}: {
  children: React.ReactNode;
  params: Promise<{ clientId: string }>;
}) {
  const { app, role } = await loadMemberApp((await params).clientId);
  return (
    <div className="space-y-6">
      <AppHeader app={app} />
      {role !== "owner" && (
        <p className="text-sm text-slate-600 dark:text-slate-300" data-testid="your-role">
          You are a <strong>{role}</strong> on this app{app.ownerEmail ? `, owned by ${app.ownerName ?? app.ownerEmail}` : ""}.
        </p>
      )}
      <AppTabs clientId={app.id} />
      {children}
    </div>
  );
}
