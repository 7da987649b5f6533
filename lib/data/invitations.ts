import { prisma } from "../db";
import { hashToken, randomToken } from "../oauth/tokens";
import { isMemberRole, requireOwner, roleOnApp, type MemberRole } from "./app-members";
import { recordAudit, type Actor } from "./audit";
import { normalizeEmail } from "./users";

export const INVITATION_DAYS = 7;

/** A refusal; `field` names the form field it belongs to. */
export class InvitationError extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export interface PendingInvitation {
  id: string;
  clientId: string;
  appName: string;
  email: string;
  role: MemberRole;
  invitedBy: string | null;
  createdAt: Date;
  expiresAt: Date;
}

const select = {
  id: true,
  clientId: true,
  email: true,
  role: true,
  invitedById: true,
  createdAt: true,
  expiresAt: true,
  client: { select: { name: true } },
} as const;

const pendingWhere = (now = new Date()) => ({ acceptedAt: null, revokedAt: null, expiresAt: { gt: now } });

type Row = { id: string; clientId: string; email: string; role: string; invitedById: string | null; createdAt: Date; expiresAt: Date; client: { name: string } };

async function toPending(rows: Row[]): Promise<PendingInvitation[]> {
  const inviterIds = [...new Set(rows.map((r) => r.invitedById).filter((id): id is string => !!id))];
  const inviters = inviterIds.length ? await prisma.user.findMany({ where: { id: { in: inviterIds } }, select: { id: true, email: true, name: true } }) : [];
  const nameOf = new Map(inviters.map((u) => [u.id, u.name ?? u.email]));
  return rows
    .filter((r) => isMemberRole(r.role))
    .map((r) => ({
      id: r.id,
      clientId: r.clientId,
      appName: r.client.name,
      email: r.email,
      role: r.role as MemberRole,
      invitedBy: r.invitedById ? (nameOf.get(r.invitedById) ?? null) : null,
      createdAt: r.createdAt,
      expiresAt: r.expiresAt,
    }));
}

/**
 * Invites a registered user by email; the token (for the emailed link) is returned once and
 * stored only as its SHA-256. A new invitation replaces a pending one for the same email.
 */
export async function inviteMember(
  actingUserId: string,
  clientId: string,
  email: string,
  role: MemberRole,
  actor: Actor,
): Promise<{ invitation: PendingInvitation; token: string }> {
  await requireOwner(actingUserId, clientId);
  const address = normalizeEmail(email);
  const invitee = await prisma.user.findUnique({ where: { email: address }, select: { id: true, role: true } });
  if (!invitee || invitee.role === "blocked") throw new InvitationError("No Latchkey account uses this email. Ask them to sign up first, then invite them.", "email");
  if (await roleOnApp(invitee.id, clientId)) throw new InvitationError("This person is already on the team.", "email");
  const token = randomToken(32);
  const now = new Date();
  const row = await prisma.$transaction(async (tx) => {
    await tx.appInvitation.updateMany({ where: { clientId, email: address, ...pendingWhere(now) }, data: { revokedAt: now } });
    return tx.appInvitation.create({
      data: { clientId, email: address, role, invitedById: actingUserId, tokenHash: hashToken(token), createdAt: now, expiresAt: new Date(now.getTime() + INVITATION_DAYS * 86_400_000) },
      select,
    });
  });
  await recordAudit(actor, "app.member_invited", clientId, { email: address, role });
  const [invitation] = await toPending([row]);
  return { invitation: invitation!, token };
}

export async function listInvitationsForApp(clientId: string): Promise<PendingInvitation[]> {
  return toPending(await prisma.appInvitation.findMany({ where: { clientId, ...pendingWhere() }, orderBy: { createdAt: "asc" }, select }));
}

export async function listInvitationsForEmail(email: string): Promise<PendingInvitation[]> {
  return toPending(await prisma.appInvitation.findMany({ where: { email: normalizeEmail(email), ...pendingWhere() }, orderBy: { createdAt: "desc" }, select }));
}

/** The pending invitation an emailed link carries, or null. */
export async function findInvitationByToken(token: string): Promise<PendingInvitation | null> {
  if (typeof token !== "string" || !token || token.length > 200) return null;
  const row = await prisma.appInvitation.findFirst({ where: { tokenHash: hashToken(token), ...pendingWhere() }, select });
  return row ? ((await toPending([row]))[0] ?? null) : null;
}

const GONE = "This invitation is no longer valid: it was used, withdrawn or has expired.";

const UNVERIFIED =
  "Verify your email address first (Account → Verify email), or accept through the link in the invitation email: " +
  "an invitation goes to whoever can read mail at its address.";

/**
 * Single use: only the invitee can accept, once, before it expires. The invitee is whoever
 * reads mail at the invited address: an account whose address is verified, or one that opened
 * the emailed link (`token`), which verifies the address. Anyone can sign up with any address,
 * so the account's email alone proves nothing.
 */
export async function acceptInvitation(
  user: { id: string; email: string; name: string | null },
  invitationId: string,
  actor: Actor,
  token: string | null = null,
): Promise<{ clientId: string; role: MemberRole }> {
  const now = new Date();
  const invitation = await prisma.appInvitation.findFirst({ where: { id: invitationId, email: normalizeEmail(user.email), ...pendingWhere(now) }, select });
  if (!invitation || !isMemberRole(invitation.role)) throw new InvitationError(GONE);
  const viaLink = token !== null && (await findInvitationByToken(token))?.id === invitation.id;
  if (!viaLink) {
    const account = await prisma.user.findUnique({ where: { id: user.id }, select: { emailVerified: true } });
    if (!account?.emailVerified) throw new InvitationError(UNVERIFIED);
  }
  const role = invitation.role;
  await prisma.$transaction(async (tx) => {
    // The emailed link reached this account's address.
    if (viaLink) await tx.user.updateMany({ where: { id: user.id, emailVerified: null }, data: { emailVerified: now } });
    const used = await tx.appInvitation.updateMany({ where: { id: invitation.id, ...pendingWhere(now) }, data: { acceptedAt: now } });
    if (used.count !== 1) throw new InvitationError(GONE);
    const client = await tx.client.findUnique({ where: { id: invitation.clientId }, select: { ownerId: true } });
    if (!client) throw new InvitationError(GONE);
    if (client.ownerId === user.id) return;
    await tx.appMember.upsert({
      where: { clientId_userId: { clientId: invitation.clientId, userId: user.id } },
      create: { clientId: invitation.clientId, userId: user.id, role },
      update: { role },
    });
  });
  await recordAudit(actor, "app.invitation_accepted", invitation.clientId, { member: user.name ? `${user.name} <${user.email}>` : user.email, memberId: user.id, role });
  return { clientId: invitation.clientId, role };
}

export async function declineInvitation(user: { id: string; email: string }, invitationId: string, actor: Actor): Promise<void> {
  const now = new Date();
  const invitation = await prisma.appInvitation.findFirst({ where: { id: invitationId, email: normalizeEmail(user.email), ...pendingWhere(now) }, select: { clientId: true } });
  if (!invitation) throw new InvitationError(GONE);
  await prisma.appInvitation.updateMany({ where: { id: invitationId, ...pendingWhere(now) }, data: { revokedAt: now } });
  await recordAudit(actor, "app.invitation_declined", invitation.clientId, { email: normalizeEmail(user.email) });
}

/** The owner withdraws a pending invitation. */
export async function revokeInvitation(actingUserId: string, clientId: string, invitationId: string, actor: Actor): Promise<void> {
  await requireOwner(actingUserId, clientId);
  const now = new Date();
  const invitation = await prisma.appInvitation.findFirst({ where: { id: invitationId, clientId, ...pendingWhere(now) }, select: { email: true } });
  if (!invitation) throw new InvitationError(GONE);
  await prisma.appInvitation.updateMany({ where: { id: invitationId, ...pendingWhere(now) }, data: { revokedAt: now } });
  await recordAudit(actor, "app.invitation_revoked", clientId, { email: invitation.email });
}
