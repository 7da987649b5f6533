import "server-only";
import { notFound } from "next/navigation";
import { cache } from "react";
import { requireUser, type SignedInUser } from "@/lib/auth/session";
import { appForMember, type AppRole } from "@/lib/data/app-members";
import type { AppSummary } from "@/lib/data/clients";

/** For pages: the app when the signed-in user's role on it is at least `minimumRole`, or a 404 (never reveal other people's apps). */
export const loadMemberApp = cache(
  async (clientId: string, minimumRole: AppRole = "viewer"): Promise<{ user: SignedInUser; app: AppSummary; role: AppRole }> => {
    const user = await requireUser(`/apps/${encodeURIComponent(clientId)}`);
    const member = await appForMember(user.id, clientId, minimumRole);
    if (!member) notFound();
    return { user, ...member };
  },
);
