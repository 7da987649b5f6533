// Admin-only mutations: restricted scope approval, legacy grants, the scope catalog.
import { prisma } from "../db";
import { recordAudit, type Actor } from "./audit";
import type { ScopeEntry } from "./scopes";

const split = (s: string) => s.split(" ").filter(Boolean);

/** Grants an app the restricted scopes it asked for. */
export async function approvePendingScopes(clientId: string, actor: Actor): Promise<string[]> {
  const app = await prisma.client.findUnique({ where: { id: clientId }, select: { scopes: true, pendingScopes: true, status: true } });
  if (!app) return [];
  const pending = split(app.pendingScopes);
  if (!pending.length) return [];
  const scopes = [...new Set([...split(app.scopes), ...pending])];
  await prisma.client.update({ where: { id: clientId }, data: { scopes: scopes.join(" "), pendingScopes: "", ...(app.status === "active" ? { statusReason: "" } : {}) } });
  await recordAudit(actor, "app.scopes_approved", clientId, { scopes: pending });
  return pending;
}

/** Declines the restricted scopes an app asked for; the reason is shown to its developers (Client.statusReason). */
export async function rejectPendingScopes(clientId: string, actor: Actor, reason = ""): Promise<void> {
  const app = await prisma.client.findUnique({ where: { id: clientId }, select: { pendingScopes: true, status: true } });
  if (!app || !app.pendingScopes) return;
  const statusReason = reason.trim();
  // A suspended or revoked app keeps the reason for that.
  await prisma.client.update({ where: { id: clientId }, data: { pendingScopes: "", ...(app.status === "active" ? { statusReason } : {}) } });
  await recordAudit(actor, "app.scopes_rejected", clientId, { scopes: split(app.pendingScopes), ...(statusReason ? { reason: statusReason } : {}) });
}

/** Thrown when the password grant is asked for an app that cannot keep a secret. */
export class PublicClientPasswordGrantError extends Error {
  constructor() {
    super("Only confidential apps can use the password grant: a public app has no secret, so anyone could try passwords through it.");
  }
}

/** The resource owner password grant (RFC 6749 §4.3) is off unless an admin enables it per confidential app. */
export async function setPasswordGrant(clientId: string, enabled: boolean, actor: Actor): Promise<void> {
  const app = await prisma.client.findUnique({ where: { id: clientId }, select: { grantTypes: true, type: true } });
  if (!app) return;
  if (enabled && app.type !== "confidential") throw new PublicClientPasswordGrantError();
  const others = split(app.grantTypes).filter((g) => g !== "password");
  const grantTypes = enabled ? [...others, "password"] : others;
  await prisma.client.update({ where: { id: clientId }, data: { grantTypes: grantTypes.join(" ") } });
  await recordAudit(actor, enabled ? "app.password_grant_enabled" : "app.password_grant_disabled", clientId);
}

export async function saveScope(scope: ScopeEntry, actor: Actor): Promise<void> {
  const existing = await prisma.scope.findUnique({ where: { name: scope.name } });
  await prisma.scope.upsert({ where: { name: scope.name }, create: scope, update: scope });
  await recordAudit(actor, existing ? "scope.updated" : "scope.created", scope.name, { ...scope });
}

export class ScopeInUseError extends Error {}

export async function deleteScope(name: string, actor: Actor): Promise<void> {
  const apps = await prisma.client.findMany({ select: { id: true, scopes: true, pendingScopes: true } });
  const users = apps.filter((a) => split(a.scopes).includes(name) || split(a.pendingScopes).includes(name)).length;
  if (users) throw new ScopeInUseError(`${users} app${users === 1 ? " uses" : "s use"} this scope; remove it from them first.`);
  await prisma.scope.delete({ where: { name } });
  await recordAudit(actor, "scope.deleted", name);
}
