// Registered APIs and MCP servers: the protected resources tokens can be issued for (RFC 8707).
import { prisma } from "../db";
import type { ApiData } from "../validation/api";
import { canonicalApiIdentifier } from "../validation/api";
import { recordAudit, systemActor, type Actor } from "./audit";

export interface ApiSummary {
  id: string;
  identifier: string;
  name: string;
  scopes: string[];
  /** Seconds; null: the server default. */
  accessTokenTtl: number | null;
  createdAt: Date;
  updatedAt: Date;
}

export class ApiExistsError extends Error {
  constructor(readonly identifier: string) {
    super(`An API with identifier ${identifier} already exists.`);
  }
}

export class UnknownApiScopeError extends Error {
  constructor(readonly scopes: string[]) {
    super(`Not in the scope catalog: ${scopes.join(", ")}. Add ${scopes.length > 1 ? "them" : "it"} under Scope catalog first.`);
  }
}

export const EXAMPLE_API_NAME = "Latchkey example API";

const split = (s: string) => s.split(" ").filter(Boolean);

type ApiRow = { id: string; identifier: string; name: string; scopes: string; accessTokenTtl: number | null; createdAt: Date; updatedAt: Date };

function toSummary(row: ApiRow): ApiSummary {
  return { ...row, scopes: split(row.scopes) };
}

export async function listApis(): Promise<ApiSummary[]> {
  const rows = await prisma.api.findMany({ orderBy: [{ name: "asc" }, { identifier: "asc" }] });
  return rows.map(toSummary);
}

export async function getApiByIdentifier(identifier: string): Promise<ApiSummary | null> {
  const row = await prisma.api.findUnique({ where: { identifier: canonicalApiIdentifier(identifier) } });
  return row ? toSummary(row) : null;
}

/** The APIs among `identifiers` (unknown ones are left out), in the order given. */
export async function getApisByIdentifiers(identifiers: string[]): Promise<ApiSummary[]> {
  if (!identifiers.length) return [];
  const rows = await prisma.api.findMany({ where: { identifier: { in: identifiers } } });
  const byIdentifier = new Map(rows.map((r) => [r.identifier, toSummary(r)]));
  return identifiers.flatMap((i) => byIdentifier.get(i) ?? []);
}

/**
 * Checks `scopes` against the catalog. With `createMissing`, scopes not in it are added to it,
 * filed under the API's name and not restricted (`apis create` on the CLI); otherwise they
 * are refused.
 */
async function ensureCatalogScopes(scopes: string[], apiName: string, actor: Actor, createMissing: boolean): Promise<void> {
  if (!scopes.length) return;
  const known = new Set((await prisma.scope.findMany({ where: { name: { in: scopes } }, select: { name: true } })).map((s) => s.name));
  const missing = scopes.filter((s) => !known.has(s));
  if (!missing.length) return;
  if (!createMissing) throw new UnknownApiScopeError(missing);
  const category = apiName.slice(0, 40);
  for (const name of missing) {
    const entry = { name, category, description: `Use ${apiName} (${name}).`.slice(0, 300), restricted: false };
    await prisma.scope.upsert({ where: { name }, create: entry, update: {} });
    await recordAudit(actor, "scope.created", name, { ...entry, api: apiName });
  }
}

function isUniqueViolation(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { code?: string }).code === "P2002";
}

export async function createApi(data: ApiData, actor: Actor, options: { createMissingScopes?: boolean } = {}): Promise<ApiSummary> {
  if (await prisma.api.findUnique({ where: { identifier: data.identifier }, select: { id: true } })) {
    throw new ApiExistsError(data.identifier);
  }
  await ensureCatalogScopes(data.scopes, data.name, actor, options.createMissingScopes ?? false);
  let row: ApiRow;
  try {
    row = await prisma.api.create({
      data: { identifier: data.identifier, name: data.name, scopes: data.scopes.join(" "), accessTokenTtl: data.accessTokenTtl },
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new ApiExistsError(data.identifier);
    throw err;
  }
  await recordAudit(actor, "api.created", row.identifier, { name: row.name, scopes: data.scopes, accessTokenTtl: row.accessTokenTtl });
  return toSummary(row);
}

/** Changes an API's name, scopes and token lifetime; the identifier stays (issued tokens carry it). */
export async function updateApi(identifier: string, data: Omit<ApiData, "identifier">, actor: Actor): Promise<ApiSummary | null> {
  const id = canonicalApiIdentifier(identifier);
  if (!(await prisma.api.findUnique({ where: { identifier: id }, select: { id: true } }))) return null;
  await ensureCatalogScopes(data.scopes, data.name, actor, false);
  const row = await prisma.api.update({
    where: { identifier: id },
    data: { name: data.name, scopes: data.scopes.join(" "), accessTokenTtl: data.accessTokenTtl },
  });
  await recordAudit(actor, "api.updated", row.identifier, { name: row.name, scopes: data.scopes, accessTokenTtl: row.accessTokenTtl });
  return toSummary(row);
}

/** False when there was no such API. */
export async function deleteApi(identifier: string, actor: Actor): Promise<boolean> {
  const id = canonicalApiIdentifier(identifier);
  const count = await prisma.$transaction(async (tx) => {
    const deleted = await tx.api.deleteMany({ where: { identifier: id } });
    if (deleted.count === 0) return 0;
    // Users' grants forget the API: one registered again under this identifier is asked for anew.
    const grants = await tx.grant.findMany({ where: { resources: { contains: id } }, select: { id: true, resources: true } });
    for (const grant of grants) {
      const kept = grant.resources.split(" ").filter((r) => r !== "" && r !== id);
      await tx.grant.update({ where: { id: grant.id }, data: { resources: kept.join(" ") } });
    }
    return deleted.count;
  });
  if (count) await recordAudit(actor, "api.deleted", id);
  return count > 0;
}

/** The example protected resource (`/api/v1/me`) as a registered API; idempotent, called at start-up. */
export async function seedExampleApi(issuer: string): Promise<void> {
  const identifier = canonicalApiIdentifier(`${issuer.replace(/\/+$/, "")}/api/v1`);
  if (await prisma.api.findUnique({ where: { identifier }, select: { id: true } })) return;
  try {
    await prisma.api.create({ data: { identifier, name: EXAMPLE_API_NAME, scopes: "account:read" } });
  } catch (err) {
    if (isUniqueViolation(err)) return; // another instance created it first
    throw err;
  }
  await recordAudit(systemActor, "api.created", identifier, { name: EXAMPLE_API_NAME, scopes: ["account:read"] });
}
