import { prisma } from "../db";

export interface ScopeEntry {
  name: string;
  description: string;
  category: string;
  restricted: boolean;
}

export async function listScopes(): Promise<ScopeEntry[]> {
  return prisma.scope.findMany({
    select: { name: true, description: true, category: true, restricted: true },
    orderBy: [{ category: "asc" }, { name: "asc" }],
  });
}

export async function upsertScope(scope: ScopeEntry): Promise<void> {
  await prisma.scope.upsert({ where: { name: scope.name }, create: scope, update: scope });
}
