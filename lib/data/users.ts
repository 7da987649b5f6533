import { randomBytes } from "node:crypto";
import { prisma } from "../db";
import { recordAudit, type Actor } from "./audit";
import { endUserOpSessions } from "./op-sessions";
import { burnPasswordCheck, hashPassword, verifyPassword } from "./passwords";

/** "blocked": cannot sign in; an unblocked user comes back as "user" (admins are demoted before a block). */
export type Role = "user" | "admin" | "blocked";

// A blocked user's password hash is kept behind this prefix (as `passwd -l` does), so every
// password check that reads the hash directly (the password grant's store) fails too.

export interface UserSummary {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  createdAt: Date;
}

const summary = { id: true, email: true, name: true, role: true, createdAt: true } as const;

export class EmailTakenError extends Error {
  constructor() {
    super("An account with this email already exists.");
  }
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function createUser(input: {
  email: string;
  password: string;
  name?: string | null;
  role?: Role;
  /** The admin creating the account vouches for the address. */
  emailVerified?: boolean;
}): Promise<UserSummary> {
  const email = normalizeEmail(input.email);
  const existing = await prisma.user.findUnique({ where: { email }, select: { id: true } });
  if (existing) throw new EmailTakenError();
  const user = await prisma.user.create({
    data: {
      email,
      name: input.name?.trim() || null,
      role: input.role ?? "user",
      passwordHash: await hashPassword(input.password),
      ...(input.emailVerified ? { emailVerified: new Date() } : {}),
    },
    select: summary,
  });
  return user as UserSummary;
}

/** The user when email and password match (a blocked one too: the caller refuses it); null otherwise, in about the same time. */
export async function verifyCredentials(email: string, password: string): Promise<UserSummary | null> {
  const user = await prisma.user.findUnique({
    where: { email: normalizeEmail(email) },
    select: { ...summary, passwordHash: true },
  });
  if (!user?.passwordHash) {
    await burnPasswordCheck(password);
    return null;
  }
  if (!(await verifyPassword(user.passwordHash, password))) return null;
  const { passwordHash: _omit, ...rest } = user;
  return rest as UserSummary;
}

export async function getUserById(id: string): Promise<UserSummary | null> {
  return (await prisma.user.findUnique({ where: { id }, select: summary })) as UserSummary | null;
}

export async function getUserByEmail(email: string): Promise<UserSummary | null> {
  return (await prisma.user.findUnique({
    where: { email: normalizeEmail(email) },
    select: summary,
  })) as UserSummary | null;
}

export async function countUsers(): Promise<number> {
  return prisma.user.count();
}

/** Whether the user still exists and may use the portal: one primary-key read per session check. */
export async function isActiveUser(id: string): Promise<{ role: Role } | null> {
  const user = await prisma.user.findUnique({ where: { id }, select: { role: true } });
  return user && user.role !== "blocked" ? { role: user.role as Role } : null;
}

export interface UserListEntry extends UserSummary {
  lastSignInAt: Date | null;
  apps: { id: string; name: string }[];
}

export interface UserPage {
  users: UserListEntry[];
  total: number;
  page: number;
  pageCount: number;
}

/** Users newest first, searched by email or name (case-insensitive for emails, which are stored lowercase). */
export async function listUsers(options: { search?: string; page?: number; pageSize?: number } = {}): Promise<UserPage> {
  const pageSize = options.pageSize ?? 25;
  const search = options.search?.trim() ?? "";
  const where = search
    ? { OR: [{ email: { contains: search.toLowerCase() } }, { name: { contains: search } }] }
    : {};
  const total = await prisma.user.count({ where });
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(Math.max(1, Math.floor(options.page ?? 1)), pageCount);
  const rows = await prisma.user.findMany({
    where,
    select: { ...summary, clients: { select: { id: true, name: true }, orderBy: { name: "asc" } } },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    skip: (page - 1) * pageSize,
    take: pageSize,
  });
  const lastSignIns = await prisma.auditLog.groupBy({
    by: ["actorId"],
    where: { action: "auth.signed_in", actorId: { in: rows.map((r) => r.id) } },
    _max: { createdAt: true },
  });
  const lastById = new Map(lastSignIns.map((r) => [r.actorId, r._max.createdAt]));
  const users = rows.map(({ clients, ...u }) => ({
    ...(u as UserSummary),
    lastSignInAt: lastById.get(u.id) ?? null,
    apps: clients,
  }));
  return { users, total, page, pageCount };
}

/** A rule an admin action broke; its message is shown as is (form or CLI). */
export class UserAdminError extends Error {}

async function userOrThrow(id: string) {
  const user = await prisma.user.findUnique({ where: { id }, select: { ...summary, passwordHash: true } });
  if (!user) throw new UserAdminError("No such user.");
  return user;
}

export interface BlockResult {
  user: UserSummary;
  grantsRevoked: number;
  familiesRevoked: number;
}

/**
 * Blocks a user: no sign-in (portal, password grant), portal sessions end on their next request
 * (lib/auth/options.ts re-reads the role), and every grant, token family, refresh token and
 * unused code or device authorization of theirs ends, in the database every instance reads.
 */
export async function blockUser(id: string, actor: Actor): Promise<BlockResult> {
  const user = await userOrThrow(id);
  if (actor.id === id) throw new UserAdminError("You cannot block yourself.");
  if (user.role === "admin") throw new UserAdminError(`${user.email} is an admin: demote them first.`);
  const now = new Date();
  const [, grants, families] = await prisma.$transaction([
    prisma.user.update({ where: { id }, data: { role: "blocked" } }),
    prisma.grant.updateMany({ where: { userId: id, revokedAt: null }, data: { revokedAt: now } }),
    prisma.tokenFamily.updateMany({ where: { userId: id, revokedAt: null }, data: { revokedAt: now } }),
    prisma.refreshToken.updateMany({ where: { userId: id, revokedAt: null }, data: { revokedAt: now } }),
    prisma.authorizationCode.deleteMany({ where: { userId: id, consumedAt: null } }),
    prisma.deviceAuthorization.updateMany({ where: { userId: id, consumedAt: null }, data: { status: "denied" } }),
    prisma.session.deleteMany({ where: { userId: id } }),
  ]);
  // Their OP sessions end too: apps get back-channel logout tokens.
  await endUserOpSessions(id, now);
  await recordAudit(actor, "user.blocked", id, { email: user.email, grantsRevoked: grants.count, familiesRevoked: families.count });
  return { user: { ...user, role: "blocked" } as UserSummary, grantsRevoked: grants.count, familiesRevoked: families.count };
}

export async function unblockUser(id: string, actor: Actor): Promise<UserSummary> {
  const user = await userOrThrow(id);
  if (user.role !== "blocked") throw new UserAdminError(`${user.email} is not blocked.`);
  await prisma.user.update({ where: { id }, data: { role: "user" } });
  await recordAudit(actor, "user.unblocked", id, { email: user.email });
  return { ...user, role: "user" } as UserSummary;
}

/** Promotes to admin or demotes to user; never leaves the server without an admin. */
export async function setUserRole(id: string, role: "admin" | "user", actor: Actor): Promise<UserSummary> {
  const result = await prisma.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id }, select: summary });
    if (!user) throw new UserAdminError("No such user.");
    if (user.role === "blocked") throw new UserAdminError(`${user.email} is blocked: unblock them first.`);
    if (user.role === role) throw new UserAdminError(`${user.email} is already ${role === "admin" ? "an admin" : "not an admin"}.`);
    if (role === "user" && (await tx.user.count({ where: { role: "admin" } })) <= 1) {
      throw new UserAdminError(`${user.email} is the last admin and cannot be demoted.`);
    }
    await tx.user.update({ where: { id }, data: { role } });
    return { ...user, role } as UserSummary;
  });
  await recordAudit(actor, role === "admin" ? "user.promoted" : "user.demoted", id, { email: result.email });
  return result;
}

/**
 * A new password ends what the old one gave out directly: refresh tokens of the password grant
 * (their families have no consent grant behind them) and their access tokens, at once.
 */
export async function revokePasswordGrantTokens(userId: string, now = new Date()): Promise<number> {
  const { count } = await prisma.tokenFamily.updateMany({ where: { userId, grantId: null, revokedAt: null }, data: { revokedAt: now } });
  return count;
}

/** Sets a new random password and returns it (to be shown once); a blocked user stays blocked. */
export async function resetUserPassword(id: string, actor: Actor): Promise<{ user: UserSummary; password: string }> {
  const user = await userOrThrow(id);
  const password = randomBytes(15).toString("base64url");
  const hash = await hashPassword(password);
  await prisma.user.update({ where: { id }, data: { passwordHash: hash } });
  const now = new Date();
  await revokePasswordGrantTokens(id, now);
  await endUserOpSessions(id, now);
  await recordAudit(actor, "user.password_reset", id, { email: user.email });
  const { passwordHash: _omit, ...rest } = user;
  return { user: rest as UserSummary, password };
}
