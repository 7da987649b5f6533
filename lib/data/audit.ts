import { prisma } from "../db";

export interface Actor {
  id: string | null;
  label: string; // an email, "cli" or "system"
}

export const cliActor: Actor = { id: null, label: "cli" };
export const systemActor: Actor = { id: null, label: "system" };

export async function recordAudit(
  actor: Actor,
  action: string,
  target: string | null,
  details: Record<string, unknown> = {},
): Promise<void> {
  await prisma.auditLog.create({
    data: { actorId: actor.id, actor: actor.label, action, target, details: JSON.stringify(details) },
  });
}

export async function listAuditLog(limit = 100) {
  const rows = await prisma.auditLog.findMany({ orderBy: { createdAt: "desc" }, take: limit });
  return rows.map((r) => ({ ...r, details: JSON.parse(r.details) as Record<string, unknown> }));
}
