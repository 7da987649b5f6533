import { exportJWK, generateKeyPair, importJWK, calculateJwkThumbprint, type JWK } from "jose";
import { prisma } from "../db";
import { env } from "../env";
import { decryptJson, encryptJson } from "../keys/encryption";
import type { KeyProvider, SigningKey } from "../oauth/store";
import { recordAudit, type Actor } from "./audit";
import { onInvalidate } from "./cache-bus";

export interface SigningKeyInfo {
  kid: string;
  alg: string;
  status: string;
  createdAt: Date;
  retiredAt: Date | null;
  expiresAt: Date | null;
}

async function createKey(status: "active" | "next") {
  const { publicKey, privateKey } = await generateKeyPair("ES256", { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const privateJwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  await prisma.signingKey.create({
    data: {
      kid,
      alg: "ES256",
      publicJwk: JSON.stringify({ ...publicJwk, kid, alg: "ES256", use: "sig" }),
      privateJwk: encryptJson(privateJwk, env().authSecret),
      status,
      activatedAt: status === "active" ? new Date() : null,
    },
  });
  return kid;
}

/** Creates the first signing key when there is none. */
export async function ensureSigningKey(): Promise<void> {
  const active = await prisma.signingKey.count({ where: { status: "active" } });
  if (active === 0) await createKey("active");
}

/**
 * A new key signs from now on; the old one stays published (and verifying) until every
 * token it signed has expired.
 */
export async function rotateSigningKey(actor: Actor): Promise<{ kid: string; retired: string[] }> {
  const now = new Date();
  const { accessTokenTtl, idTokenTtl } = env();
  const keepUntil = new Date(now.getTime() + Math.max(accessTokenTtl, idTokenTtl) * 1000 + 60_000);
  const old = await prisma.signingKey.findMany({ where: { status: "active" }, select: { kid: true } });
  await prisma.signingKey.updateMany({
    where: { status: "active" },
    data: { status: "retired", retiredAt: now, expiresAt: keepUntil },
  });
  const kid = await createKey("active");
  await recordAudit(actor, "keys.rotated", kid, { retired: old.map((k) => k.kid) });
  return { kid, retired: old.map((k) => k.kid) };
}

export async function listSigningKeys(): Promise<SigningKeyInfo[]> {
  return prisma.signingKey.findMany({
    select: { kid: true, alg: true, status: true, createdAt: true, retiredAt: true, expiresAt: true },
    orderBy: { createdAt: "desc" },
  });
}

interface LoadedKeys {
  signing: SigningKey | null;
  byKid: Map<string, SigningKey>;
  jwks: { keys: Record<string, unknown>[] };
  loadedAt: number;
}

const RELOAD_MS = 5_000;

/** A KeyProvider backed by the database, cached in memory, reloaded on an unknown kid. */
export function createDatabaseKeyProvider(): KeyProvider {
  let loaded: Promise<LoadedKeys> | null = null;
  let lastMissReload = 0;
  onInvalidate("keys", () => (loaded = null));

  async function load(): Promise<LoadedKeys> {
    const now = new Date();
    const rows = await prisma.signingKey.findMany({
      where: { OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
      orderBy: { createdAt: "desc" },
    });
    const byKid = new Map<string, SigningKey>();
    let signing: SigningKey | null = null;
    const published: Record<string, unknown>[] = [];
    for (const row of rows) {
      const publicJwk = JSON.parse(row.publicJwk) as JWK;
      const privateJwk = decryptJson<JWK>(row.privateJwk, env().authSecret);
      const key: SigningKey = {
        kid: row.kid,
        alg: "ES256",
        publicKey: (await importJWK(publicJwk, "ES256")) as CryptoKey,
        privateKey: (await importJWK(privateJwk, "ES256")) as CryptoKey,
      };
      byKid.set(row.kid, key);
      published.push(publicJwk as Record<string, unknown>);
      if (row.status === "active" && !signing) signing = key;
    }
    return { signing, byKid, jwks: { keys: published }, loadedAt: Date.now() };
  }

  async function current(): Promise<LoadedKeys> {
    if (loaded) {
      const value = await loaded;
      if (Date.now() - value.loadedAt < RELOAD_MS) return value;
    }
    loaded = load().catch((err) => {
      loaded = null;
      throw err;
    });
    return loaded;
  }

  return {
    async getSigningKey() {
      let keys = await current();
      if (!keys.signing) {
        await ensureSigningKey();
        loaded = null;
        keys = await current();
      }
      if (!keys.signing) throw new Error("No active signing key");
      return keys.signing;
    },
    async getVerificationKey(kid) {
      const keys = await current();
      const hit = keys.byKid.get(kid);
      if (hit || Date.now() - lastMissReload < 1000) return hit ?? null;
      lastMissReload = Date.now();
      loaded = null;
      return (await current()).byKid.get(kid) ?? null;
    },
    async getJwks() {
      return (await current()).jwks;
    },
  };
}
