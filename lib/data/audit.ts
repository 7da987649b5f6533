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

/** What changed between two versions of a record, for an audit entry: `{ field: { from, to } }`, lists as added/removed. */
export function describeChanges<T extends object>(before: T, after: T, fields: (keyof T & string)[]): Record<string, unknown> {
  const changes: Record<string, unknown> = {};
  for (const field of fields) {
    const a = before[field];
    const b = after[field];
    if (Array.isArray(a) && Array.isArray(b)) {
      const added = b.filter((x) => !a.includes(x));
      const removed = a.filter((x) => !b.includes(x));
      if (added.length || removed.length) changes[field] = { added, removed };
    } else if (JSON.stringify(a ?? null) !== JSON.stringify(b ?? null)) {
      changes[field] = { from: a ?? null, to: b ?? null };
    }
  }
  return changes;
}

export interface AuditFilter {
  /** An action or its prefix: "app." or "auth.sign_in_failed". */
  action?: string;
  /** Part of the actor's email, name or id ("cli", "system" too). */
  actor?: string;
  /** Part of the target id, or of an app's name or a user's email. */
  target?: string;
  /** YYYY-MM-DD (UTC), inclusive. */
  from?: string;
  to?: string;
  /** Free text over action, actor, target and details. */
  q?: string;
}

export interface AuditEntry {
  id: string;
  createdAt: Date;
  action: string;
  actorId: string | null;
  actor: string;
  /** The actor's email (and name) when the actor is a known user. */
  actorLabel: string;
  target: string | null;
  /** An app's name or a user's email when the target is one. */
  targetLabel: string | null;
  targetKind: "app" | "user" | null;
  details: Record<string, unknown>;
}

export interface AuditPage {
  entries: AuditEntry[];
  page: number;
  pageSize: number;
  hasMore: boolean;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function dayStart(day: string | undefined, offsetDays = 0): Date | undefined {
  if (!day || !DAY.test(day)) return undefined;
  const date = new Date(`${day}T00:00:00.000Z`);
  if (Number.isNaN(date.getTime())) return undefined;
  return new Date(date.getTime() + offsetDays * 86_400_000);
}

async function idsMatching(text: string): Promise<string[]> {
  const [users, apps] = await Promise.all([
    prisma.user.findMany({ where: { OR: [{ email: { contains: text.toLowerCase() } }, { name: { contains: text } }] }, select: { id: true }, take: 200 }),
    prisma.client.findMany({ where: { name: { contains: text } }, select: { id: true }, take: 200 }),
  ]);
  return [...users.map((u) => u.id), ...apps.map((a) => a.id)];
}

async function whereOf(filter: AuditFilter) {
  const and: object[] = [];
  const action = filter.action?.trim();
  if (action) and.push({ action: { startsWith: action } });
  const actor = filter.actor?.trim();
  if (actor) {
    const ids = await idsMatching(actor);
    and.push({ OR: [{ actor: { contains: actor } }, { actorId: { in: [actor, ...ids] } }] });
  }
  const target = filter.target?.trim();
  if (target) {
    const ids = await idsMatching(target);
    and.push({ OR: [{ target: { contains: target } }, { target: { in: ids } }] });
  }
  const from = dayStart(filter.from);
  const to = dayStart(filter.to, 1);
  if (from || to) and.push({ createdAt: { ...(from ? { gte: from } : {}), ...(to ? { lt: to } : {}) } });
  const q = filter.q?.trim();
  if (q) {
    const ids = await idsMatching(q);
    and.push({
      OR: [
        { action: { contains: q } },
        { actor: { contains: q } },
        { target: { contains: q } },
        { details: { contains: q } },
        ...(ids.length ? [{ actorId: { in: ids } }, { target: { in: ids } }] : []),
      ],
    });
  }
  return and.length ? { AND: and } : {};
}

type AuditRow = { id: string; createdAt: Date; action: string; actorId: string | null; actor: string; target: string | null; details: string };

/** Names actors by their email and targets by an app's name or a user's email. */
async function labelled(rows: AuditRow[]): Promise<AuditEntry[]> {
  // Older consent entries carry the user id as the actor label.
  const userIds = new Set<string>();
  const targets = new Set<string>();
  for (const r of rows) {
    if (r.actorId) userIds.add(r.actorId);
    if (r.target) targets.add(r.target);
  }
  const [users, apps] = await Promise.all([
    prisma.user.findMany({ where: { id: { in: [...userIds, ...targets] } }, select: { id: true, email: true, name: true } }),
    prisma.client.findMany({ where: { id: { in: [...targets] } }, select: { id: true, name: true } }),
  ]);
  const userById = new Map(users.map((u) => [u.id, u]));
  const appById = new Map(apps.map((a) => [a.id, a.name]));
  return rows.map((r) => {
    const user = r.actorId ? userById.get(r.actorId) : undefined;
    const app = r.target ? appById.get(r.target) : undefined;
    const targetUser = r.target && app === undefined ? userById.get(r.target) : undefined;
    let details: Record<string, unknown>;
    try {
      details = JSON.parse(r.details) as Record<string, unknown>;
    } catch {
      details = { raw: r.details };
    }
    return {
      id: r.id,
      createdAt: r.createdAt,
      action: r.action,
      actorId: r.actorId,
      actor: r.actor,
      actorLabel: user ? (user.name ? `${user.name} <${user.email}>` : user.email) : r.actor,
      target: r.target,
      targetLabel: app ?? targetUser?.email ?? null,
      targetKind: app !== undefined ? "app" : targetUser ? "user" : null,
      details,
    };
  });
}

/** Newest first, one page at a time. */
export async function searchAuditLog(filter: AuditFilter = {}, options: { page?: number; pageSize?: number } = {}): Promise<AuditPage> {
  const pageSize = Math.min(Math.max(options.pageSize ?? 50, 1), 500);
  const page = Math.max(1, Math.floor(options.page ?? 1));
  const rows = await prisma.auditLog.findMany({
    where: await whereOf(filter),
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    skip: (page - 1) * pageSize,
    take: pageSize + 1,
  });
  return { entries: await labelled(rows.slice(0, pageSize)), page, pageSize, hasMore: rows.length > pageSize };
}

export const EXPORT_LIMIT = 10_000;

/** Every matching entry for an export, newest first, at most EXPORT_LIMIT. */
export async function exportAuditLog(filter: AuditFilter = {}): Promise<AuditEntry[]> {
  const rows = await prisma.auditLog.findMany({
    where: await whereOf(filter),
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: EXPORT_LIMIT,
  });
  return labelled(rows);
}

function csvCell(value: string): string {
  // A leading =, +, - or @ would run as a formula in a spreadsheet.
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function auditCsv(entries: AuditEntry[]): string {
  const header = ["time", "action", "actor", "actor_id", "target", "target_name", "details"];
  const lines = entries.map((e) =>
    [e.createdAt.toISOString(), e.action, e.actorLabel, e.actorId ?? "", e.target ?? "", e.targetLabel ?? "", JSON.stringify(e.details)]
      .map(csvCell)
      .join(","),
  );
  return [header.join(","), ...lines].join("\r\n") + "\r\n";
}

export function auditJson(entries: AuditEntry[]): string {
  return JSON.stringify(
    entries.map((e) => ({
      time: e.createdAt.toISOString(),
      action: e.action,
      actor: e.actorLabel,
      actor_id: e.actorId,
      target: e.target,
      target_name: e.targetLabel,
      target_kind: e.targetKind,
      details: e.details,
    })),
    null,
    2,
  );
}

/** The filter from URL search parameters (the page's form and the export links share them). */
export function auditFilterOf(params: URLSearchParams | Record<string, string | string[] | undefined>): AuditFilter {
  const get = (k: string) => {
    const v = params instanceof URLSearchParams ? params.get(k) : params[k];
    const s = Array.isArray(v) ? v[0] : v;
    return s ? s.slice(0, 200) : undefined;
  };
  return { action: get("action"), actor: get("actor"), target: get("target"), from: get("from"), to: get("to"), q: get("q") };
}
