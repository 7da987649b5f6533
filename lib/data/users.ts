import { prisma } from "../db";
import { burnPasswordCheck, hashPassword, verifyPassword } from "./passwords";

export type Role = "user" | "admin";

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
    },
    select: summary,
  });
  return user as UserSummary;
}

/** The user when email and password match; null otherwise, in about the same time. */
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
