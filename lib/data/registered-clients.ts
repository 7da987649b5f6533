// Clients that registered themselves (RFC 7591): `source: "registration"`, no owner until a
// developer claims one in the portal, managed with their registration access token
// (RFC 7592) until then, and deleted when nobody claimed them and they stopped asking for tokens.
import { prisma } from "../db";
import type {
  ClientMetadata,
  NewRegisteredClient,
  RegisteredClientRecord,
  RegistrationStore,
} from "../oauth/registration";
import { hashToken, safeEqual } from "../oauth/tokens";
import { recordAudit, systemActor, type Actor } from "./audit";
import { newClientId } from "./clients";
import { verifyInitialAccessToken } from "./initial-access-tokens";
import { listScopes } from "./scopes";

/** Who the audit log names for what a client does to its own registration. */
const registrationActor: Actor = { id: null, label: "registration" };

const include = {
  redirectUris: { select: { uri: true }, orderBy: { createdAt: "asc" } },
  secrets: { select: { secretHash: true, expiresAt: true, revokedAt: true } },
} as const;

type Row = NonNullable<Awaited<ReturnType<typeof findRow>>>;
function findRow(clientId: string) {
  return prisma.client.findFirst({ where: { id: clientId, source: "registration" }, include });
}

const split = (s: string) => s.split(" ").filter(Boolean);

function toRecord(row: Row, now = new Date()): RegisteredClientRecord {
  let stored: Partial<ClientMetadata> = {};
  try {
    stored = JSON.parse(row.metadata) as Partial<ClientMetadata>;
  } catch {
    // an unreadable value: the columns below still describe the client
  }
  const type = row.type as RegisteredClientRecord["type"];
  const metadata: ClientMetadata = {
    ...stored,
    redirect_uris: row.redirectUris.map((r) => r.uri),
    token_endpoint_auth_method: stored.token_endpoint_auth_method ?? (type === "public" ? "none" : "client_secret_basic"),
    grant_types: split(row.grantTypes) as ClientMetadata["grant_types"],
    response_types: split(row.grantTypes).includes("authorization_code") ? ["code"] : [],
    scope: row.scopes,
  };
  if (stored.client_name !== undefined) metadata.client_name = row.name;
  return {
    clientId: row.id,
    type,
    registrationTokenHash: row.ownerId === null ? row.registrationTokenHash : null,
    active: row.status === "active",
    secretHashes: row.secrets
      .filter((s) => (s.revokedAt === null || s.revokedAt > now) && (s.expiresAt === null || s.expiresAt > now))
      .map((s) => s.secretHash),
    createdAt: row.createdAt,
    metadata,
  };
}

/** The columns a registration sets; the rest of the metadata is kept as JSON. */
function columns(clientId: string, metadata: ClientMetadata) {
  return {
    name: metadata.client_name ?? `Unnamed client ${clientId.slice(0, 8)}`,
    websiteUrl: metadata.client_uri ?? null,
    logoUrl: metadata.logo_uri ?? null,
    grantTypes: metadata.grant_types.join(" "),
    scopes: metadata.scope,
    postLogoutRedirectUris: (metadata.post_logout_redirect_uris ?? []).join(" "),
    backchannelLogoutUri: metadata.backchannel_logout_uri ?? null,
    backchannelLogoutSessionRequired: metadata.backchannel_logout_session_required ?? true,
    idTokenSignedResponseAlg: metadata.id_token_signed_response_alg ?? "",
    metadata: JSON.stringify(metadata),
  };
}

export async function getRegisteredClient(clientId: string): Promise<RegisteredClientRecord | null> {
  const row = await findRow(clientId);
  return row === null ? null : toRecord(row);
}

export async function createRegisteredClient(client: NewRegisteredClient): Promise<RegisteredClientRecord> {
  const { clientId, metadata } = client;
  const row = await prisma.client.create({
    data: {
      id: clientId,
      ownerId: null,
      type: client.type,
      source: "registration",
      registrationTokenHash: client.registrationTokenHash,
      ...columns(clientId, metadata),
      redirectUris: { create: metadata.redirect_uris.map((uri) => ({ uri })) },
      secrets: client.secret === null ? undefined : { create: { secretHash: client.secret.hash, hint: client.secret.hint } },
    },
    include,
  });
  await recordAudit(registrationActor, "app.registered", clientId, {
    name: row.name,
    type: client.type,
    softwareId: metadata.software_id ?? null,
  });
  return toRecord(row);
}

const isNotFound = (err: unknown) => (err as { code?: unknown } | null)?.code === "P2025";

/** RFC 7592 §2.2 full replacement, while the client still holds the registration token. */
export async function replaceRegisteredClient(
  clientId: string,
  registrationTokenHash: string,
  metadata: ClientMetadata,
): Promise<RegisteredClientRecord | null> {
  let row: Row;
  try {
    row = await prisma.client.update({
      where: { id: clientId, source: "registration", ownerId: null, registrationTokenHash },
      data: {
        ...columns(clientId, metadata),
        redirectUris: { deleteMany: {}, create: metadata.redirect_uris.map((uri) => ({ uri })) },
      },
      include,
    });
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
  await recordAudit(registrationActor, "app.registration_updated", clientId, { name: row.name });
  return toRecord(row);
}

/** RFC 7592 §2.3; its grants, codes and tokens go with it. */
export async function deleteRegisteredClient(clientId: string, registrationTokenHash: string): Promise<boolean> {
  const result = await prisma.client.deleteMany({
    where: { id: clientId, source: "registration", ownerId: null, registrationTokenHash },
  });
  if (result.count > 0) await recordAudit(registrationActor, "app.deleted", clientId, { by: "registration access token" });
  return result.count > 0;
}

/**
 * A developer takes ownership of a registered client by proving they hold its registration
 * access token. The token stops working (the client is now managed in the portal), and the
 * client no longer expires. False for an unknown, already claimed client or a wrong token.
 */
export async function claimRegisteredClient(
  clientId: string,
  registrationAccessToken: string,
  owner: { id: string; email: string },
): Promise<boolean> {
  const row = await prisma.client.findFirst({
    where: { id: clientId, source: "registration", ownerId: null },
    select: { registrationTokenHash: true },
  });
  const hash = hashToken(registrationAccessToken);
  if (row?.registrationTokenHash == null || !safeEqual(hash, row.registrationTokenHash)) return false;
  try {
    await prisma.client.update({
      where: { id: clientId, source: "registration", ownerId: null, registrationTokenHash: hash },
      data: { ownerId: owner.id, registrationTokenHash: null },
    });
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
  await recordAudit({ id: owner.id, label: owner.email }, "app.claimed", clientId);
  return true;
}

/**
 * Deletes registered clients nobody claimed that issued no token (or, never used, were
 * created) before `cutoff`. Returns their ids.
 */
export async function deleteUnclaimedRegisteredClients(cutoff: Date): Promise<string[]> {
  const stale = {
    source: "registration",
    ownerId: null,
    OR: [{ lastTokenAt: { lt: cutoff } }, { lastTokenAt: null, createdAt: { lt: cutoff } }],
  };
  const rows = await prisma.client.findMany({ where: stale, select: { id: true } });
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  // The same condition again: a client claimed or used meanwhile stays.
  await prisma.client.deleteMany({ where: { ...stale, id: { in: ids } } });
  const remaining = new Set((await prisma.client.findMany({ where: { id: { in: ids } }, select: { id: true } })).map((r) => r.id));
  const deleted = ids.filter((id) => !remaining.has(id));
  for (const id of deleted) await recordAudit(systemActor, "app.expired", id, { reason: "unclaimed registered client without tokens" });
  return deleted;
}

/** The registration endpoint's store (lib/oauth/registration.ts). */
export const registrationStore: RegistrationStore = {
  getRegisteredClient,
  createRegisteredClient,
  replaceRegisteredClient,
  deleteRegisteredClient,
  useInitialAccessToken: (token) => verifyInitialAccessToken(token),
  scopes: listScopes,
  newClientId,
};
