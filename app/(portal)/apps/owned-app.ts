import "server-only";
import { notFound } from "next/navigation";
import { cache } from "react";
import { currentUser, requireUser, type SignedInUser } from "@/lib/auth/session";
import type { Actor } from "@/lib/data/audit";
import { getApp, type AppSummary } from "@/lib/data/clients";

export function actorOf(user: SignedInUser): Actor {
  return { id: user.id, label: user.email };
}

/** For pages: the signed-in owner's app, or a 404 (never reveal other people's apps). */
export const loadOwnedApp = cache(async (clientId: string): Promise<{ user: SignedInUser; app: AppSummary }> => {
  const user = await requireUser(`/apps/${encodeURIComponent(clientId)}`);
  const app = await getApp(clientId);
  if (!app || app.ownerId !== user.id) notFound();
  return { user, app };
});

/** For server actions: null unless the session user owns the app. */
export async function findOwnedApp(clientId: string): Promise<{ user: SignedInUser; app: AppSummary; actor: Actor } | null> {
  const user = await currentUser();
  if (!user || typeof clientId !== "string") return null;
  const app = await getApp(clientId);
  if (!app || app.ownerId !== user.id) return null;
  return { user, app, actor: actorOf(user) };
}
