import { prisma } from "../db";
import { recordAudit, type Actor } from "./audit";
import { getApp, getAppsForOwner, type AppSummary } from "./clients";

/** What a user may do with an app: viewer < developer < owner. */
export type AppRole = "viewer" | "developer" | "owner";
export type MemberRole = Exclude<AppRole, "owner">;

export const MEMBER_ROLES: readonly MemberRole[] = ["developer", "viewer"];
const RANK: Record<AppRole, number> = { viewer: 0, developer: 1, owner: 2 };

export function roleAtLeast(role: AppRole, minimum: AppRole): boolean {
  return RANK[role] >= RANK[minimum];
}

export function isMemberRole(value: unknown): value is MemberRole {
  return value === "developer" || value === "viewer";
}

export interface MemberApp {
  app: AppSummary;
  role: AppRole;
}

/** The user's role on the app, or null when they are neither its owner nor a member. */
export async function roleOnApp(userId: string, clientId: string): Promise<AppRole | null> {
  const client = await prisma.client.findUnique({
    where: { id: clientId },
    select: { ownerId: true, members: { where: { userId }, select: { role: true } } },
  });
  if (!client) return null;
  if (client.ownerId === userId) return "owner";
  const role = client.members[0]?.role;
  return isMemberRole(role) ? role : null;
}

/** The app when the user's role on it is at least `minimumRole`; null otherwise (never reveal other people's apps). */
export async function appForMember(userId: string, clientId: string, minimumRole: AppRole): Promise<MemberApp | null> {
  if (typeof clientId !== "string" || !clientId) return null;
  const role = await roleOnApp(userId, clientId);
  if (!role || !roleAtLeast(role, minimumRole)) return null;
  const app = await getApp(clientId);
  return app ? { app, role } : null;
}

/** Every app the user owns or is a member of, with their role: owned first, newest first. */
export async function listAppsForMember(userId: string): Promise<MemberApp[]> {
  const owned = await getAppsForOwner(userId);
  const memberships = await prisma.appMember.findMany({ where: { userId }, orderBy: { createdAt: "desc" }, select: { clientId: true, role: true } });
  const shared: MemberApp[] = [];
  for (const m of memberships) {
    const app = await getApp(m.clientId);
    if (app && isMemberRole(m.role)) shared.push({ app, role: m.role });
  }
  return [...owned.map((app) => ({ app, role: "owner" as const })), ...shared];
}

export interface TeamMember {
  userId: string;
  email: string;
  name: string | null;
  role: AppRole;
  since: Date;
}

/** The owner first, then the members in the order they joined. */
export async function listTeam(clientId: string): Promise<TeamMember[]> {
  const client = await prisma.client.findUnique({
    where: { id: clientId },
    select: {
      createdAt: true,
      owner: { select: { id: true, email: true, name: true } },
      members: { orderBy: { createdAt: "asc" }, select: { role: true, createdAt: true, user: { select: { id: true, email: true, name: true } } } },
    },
  });
  if (!client) return [];
  const team: TeamMember[] = [];
  if (client.owner) team.push({ userId: client.owner.id, email: client.owner.email, name: client.owner.name, role: "owner", since: client.createdAt });
  for (const m of client.members) {
    if (isMemberRole(m.role)) team.push({ userId: m.user.id, email: m.user.email, name: m.user.name, role: m.role, since: m.createdAt });
  }
  return team;
}

export class TeamError extends Error {}

/** Only the owner manages the team: checked here as well as in the action. */
export async function requireOwner(actingUserId: string, clientId: string): Promise<void> {
  if ((await roleOnApp(actingUserId, clientId)) !== "owner") throw new TeamError("Only the app's owner can manage its team.");
}

async function memberOf(clientId: string, userId: string) {
  return prisma.appMember.findUnique({
    where: { clientId_userId: { clientId, userId } },
    select: { role: true, user: { select: { email: true, name: true } } },
  });
}

const labelOf = (u: { email: string; name: string | null }) => (u.name ? `${u.name} <${u.email}>` : u.email);

export async function changeMemberRole(actingUserId: string, clientId: string, memberId: string, role: MemberRole, actor: Actor): Promise<void> {
  await requireOwner(actingUserId, clientId);
  const member = await memberOf(clientId, memberId);
  if (!member) throw new TeamError("This person is not a member of the app.");
  if (member.role === role) return;
  await prisma.appMember.update({ where: { clientId_userId: { clientId, userId: memberId } }, data: { role } });
  await recordAudit(actor, "app.member_role_changed", clientId, { member: labelOf(member.user), memberId, from: member.role, to: role });
}

export async function removeMember(actingUserId: string, clientId: string, memberId: string, actor: Actor): Promise<void> {
  await requireOwner(actingUserId, clientId);
  const member = await memberOf(clientId, memberId);
  if (!member) throw new TeamError("This person is not a member of the app.");
  await prisma.appMember.delete({ where: { clientId_userId: { clientId, userId: memberId } } });
  await recordAudit(actor, "app.member_removed", clientId, { member: labelOf(member.user), memberId, role: member.role });
}

/** The new owner must already be a member; the old owner stays on as a developer. */
export async function transferOwnership(actingUserId: string, clientId: string, newOwnerId: string, actor: Actor): Promise<void> {
  await requireOwner(actingUserId, clientId);
  const member = await memberOf(clientId, newOwnerId);
  if (!member) throw new TeamError("Ownership can only go to a member of the app.");
  await prisma.$transaction(async (tx) => {
    const moved = await tx.client.updateMany({ where: { id: clientId, ownerId: actingUserId }, data: { ownerId: newOwnerId } });
    if (moved.count !== 1) throw new TeamError("Only the app's owner can manage its team.");
    await tx.appMember.delete({ where: { clientId_userId: { clientId, userId: newOwnerId } } });
    await tx.appMember.create({ data: { clientId, userId: actingUserId, role: "developer" } });
  });
  await recordAudit(actor, "app.ownership_transferred", clientId, { to: labelOf(member.user), toId: newOwnerId, from: actor.label, fromId: actingUserId });
}
