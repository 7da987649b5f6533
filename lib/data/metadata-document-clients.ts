// Clients whose client_id is an https URL (draft-ietf-oauth-client-id-metadata-document):
// the store looks them up like any client, fetching the document when the stored copy is
// missing or stale and keeping it as a Client row (source "metadata_document").
import { prisma } from "../db";
import { env } from "../env";
import {
  clientIdUrlProblem,
  isClientIdUrl,
  metadataLifetimeSeconds,
  parseClientMetadataDocument,
  type ClientMetadataDocument,
} from "../oauth/client-metadata-document";
import { InvalidClient } from "../oauth/errors";
import type { ClientRecord, ClientStatus, OAuthStore } from "../oauth/store";
import { safeFetchJson, SafeFetchError, type SafeFetchOptions, type SafeFetchResult } from "../server/safe-fetch";
import { metadataDocumentHostAllowed, serverSettings } from "./settings";

/** Draft §5: the document is fetched from its URL itself; a redirect is an error. */
export const METADATA_DOCUMENT_MAX_REDIRECTS = 0;
/** How long a document that could not be used is not fetched again. */
export const METADATA_DOCUMENT_RETRY_MS = 60_000;
const MAX_REMEMBERED_FAILURES = 1_000;

class DocumentRefused extends Error {}

function refused(reason: string): InvalidClient {
  return new InvalidClient(`The client's metadata document could not be used: ${reason}`, { status: 400 });
}

export interface MetadataDocumentOptions {
  fetchDocument?: (url: string, options: SafeFetchOptions) => Promise<SafeFetchResult>;
  now?: () => Date;
}

let warnedAboutLoopback = false;
function allowLoopback(): boolean {
  const allowed = env().clientMetadataAllowLoopback;
  if (allowed && !warnedAboutLoopback) {
    warnedAboutLoopback = true;
    console.warn(
      "[latchkey] LATCHKEY_CIMD_ALLOW_LOOPBACK is on: metadata documents may be fetched from loopback addresses; never use this in production",
    );
  }
  return allowed;
}

async function allowedScopes(document: ClientMetadataDocument): Promise<string[]> {
  const catalog = await prisma.scope.findMany({ where: { restricted: false }, select: { name: true }, orderBy: { name: "asc" } });
  const names = catalog.map((s) => s.name);
  if (document.scopes === null) return names;
  const open = new Set(names);
  return document.scopes.filter((s) => open.has(s));
}

async function saveClient(document: ClientMetadataDocument, expiresAt: Date): Promise<void> {
  const id = document.clientId;
  const scopes = (await allowedScopes(document)).join(" ");
  const metadata = JSON.stringify({
    ...(document.clientUri ? { client_uri: document.clientUri } : {}),
    ...(document.policyUri ? { policy_uri: document.policyUri } : {}),
    ...(document.tosUri ? { tos_uri: document.tosUri } : {}),
    ...(document.contacts.length ? { contacts: document.contacts } : {}),
  });
  // status and ownerId are never written on update: a suspension or a claim outlives refetches.
  const fields = {
    name: document.name,
    websiteUrl: document.clientUri,
    logoUrl: document.logoUri,
    type: "public",
    grantTypes: document.grantTypes.join(" "),
    scopes,
    metadata,
    metadataExpiresAt: expiresAt,
  };
  const write = () =>
    prisma.$transaction([
      prisma.client.upsert({
        where: { id },
        create: { id, ownerId: null, source: "metadata_document", ...fields },
        update: fields,
      }),
      prisma.redirectUri.deleteMany({ where: { clientId: id } }),
      prisma.redirectUri.createMany({ data: document.redirectUris.map((uri) => ({ clientId: id, uri })) }),
    ]);
  try {
    await write();
  } catch (err) {
    // Another instance created the row between upsert's read and its insert: now it updates.
    if ((err as { code?: string }).code !== "P2002") throw err;
    await write();
  }
}

/**
 * `store`, with https-URL client_ids resolved through their metadata documents. Errors from
 * getClient are InvalidClient (400) with the reason for the user and the client developer.
 */
export function withMetadataDocumentClients<S extends OAuthStore>(store: S, options: MetadataDocumentOptions = {}): S {
  const fetchDocument = options.fetchDocument ?? safeFetchJson;
  const now = options.now ?? (() => new Date());
  const inFlight = new Map<string, Promise<void>>();
  const failures = new Map<string, { reason: string; until: number }>();

  function rememberFailure(url: string, reason: string) {
    const at = now().getTime();
    for (const [key, failure] of failures) if (failure.until <= at) failures.delete(key);
    while (failures.size >= MAX_REMEMBERED_FAILURES) failures.delete(failures.keys().next().value!);
    failures.set(url, { reason, until: at + METADATA_DOCUMENT_RETRY_MS });
  }

  async function fetchAndSave(url: string): Promise<void> {
    let fetched: SafeFetchResult;
    try {
      fetched = await fetchDocument(url, { allowLoopback: allowLoopback(), maxRedirects: METADATA_DOCUMENT_MAX_REDIRECTS });
    } catch (err) {
      if (err instanceof SafeFetchError) throw new DocumentRefused(err.message);
      throw err;
    }
    const parsed = parseClientMetadataDocument(url, fetched.json);
    if ("problem" in parsed) throw new DocumentRefused(parsed.problem);
    const at = now();
    const expiresAt = new Date(at.getTime() + metadataLifetimeSeconds(fetched, at) * 1000);
    await saveClient(parsed.document, expiresAt);
  }

  /** Fetches and stores the document; concurrent callers for one URL share the work. */
  async function refresh(url: string): Promise<void> {
    const failure = failures.get(url);
    if (failure && failure.until > now().getTime()) throw refused(failure.reason);
    let work = inFlight.get(url);
    if (!work) {
      work = fetchAndSave(url)
        .catch((err: unknown) => {
          if (err instanceof DocumentRefused) {
            rememberFailure(url, err.message);
            throw refused(err.message);
          }
          throw err;
        })
        .finally(() => inFlight.delete(url));
      inFlight.set(url, work);
    }
    await work;
  }

  async function getClient(clientId: string): Promise<ClientRecord | null> {
    if (!isClientIdUrl(clientId)) return store.getClient(clientId);
    const stored = await store.getClient(clientId);
    // Registered by other means (portal, registration): a pre-registered URL (draft §7.2).
    if (stored !== null && stored.source !== "metadata_document") return stored;
    const problem = clientIdUrlProblem(clientId);
    if (problem) throw refused(problem);
    const settings = await serverSettings();
    const host = new URL(clientId).hostname;
    if (!metadataDocumentHostAllowed(settings, host)) {
      throw refused(
        settings.metadataDocuments === "off"
          ? "this server does not accept client ID metadata documents"
          : `this server does not accept metadata documents from ${host}`,
      );
    }
    if (stored?.metadataExpiresAt && stored.metadataExpiresAt.getTime() > now().getTime()) return stored;
    await refresh(clientId);
    return store.getClient(clientId);
  }

  const wrapped = Object.create(store) as S;
  wrapped.getClient = getClient;
  return wrapped;
}

export interface MetadataDocumentClientSummary {
  id: string;
  name: string;
  host: string;
  status: ClientStatus;
  createdAt: Date;
  lastTokenAt: Date | null;
  metadataExpiresAt: Date | null;
}

/** Every client known from a metadata document, newest first (for the admin console). */
export async function listMetadataDocumentClients(): Promise<MetadataDocumentClientSummary[]> {
  const rows = await prisma.client.findMany({
    where: { source: "metadata_document" },
    select: { id: true, name: true, status: true, createdAt: true, lastTokenAt: true, metadataExpiresAt: true },
    orderBy: { createdAt: "desc" },
  });
  return rows.map((row) => {
    let host = row.id;
    try {
      host = new URL(row.id).host;
    } catch {
      // keep the id
    }
    return { ...row, host, status: row.status as ClientStatus };
  });
}
