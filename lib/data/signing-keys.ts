// Signing keys: one active key per algorithm (RS256 for ID tokens by default, ES256 for access
// tokens by default). A rotated key is first "next": published in JWKS at once, signing only
// from its activatedAt (LATCHKEY_KEY_ACTIVATION_DELAY later), so clients with a cached JWKS
// already hold it when tokens carrying its kid arrive. Which key signs is decided from the
// stored timestamps alone, so every instance switches at the same moment without talking to
// the others; the stored statuses are tidied afterwards (settleSigningKeys).
import { createPrivateKey, type JsonWebKey } from "node:crypto";
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from "jose";
import { pgPool, prisma } from "../db";
import { env } from "../env";
import { decryptJson, encryptJson } from "../keys/encryption";
import { keyStates, signsFrom, type SigningKeyStatus } from "../oauth/key-schedule";
import { JWS_ALGS, isJwsAlg, type JwsAlg, type KeyProvider, type SigningKey } from "../oauth/store";
import { recordAudit, systemActor, type Actor } from "./audit";
import { onInvalidate } from "./cache-bus";
import { createReloadingValue } from "./reloading-value";

export interface SigningKeyInfo {
  kid: string;
  alg: string;
  /** From the timestamps: a "next" key whose activation time has passed is "active". */
  status: SigningKeyStatus;
  createdAt: Date;
  /** When it signs (or signed) first. */
  activatedAt: Date | null;
  retiredAt: Date | null;
  /** When it leaves JWKS. */
  expiresAt: Date | null;
}

/** Kept published this long after the last token its key may have signed would expire. */
const RETIREMENT_MARGIN_MS = 60_000;

/** How long after retirement a key stays published: the longest lifetime of a token it signed. */
async function retentionMs(): Promise<number> {
  const { accessTokenTtl, idTokenTtl } = env();
  const api = await prisma.api.aggregate({ _max: { accessTokenTtl: true } });
  return Math.max(accessTokenTtl, idTokenTtl, api._max.accessTokenTtl ?? 0) * 1000 + RETIREMENT_MARGIN_MS;
}

async function createKey(alg: JwsAlg, status: "active" | "next", activatedAt: Date): Promise<string> {
  const options = alg === "RS256" ? { extractable: true, modulusLength: 2048 } : { extractable: true };
  const { publicKey, privateKey } = await generateKeyPair(alg, options);
  const publicJwk = await exportJWK(publicKey);
  const privateJwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  await prisma.signingKey.create({
    data: {
      kid,
      alg,
      publicJwk: JSON.stringify({ ...publicJwk, kid, alg, use: "sig" }),
      privateJwk: encryptJson(privateJwk, env().authSecret),
      status,
      activatedAt,
    },
  });
  return kid;
}

const KEY_LOCK = "SELECT pg_advisory_lock(hashtextextended('latchkey signing keys', 0))";
const KEY_UNLOCK = "SELECT pg_advisory_unlock(hashtextextended('latchkey signing keys', 0))";

/** Serialises key changes between instances on PostgreSQL (SQLite has one server). */
async function underKeyLock<T>(work: () => Promise<T>): Promise<T> {
  if (env().databaseKind !== "postgresql") return work();
  const client = await pgPool().connect();
  let broken: Error | undefined;
  try {
    await client.query(KEY_LOCK);
    return await work();
  } finally {
    await client.query(KEY_UNLOCK).catch((err: Error) => (broken = err));
    client.release(broken);
  }
}

const readRows = () =>
  prisma.signingKey.findMany({
    select: { kid: true, alg: true, status: true, createdAt: true, activatedAt: true, retiredAt: true, expiresAt: true },
    orderBy: { createdAt: "desc" },
  });

/** Creates an active key for every algorithm that has none signing now (idempotent). */
export async function ensureSigningKey(now = new Date()): Promise<void> {
  const rows = await readRows();
  const states = keyStates(rows, now);
  for (const alg of JWS_ALGS) {
    if (!rows.some((r) => r.alg === alg && states.get(r.kid)?.status === "active")) await createKey(alg, "active", now);
  }
}

export interface RotationResult {
  /** The new keys and when each starts signing. */
  keys: { kid: string; alg: JwsAlg; activatesAt: Date }[];
  /** Keys retired at once (`immediate` only); the others retire when their successor activates. */
  retired: string[];
}

/**
 * A new key per algorithm. By default it is published now and signs from
 * LATCHKEY_KEY_ACTIVATION_DELAY seconds later, when the current key retires. `immediate`
 * (a compromised key): it signs at once, and clients that cached the JWKS recently refuse
 * its tokens until they fetch it again. Keys still waiting to sign are withdrawn with the
 * current ones (they sat next to the leaked key, and would take over from the new one when their
 * time came). Retired keys stay published until their tokens expire; with `withdraw` they
 * leave JWKS and stop verifying at once, so tokens they signed stop working (refresh tokens are
 * not signed: clients refresh).
 */
export async function rotateSigningKey(actor: Actor, options: { immediate?: boolean; withdraw?: boolean } = {}): Promise<RotationResult> {
  return underKeyLock(async () => {
    const now = new Date();
    const retired: string[] = [];
    if (options.immediate || options.withdraw) {
      const rows = await readRows();
      const states = keyStates(rows, now);
      const keepUntil = options.withdraw ? now : new Date(now.getTime() + (await retentionMs()));
      for (const row of rows) {
        const status = states.get(row.kid)?.status;
        const stillTrusted = status === "retired" && options.withdraw && (row.expiresAt === null || row.expiresAt > now);
        if (status !== "active" && status !== "next" && !stillTrusted) continue;
        await prisma.signingKey.update({
          where: { kid: row.kid },
          // A next key never signed: nothing to keep verifying.
          data: { status: "retired", retiredAt: status === "retired" ? (row.retiredAt ?? now) : now, expiresAt: status === "next" ? now : keepUntil },
        });
        retired.push(row.kid);
      }
    }
    const immediate = options.immediate === true || options.withdraw === true;
    const activatesAt = immediate ? now : new Date(now.getTime() + env().keyActivationDelay * 1000);
    const keys: RotationResult["keys"] = [];
    for (const alg of JWS_ALGS) {
      const kid = await createKey(alg, immediate ? "active" : "next", activatesAt);
      keys.push({ kid, alg, activatesAt });
    }
    await recordAudit(actor, "keys.rotated", keys.map((k) => k.kid).join(" "), {
      activatesAt: activatesAt.toISOString(),
      immediate,
      withdrawn: options.withdraw === true,
      retired,
    });
    return { keys, retired };
  });
}

/**
 * Writes down what the timestamps already decide: a next key whose time has come becomes
 * active, and the key it replaces retired (from that moment) with the time it leaves JWKS.
 * Idempotent and safe on several instances at once: each computes the same values.
 */
export async function settleSigningKeys(now = new Date()): Promise<void> {
  const rows = await readRows();
  const states = keyStates(rows, now);
  let retention: number | undefined;
  for (const row of rows) {
    const state = states.get(row.kid);
    if (state === undefined || state.status === row.status) continue;
    if (state.status === "active") {
      await prisma.signingKey.updateMany({ where: { kid: row.kid, status: "next" }, data: { status: "active" } });
    } else if (state.status === "retired" && state.retiredAt !== null) {
      retention ??= await retentionMs();
      await prisma.signingKey.updateMany({
        where: { kid: row.kid, status: { not: "retired" } },
        data: { status: "retired", retiredAt: state.retiredAt, expiresAt: new Date(state.retiredAt.getTime() + retention) },
      });
    }
  }
}

/**
 * The periodic step (lib/server/housekeeping.ts): settles statuses and, with
 * LATCHKEY_KEY_ROTATION_DAYS, rotates when the newest key of an algorithm is that old and no
 * rotation is pending. Returns the rotation it started, if any.
 */
export async function maintainSigningKeys(now = new Date()): Promise<RotationResult | null> {
  await settleSigningKeys(now);
  const days = env().keyRotationDays;
  if (days === null) return null;
  // Under the lock, so instances running this at once rotate once.
  return underKeyLock(async () => {
    const rows = (await readRows()).filter((r) => r.status !== "retired");
    const cutoff = now.getTime() - days * 86_400_000;
    const stale = JWS_ALGS.filter((alg) => {
      const own = rows.filter((r) => r.alg === alg);
      return own.length > 0 && Math.max(...own.map(signsFrom)) <= cutoff;
    });
    if (stale.length === 0) return null;
    const activatesAt = new Date(now.getTime() + env().keyActivationDelay * 1000);
    const keys: RotationResult["keys"] = [];
    for (const alg of stale) keys.push({ kid: await createKey(alg, "next", activatesAt), alg, activatesAt });
    await recordAudit(systemActor, "keys.rotated", keys.map((k) => k.kid).join(" "), {
      activatesAt: activatesAt.toISOString(),
      scheduled: true,
    });
    return { keys, retired: [] };
  });
}

export async function listSigningKeys(now = new Date()): Promise<SigningKeyInfo[]> {
  const rows = await readRows();
  const states = keyStates(rows, now);
  return rows.map((row) => {
    const state = states.get(row.kid);
    return {
      kid: row.kid,
      alg: row.alg,
      status: state?.status ?? (row.status as SigningKeyStatus),
      createdAt: row.createdAt,
      activatedAt: row.activatedAt,
      retiredAt: row.retiredAt ?? state?.retiredAt ?? null,
      expiresAt: row.expiresAt,
    };
  });
}

interface LoadedKeys {
  /** Per algorithm, the keys that may sign, latest activation first. */
  signers: Map<JwsAlg, { key: SigningKey; from: number }[]>;
  byKid: Map<string, SigningKey>;
  jwks: { keys: Record<string, unknown>[] };
}

/** A KeyProvider backed by the database, cached in memory, reloaded on an unknown kid. */
export function createDatabaseKeyProvider(): KeyProvider {
  let lastMissReload = 0;
  // Decrypted and imported once per key: a kid is the thumbprint of its public key.
  const material = new Map<string, SigningKey>();
  async function keyFor(kid: string, alg: JwsAlg, publicJwk: JWK, encryptedPrivate: string): Promise<SigningKey> {
    const known = material.get(kid);
    if (known) return known;
    const privateJwk = decryptJson<JWK>(encryptedPrivate, env().authSecret);
    const key: SigningKey = {
      kid,
      alg,
      privateKey: createPrivateKey({ key: privateJwk as JsonWebKey, format: "jwk" }),
      publicKey: (await importJWK(publicJwk, alg)) as CryptoKey,
    };
    material.set(kid, key);
    return key;
  }

  async function load(): Promise<LoadedKeys> {
    const now = new Date();
    const rows = await prisma.signingKey.findMany({
      where: { OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
      orderBy: { createdAt: "desc" },
    });
    const byKid = new Map<string, SigningKey>();
    const signers = new Map<JwsAlg, { key: SigningKey; from: number }[]>();
    const published: Record<string, unknown>[] = [];
    for (const row of rows) {
      if (!isJwsAlg(row.alg)) continue;
      const publicJwk = JSON.parse(row.publicJwk) as JWK;
      const key = await keyFor(row.kid, row.alg, publicJwk, row.privateJwk);
      byKid.set(row.kid, key);
      published.push(publicJwk as Record<string, unknown>);
      if (row.status !== "retired") {
        const list = signers.get(row.alg) ?? [];
        list.push({ key, from: signsFrom(row) });
        signers.set(row.alg, list);
      }
    }
    for (const list of signers.values()) list.sort((a, b) => b.from - a.from);
    for (const kid of material.keys()) if (!byKid.has(kid)) material.delete(kid);
    return { signers, byKid, jwks: { keys: published } };
  }

  // Read again every 5 s in the background (another instance may have rotated keys without
  // its notification reaching us); requests keep signing with the set they have meanwhile,
  // for at most 60 s while reads fail.
  const keys = createReloadingValue(load, {
    reloadMs: 5_000,
    staleMaxMs: 60_000,
    retryMs: 1_000,
    onBackgroundError: (err) => console.error("[latchkey] signing key reload failed", err),
  });
  onInvalidate("keys", () => keys.invalidate());

  // Decided per call from the activation times, so every instance switches at the same moment.
  function signingKey(set: LoadedKeys, alg: JwsAlg): SigningKey | null {
    const now = Date.now();
    for (const s of set.signers.get(alg) ?? []) if (s.from <= now) return s.key;
    return null;
  }

  return {
    async getSigningKey(alg) {
      let key = signingKey(await keys.current(), alg);
      if (key === null) {
        await ensureSigningKey();
        keys.invalidate();
        key = signingKey(await keys.current(), alg);
      }
      if (key === null) throw new Error(`No active ${alg} signing key`);
      return key;
    },
    async getVerificationKey(kid) {
      const hit = (await keys.current()).byKid.get(kid);
      if (hit || Date.now() - lastMissReload < 1000) return hit ?? null;
      lastMissReload = Date.now();
      // A read of its own: a shared one under way may predate the key. Only this caller waits.
      return (await keys.read()).byKid.get(kid) ?? null;
    },
    async getJwks() {
      return (await keys.current()).jwks;
    },
  };
}
