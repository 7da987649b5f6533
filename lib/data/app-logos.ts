import "server-only";
import { createHash } from "node:crypto";
import { prisma } from "../db";
import type { InspectedLogo } from "../validation/logo";
import { recordAudit, type Actor } from "./audit";

export interface StoredLogo {
  contentType: string;
  bytes: Uint8Array;
  sha256: string;
}

/** Stores an inspected logo (lib/validation/logo.ts) in the database, so every instance serves it. */
export async function saveAppLogo(clientId: string, bytes: Uint8Array, logo: InspectedLogo, actor: Actor): Promise<string> {
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const data = { contentType: logo.contentType, bytes: Buffer.from(bytes), sha256, width: logo.width, height: logo.height };
  const before = await prisma.appLogo.findUnique({ where: { clientId }, select: { sha256: true } });
  await prisma.appLogo.upsert({ where: { clientId }, create: { clientId, ...data }, update: data });
  await recordAudit(actor, "app.logo_uploaded", clientId, {
    changes: { logo: { from: before?.sha256 ?? null, to: sha256 } },
    contentType: logo.contentType,
    width: logo.width,
    height: logo.height,
    bytes: bytes.length,
  });
  return sha256;
}

export async function removeAppLogo(clientId: string, actor: Actor): Promise<boolean> {
  const { count } = await prisma.appLogo.deleteMany({ where: { clientId } });
  if (count) await recordAudit(actor, "app.logo_removed", clientId);
  return count > 0;
}

export async function getAppLogo(clientId: string): Promise<StoredLogo | null> {
  const row = await prisma.appLogo.findUnique({ where: { clientId }, select: { contentType: true, bytes: true, sha256: true } });
  return row && { contentType: row.contentType, bytes: new Uint8Array(row.bytes), sha256: row.sha256 };
}
