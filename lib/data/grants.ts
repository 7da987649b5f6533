import { prisma } from "../db";
import { getApisByIdentifiers } from "./apis";
import { recordAudit, type Actor } from "./audit";
import { uploadedLogoPath } from "./clients";

export interface ConnectedApp {
  grantId: string;
  clientId: string;
  name: string;
  websiteUrl: string | null;
  /** The uploaded logo's path, else the logo URL, else null (pages show a letter). */
  logoSrc: string | null;
  scopes: string[];
  /** The APIs the user allowed the app to reach, by name (the identifier if no longer registered). */
  apis: { identifier: string; name: string }[];
  grantedAt: Date;
  lastUsedAt: Date | null;
}

export async function getConnectedApps(userId: string): Promise<ConnectedApp[]> {
  const grants = await prisma.grant.findMany({
    where: { userId, revokedAt: null },
    include: { client: { select: { id: true, name: true, websiteUrl: true, logoUrl: true, logo: { select: { sha256: true } } } } },
    orderBy: { createdAt: "desc" },
  });
  const lastRefresh = await prisma.refreshToken.groupBy({
    by: ["grantId"],
    where: { grantId: { in: grants.map((g) => g.id) } },
    _max: { createdAt: true },
  });
  const lastByGrant = new Map(lastRefresh.map((r) => [r.grantId, r._max.createdAt]));
  const resourcesOf = (g: { resources: string }) => g.resources.split(" ").filter(Boolean);
  const registered = await getApisByIdentifiers([...new Set(grants.flatMap(resourcesOf))]);
  return grants.map((g) => {
    const refreshed = lastByGrant.get(g.id) ?? null;
    const lastUsedAt = [g.lastUsedAt, refreshed].filter((d): d is Date => d !== null).sort((a, b) => b.getTime() - a.getTime())[0] ?? null;
    return {
      grantId: g.id,
      clientId: g.client.id,
      name: g.client.name,
      websiteUrl: g.client.websiteUrl,
      logoSrc: g.client.logo ? uploadedLogoPath(g.client.id, g.client.logo.sha256) : g.client.logoUrl,
      scopes: g.scopes.split(" ").filter(Boolean),
      apis: resourcesOf(g).map((identifier) => ({ identifier, name: registered.find((a) => a.identifier === identifier)?.name ?? identifier })),
      grantedAt: g.createdAt,
      lastUsedAt,
    };
  });
}

/**
 * "Remove access": ends the grant and every token issued under it. Access tokens carry
 * the grant id, so introspection and the resource API reject them within a second.
 */
export async function revokeGrant(userId: string, grantId: string, actor: Actor): Promise<boolean> {
  const now = new Date();
  const grant = await prisma.grant.findFirst({ where: { id: grantId, userId, revokedAt: null } });
  if (!grant) return false;
  await prisma.$transaction([
    prisma.grant.update({ where: { id: grantId }, data: { revokedAt: now } }),
    prisma.tokenFamily.updateMany({ where: { grantId, revokedAt: null }, data: { revokedAt: now } }),
    prisma.refreshToken.updateMany({ where: { grantId, revokedAt: null }, data: { revokedAt: now } }),
  ]);
  await recordAudit(actor, "grant.revoked", grant.clientId, { grantId });
  return true;
}
