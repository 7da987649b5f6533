import { randomBytes } from "node:crypto";
import { prisma } from "../db";
import { newClientSecret } from "../oauth/tokens";
import type { AppData } from "../validation/app";
import { describeChanges, recordAudit, type Actor } from "./audit";

export type ClientStatus = "active" | "suspended" | "revoked";
export type ClientSource = "portal" | "registration" | "metadata_document";

export interface SecretSummary {
  id: string;
  hint: string;
  /** What the developer calls it ("production", "CI"), or "". */
  label: string;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

export interface AppSummary {
  id: string;
  /** Null for a client that registered itself (RFC 7591 or a metadata document) until claimed. */
  ownerId: string | null;
  ownerEmail: string | null;
  ownerName: string | null;
  /** How the client came to exist. */
  source: ClientSource;
  /** Scopes granted when a request names none; empty: the server default. */
  defaultScopes: string[];
  name: string;
  description: string;
  websiteUrl: string | null;
  logoUrl: string | null;
  /** An uploaded logo (lib/data/app-logos.ts), or null. */
  uploadedLogo: { sha256: string; width: number; height: number } | null;
  /** What pages show: the uploaded logo, else the registered logo URL. */
  logoSrc: string | null;
  /** As entered in the portal; null when not set. */
  policyUrl: string | null;
  termsUrl: string | null;
  /** The app's privacy policy and terms: set in the portal, else from registered metadata (RFC 7591 `policy_uri`, `tos_uri`); null when absent or not http(s). */
  policyUri: string | null;
  termsUri: string | null;
  type: "confidential" | "public";
  grantTypes: string[];
  scopes: string[];
  pendingScopes: string[];
  status: ClientStatus;
  /** Why an admin suspended or revoked it (or rejected its scopes), shown to the developers. */
  statusReason: string;
  redirectUris: string[];
  /** RP-Initiated Logout 1.0 §3.1, in the order entered. */
  postLogoutRedirectUris: string[];
  backchannelLogoutUri: string | null;
  backchannelLogoutSessionRequired: boolean;
  /** "RS256" | "ES256"; "": the server default. */
  idTokenSignedResponseAlg: string;
  /** Registered browser origins; empty: those of the redirect URIs. */
  webOrigins: string[];
  lastTokenAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

const split = (s: string) => s.split(" ").filter(Boolean);

const appInclude = {
  owner: { select: { email: true, name: true } },
  redirectUris: { select: { uri: true }, orderBy: [{ position: "asc" }, { createdAt: "asc" }] as { position?: "asc"; createdAt?: "asc" }[] },
  logo: { select: { sha256: true, width: true, height: true } },
} as const;

type AppRow = Awaited<ReturnType<typeof findAppRow>>;
function findAppRow(id: string) {
  return prisma.client.findUnique({ where: { id }, include: appInclude });
}

function metadataUri(metadata: string, field: "policy_uri" | "tos_uri"): string | null {
  try {
    const value = (JSON.parse(metadata) as Record<string, unknown>)[field];
    return typeof value === "string" && /^https?:\/\//i.test(value) ? value : null;
  } catch {
    return null;
  }
}

/** Where pages load an uploaded logo (app/logos); the hash in the query lets it be cached for good. */
export function uploadedLogoPath(clientId: string, sha256: string): string {
  return `/logos/${encodeURIComponent(clientId)}?v=${sha256.slice(0, 16)}`;
}

function toSummary(row: NonNullable<AppRow>): AppSummary {
  return {
    id: row.id,
    ownerId: row.ownerId,
    ownerEmail: row.owner?.email ?? null,
    ownerName: row.owner?.name ?? null,
    source: row.source as ClientSource,
    defaultScopes: split(row.defaultScopes),
    name: row.name,
    description: row.description,
    websiteUrl: row.websiteUrl,
    logoUrl: row.logoUrl,
    uploadedLogo: row.logo,
    logoSrc: row.logo ? uploadedLogoPath(row.id, row.logo.sha256) : row.logoUrl,
    policyUrl: row.policyUrl,
    termsUrl: row.termsUrl,
    policyUri: row.policyUrl ?? metadataUri(row.metadata, "policy_uri"),
    termsUri: row.termsUrl ?? metadataUri(row.metadata, "tos_uri"),
    type: row.type as AppSummary["type"],
    grantTypes: split(row.grantTypes),
    scopes: split(row.scopes),
    pendingScopes: split(row.pendingScopes),
    status: row.status as ClientStatus,
    statusReason: row.statusReason,
    redirectUris: row.redirectUris.map((r) => r.uri),
    postLogoutRedirectUris: split(row.postLogoutRedirectUris),
    backchannelLogoutUri: row.backchannelLogoutUri,
    backchannelLogoutSessionRequired: row.backchannelLogoutSessionRequired,
    idTokenSignedResponseAlg: row.idTokenSignedResponseAlg,
    webOrigins: split(row.webOrigins),
    lastTokenAt: row.lastTokenAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** Whether any active app may use the implicit or the password grant (discovery says so only then). */
export async function legacyGrantsInUse(): Promise<{ implicit: boolean; password: boolean }> {
  const [implicit, password] = await Promise.all(
    ["implicit", "password"].map((grant) =>
      prisma.client.count({ where: { status: "active", grantTypes: { contains: grant } } }).then((n) => n > 0),
    ),
  );
  return { implicit: implicit!, password: password! };
}

export function newClientId(): string {
  return randomBytes(16).toString("hex");
}

/** Splits requested scopes into those granted now and restricted ones awaiting an admin. */
async function partitionScopes(scopes: string[], byAdmin: boolean) {
  const catalog = await prisma.scope.findMany({ where: { name: { in: scopes } } });
  const known = new Map(catalog.map((s) => [s.name, s]));
  const unknown = scopes.filter((s) => !known.has(s));
  if (unknown.length) throw new UnknownScopeError(unknown);
  const pending = byAdmin ? [] : scopes.filter((s) => known.get(s)?.restricted);
  return { granted: scopes.filter((s) => !pending.includes(s)), pending };
}

export class UnknownScopeError extends Error {
  constructor(readonly scopes: string[]) {
    super(`Unknown scope${scopes.length > 1 ? "s" : ""}: ${scopes.join(", ")}`);
  }
}

export interface CreatedApp {
  app: AppSummary;
  /** The raw secret of a confidential client: shown once, never stored. */
  clientSecret: string | null;
}

export async function createApp(
  ownerId: string,
  data: AppData,
  actor: Actor,
  options: { byAdmin?: boolean; clientId?: string; secretLabel?: string } = {},
): Promise<CreatedApp> {
  const { granted, pending } = await partitionScopes(data.scopes, options.byAdmin ?? false);
  const grantTypes = options.byAdmin ? data.grantTypes : data.grantTypes.filter((g) => g !== "password");
  const secret = data.type === "confidential" ? newClientSecret() : null;
  const id = options.clientId ?? newClientId();
  await prisma.client.create({
    data: {
      id,
      ownerId,
      name: data.name,
      description: data.description,
      websiteUrl: data.websiteUrl,
      logoUrl: data.logoUrl,
      type: data.type,
      grantTypes: grantTypes.join(" "),
      scopes: granted.join(" "),
      pendingScopes: pending.join(" "),
      defaultScopes: (data.defaultScopes ?? []).filter((s) => granted.includes(s)).join(" "),
      webOrigins: data.webOrigins.join(" "),
      ...logoutAndLinkColumns(data),
      redirectUris: { create: data.redirectUris.map((uri, position) => ({ uri, position })) },
      secrets: secret ? { create: { secretHash: secret.hash, hint: secret.hint, label: options.secretLabel ?? "" } } : undefined,
    },
  });
  await recordAudit(actor, "app.created", id, { name: data.name, type: data.type, webOrigins: data.webOrigins });
  const app = toSummary((await findAppRow(id))!);
  return { app, clientSecret: secret?.secret ?? null };
}

/** Settings the form may leave out (the seed, the CLI): kept as they are, or the defaults. */
function logoutAndLinkColumns(data: AppData, current?: NonNullable<AppRow>) {
  return {
    postLogoutRedirectUris: (data.postLogoutRedirectUris ?? split(current?.postLogoutRedirectUris ?? "")).join(" "),
    backchannelLogoutUri: data.backchannelLogoutUri !== undefined ? data.backchannelLogoutUri : (current?.backchannelLogoutUri ?? null),
    backchannelLogoutSessionRequired: data.backchannelLogoutSessionRequired ?? current?.backchannelLogoutSessionRequired ?? true,
    idTokenSignedResponseAlg: data.idTokenSignedResponseAlg ?? current?.idTokenSignedResponseAlg ?? "",
    policyUrl: data.policyUrl !== undefined ? data.policyUrl || null : (current?.policyUrl ?? null),
    termsUrl: data.termsUrl !== undefined ? data.termsUrl || null : (current?.termsUrl ?? null),
  };
}

export async function updateApp(id: string, data: AppData, actor: Actor, byAdmin = false): Promise<AppSummary> {
  const current = await findAppRow(id);
  if (!current) throw new Error("No such app");
  const previouslyGranted = split(current.scopes);
  const { granted, pending } = await partitionScopes(data.scopes, byAdmin);
  // Restricted scopes an admin already approved stay granted.
  const keep = pending.filter((s) => previouslyGranted.includes(s));
  const grantTypes = data.grantTypes.filter((g) => g !== "password" || byAdmin || split(current.grantTypes).includes("password"));
  const scopes = [...granted, ...keep];
  // Default scopes stay within the scopes the app may use now (restricted ones once approved).
  const defaultScopes = (data.defaultScopes ?? split(current.defaultScopes)).filter((s) => scopes.includes(s));
  await prisma.$transaction([
    prisma.redirectUri.deleteMany({ where: { clientId: id } }),
    prisma.client.update({
      where: { id },
      data: {
        name: data.name,
        description: data.description,
        websiteUrl: data.websiteUrl,
        logoUrl: data.logoUrl,
        grantTypes: grantTypes.join(" "),
        scopes: scopes.join(" "),
        pendingScopes: pending.filter((s) => !keep.includes(s)).join(" "),
        defaultScopes: defaultScopes.join(" "),
        webOrigins: data.webOrigins.join(" "),
        ...logoutAndLinkColumns(data, current),
        redirectUris: { create: data.redirectUris.map((uri, position) => ({ uri, position })) },
      },
    }),
  ]);
  const updated = toSummary((await findAppRow(id))!);
  await recordAudit(actor, "app.updated", id, {
    name: data.name,
    changes: describeChanges(toSummary(current), updated, [
      "name", "description", "websiteUrl", "logoUrl", "type", "grantTypes", "scopes", "pendingScopes", "defaultScopes", "redirectUris", "webOrigins",
      "postLogoutRedirectUris", "backchannelLogoutUri", "backchannelLogoutSessionRequired", "idTokenSignedResponseAlg", "policyUrl", "termsUrl",
    ]),
  });
  return updated;
}

export async function getApp(id: string): Promise<AppSummary | null> {
  const row = await findAppRow(id);
  return row ? toSummary(row) : null;
}

export async function getAppsForOwner(ownerId: string): Promise<AppSummary[]> {
  const rows = await prisma.client.findMany({
    where: { ownerId },
    include: appInclude,
    orderBy: { createdAt: "desc" },
  });
  return rows.map(toSummary);
}

export async function listAllApps(): Promise<AppSummary[]> {
  const rows = await prisma.client.findMany({ include: appInclude, orderBy: { createdAt: "desc" } });
  return rows.map(toSummary);
}

/** Revoking is final: a revoked app is never suspended or reactivated again. */
export class RevokedAppError extends Error {
  constructor() {
    super("This app was revoked; a revoked app cannot be reactivated or suspended.");
  }
}

/**
 * Suspends, revokes or reactivates an app; `reason` is shown to its developers. Revoking and
 * reactivating both end every token family and grant: a suspended app's old tokens do not come
 * back (its users allow it again).
 */
export async function setAppStatus(id: string, status: ClientStatus, actor: Actor, reason = ""): Promise<AppSummary | null> {
  const before = await prisma.client.findUnique({ where: { id }, select: { status: true, statusReason: true, tokensEndedAt: true } });
  if (!before) return null;
  if (before.status === "revoked" && status !== "revoked") throw new RevokedAppError();
  const now = new Date();
  const endTokens = status === "revoked" || (status === "active" && before.status !== "active");
  if (endTokens) {
    // Before the status changes, so that no old token is ever active again.
    await prisma.tokenFamily.updateMany({ where: { clientId: id, revokedAt: null }, data: { revokedAt: now } });
    await prisma.grant.updateMany({ where: { clientId: id, revokedAt: null }, data: { revokedAt: now } });
  }
  const statusReason = status === "active" ? "" : reason.trim();
  if (status === "active" && before.tokensEndedAt) {
    // Tokens issued within the second tokensEndedAt falls in count as ended (`iat` is in whole
    // seconds): reactivate after it, so that the first new tokens are active.
    const wait = (Math.floor(before.tokensEndedAt.getTime() / 1000) + 1) * 1000 - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
  await prisma.client.update({ where: { id }, data: { status, statusReason } });
  if (status !== "active") {
    // Access tokens from before a suspension never count again, client credentials ones included
    // (no grant or family to end them): the token check compares their iat with this time, taken
    // after the write plus the second in which another instance may still serve the app from its
    // cache (OAuthStore.getClient) and so issue it tokens.
    await prisma.client.update({ where: { id }, data: { tokensEndedAt: new Date(Date.now() + 1000) } });
  }
  await recordAudit(actor, `app.${status === "active" ? "reactivated" : status}`, id, {
    ...(statusReason ? { reason: statusReason } : {}),
    changes: { status: { from: before.status, to: status }, statusReason: { from: before.statusReason, to: statusReason } },
    ...(endTokens ? { tokensEnded: true } : {}),
  });
  return getApp(id);
}

export async function deleteApp(id: string, actor: Actor): Promise<void> {
  await prisma.client.delete({ where: { id } });
  await recordAudit(actor, "app.deleted", id);
}

export async function listSecrets(clientId: string): Promise<SecretSummary[]> {
  return prisma.clientSecret.findMany({
    where: { clientId },
    select: { id: true, hint: true, label: true, createdAt: true, expiresAt: true, revokedAt: true, lastUsedAt: true },
    orderBy: { createdAt: "desc" },
  });
}

/**
 * Zero-downtime rotation: a new secret starts working now; the live old ones keep
 * working for `graceSeconds` (0 ends them at once).
 */
export async function rotateClientSecret(
  clientId: string,
  graceSeconds: number,
  actor: Actor,
  label = "",
): Promise<{ secret: string; hint: string }> {
  const now = new Date();
  const until = new Date(now.getTime() + graceSeconds * 1000);
  const secret = newClientSecret();
  await prisma.$transaction([
    prisma.clientSecret.updateMany({
      where: { clientId, revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: until } }] },
      data: graceSeconds === 0 ? { revokedAt: now } : { expiresAt: until },
    }),
    prisma.clientSecret.create({ data: { clientId, secretHash: secret.hash, hint: secret.hint, label } }),
  ]);
  await recordAudit(actor, "secret.rotated", clientId, { hint: secret.hint, graceSeconds, ...(label ? { label } : {}) });
  return { secret: secret.secret, hint: secret.hint };
}

export async function revokeClientSecret(clientId: string, secretId: string, actor: Actor): Promise<boolean> {
  const result = await prisma.clientSecret.updateMany({
    where: { id: secretId, clientId, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  if (result.count) await recordAudit(actor, "secret.revoked", clientId, { secretId });
  return result.count > 0;
}

export async function setSecretLabel(clientId: string, secretId: string, label: string, actor: Actor): Promise<boolean> {
  const before = await prisma.clientSecret.findFirst({ where: { id: secretId, clientId }, select: { label: true, hint: true } });
  if (!before) return false;
  await prisma.clientSecret.update({ where: { id: secretId }, data: { label } });
  await recordAudit(actor, "secret.labelled", clientId, { secretId, hint: before.hint, changes: { label: { from: before.label, to: label } } });
  return true;
}

/** Registers one more redirect URI; the caller validates it against the registration rules. */
export async function addRedirectUri(clientId: string, uri: string, actor: Actor): Promise<AppSummary> {
  const last = await prisma.redirectUri.findFirst({ where: { clientId }, orderBy: { position: "desc" }, select: { position: true } });
  await prisma.redirectUri.upsert({
    where: { clientId_uri: { clientId, uri } },
    create: { clientId, uri, position: (last?.position ?? -1) + 1 },
    update: {},
  });
  await recordAudit(actor, "app.redirect_uri_added", clientId, { uri });
  return toSummary((await findAppRow(clientId))!);
}
