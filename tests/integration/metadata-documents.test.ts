// Clients identified by an https URL (draft-ietf-oauth-client-id-metadata-document), against
// the real server: documents are served from a local https server whose requests are counted.
import { createHash, randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { follow, signIn, type CookieJar } from "./helpers/browserless-login";
import { authorizationCode } from "./helpers/code-flow";
import { startHttpsServer, type HttpsTestServer } from "./helpers/https-server";
import { startServer, type RunningServer } from "./helpers/server";

const REDIRECT = "http://127.0.0.1:8765/callback";

type Route = (req: IncomingMessage, res: ServerResponse) => void;
const routes = new Map<string, Route>();
const hits = new Map<string, number>();
let docs: HttpsTestServer;

const documentAt = (p: string, overrides: Record<string, unknown> = {}, headers: Record<string, string> = {}): string => {
  const clientId = `${docs.url}${p}`;
  const body = JSON.stringify({
    client_id: clientId,
    client_name: "Metadata Test Client",
    client_uri: "https://client.example/",
    policy_uri: "https://client.example/privacy",
    tos_uri: "https://client.example/terms",
    contacts: ["dev@client.example"],
    redirect_uris: [REDIRECT],
    grant_types: ["authorization_code", "refresh_token"],
    response_types: ["code"],
    token_endpoint_auth_method: "none",
    ...overrides,
  });
  routes.set(p, (_req, res) => res.writeHead(200, { "content-type": "application/json", ...headers }).end(body));
  return clientId;
};

const hitsOf = (p: string) => hits.get(p) ?? 0;
const totalHits = () => [...hits.values()].reduce((a, b) => a + b, 0);

beforeAll(async () => {
  docs = await startHttpsServer((req, res) => {
    const p = new URL(req.url!, "https://x").pathname;
    hits.set(p, hitsOf(p) + 1);
    const route = routes.get(p);
    if (route) route(req, res);
    else res.writeHead(404).end();
  });
});

afterAll(async () => {
  await docs?.close();
});

function authorizeUrl(issuer: string, clientId: string): string {
  const url = new URL(`${issuer}/oauth/authorize`);
  url.search = new URLSearchParams({
    response_type: "code", client_id: clientId, redirect_uri: REDIRECT, scope: "openid", state: "s",
    code_challenge: createHash("sha256").update(randomBytes(32).toString("base64url")).digest("base64url"),
    code_challenge_method: "S256",
  }).toString();
  return url.href;
}

/** Where the authorization endpoint sends the browser first, and how long it took to answer. */
async function firstStep(issuer: string, clientId: string, jar?: CookieJar): Promise<{ location: URL; ms: number }> {
  const started = Date.now();
  const res = await fetch(authorizeUrl(issuer, clientId), { redirect: "manual", headers: jar ? { cookie: jar.header() } : {} });
  const ms = Date.now() - started;
  const location = res.headers.get("location");
  if (!location) throw new Error(`authorize answered ${res.status} without a redirect`);
  return { location: new URL(location, issuer), ms };
}

/** The error page's description, checked to be what the page shows. */
async function errorPage(issuer: string, clientId: string): Promise<{ error: string; description: string; ms: number }> {
  const { location, ms } = await firstStep(issuer, clientId);
  expect(location.pathname).toBe("/oauth/error");
  const description = location.searchParams.get("error_description") ?? "";
  const html = await (await fetch(location)).text();
  expect(html).toContain(description.replace(/&/g, "&amp;").replace(/"/g, "&quot;").slice(0, 60));
  return { error: location.searchParams.get("error") ?? "", description, ms };
}

/** Writes to the server's database behind its back (the store's client cache expires in 500 ms). */
async function execute(server: RunningServer, sql: string, values: unknown[]): Promise<void> {
  if (server.databaseKind === "postgresql") {
    await server.query(sql, values);
  } else {
    const { default: Database } = await import("better-sqlite3");
    const db = new Database(path.join(server.dataDir, "latchkey.db"));
    try {
      db.pragma("busy_timeout = 5000");
      db.prepare(sql).run(...values);
    } finally {
      db.close();
    }
  }
  await new Promise((r) => setTimeout(r, 700));
}

interface ClientRow {
  id: string;
  source: string;
  ownerId: string | null;
  type: string;
  status: string;
  name: string;
  websiteUrl: string | null;
  grantTypes: string;
  scopes: string;
  metadata: string;
  metadataExpiresAt: string | Date | null;
}

const clientRow = async (server: RunningServer, id: string) =>
  (await server.query<ClientRow>(`SELECT * FROM "Client" WHERE id = ?`, [id]))[0];

describe("with LATCHKEY_CIMD_ALLOW_LOOPBACK=true (documents on loopback)", () => {
  let server: RunningServer;
  let user: CookieJar;

  beforeAll(async () => {
    server = await startServer({ LATCHKEY_CIMD_ALLOW_LOOPBACK: "true", NODE_EXTRA_CA_CERTS: docs.certPath });
    user = await signIn(server.issuer, "user@latchkey.local", "latchkey-user");
  }, 300_000);

  afterAll(async () => {
    await server?.stop();
  });

  it("warns once at first use that loopback fetching is on", async () => {
    const clientId = documentAt("/warn/client.json");
    await firstStep(server.issuer, clientId);
    await firstStep(server.issuer, documentAt("/warn/other.json"));
    const warnings = server.output().match(/LATCHKEY_CIMD_ALLOW_LOOPBACK is on: metadata documents may be fetched from loopback addresses; never use this in production/g);
    expect(warnings).toHaveLength(1);
  });

  it("lets a public client complete authorization code + PKCE with a URL client_id, and stores the client", async () => {
    const clientId = documentAt("/good/client.json", {}, { "cache-control": "max-age=600" });
    const before = Date.now();
    const { code, verifier } = await authorizationCode(server.issuer, user, { clientId, clientSecret: "" }, REDIRECT, "openid");
    const res = await fetch(`${server.issuer}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: REDIRECT, client_id: clientId, code_verifier: verifier }),
    });
    const tokens = (await res.json()) as { access_token?: string; id_token?: string; error_description?: string };
    expect(res.status, tokens.error_description).toBe(200);
    expect(tokens.access_token).toBeTruthy();
    expect(tokens.id_token).toBeTruthy();
    const aud = JSON.parse(Buffer.from(tokens.id_token!.split(".")[1]!, "base64url").toString()).aud;
    expect(aud).toBe(clientId);

    const row = (await clientRow(server, clientId))!;
    expect(row).toMatchObject({ source: "metadata_document", ownerId: null, type: "public", status: "active", name: "Metadata Test Client", websiteUrl: "https://client.example/", grantTypes: "authorization_code refresh_token" });
    expect(row.scopes.split(" ")).toEqual(expect.arrayContaining(["openid", "profile", "offline_access"]));
    expect(row.scopes.split(" ")).not.toContain("admin:audit"); // restricted
    expect(JSON.parse(row.metadata)).toEqual({
      client_uri: "https://client.example/",
      policy_uri: "https://client.example/privacy",
      tos_uri: "https://client.example/terms",
      contacts: ["dev@client.example"],
    });
    const expiresIn = new Date(row.metadataExpiresAt!).getTime() - before;
    expect(expiresIn).toBeGreaterThan(590_000);
    expect(expiresIn).toBeLessThan(660_000);
    const uris = await server.query<{ uri: string }>(`SELECT uri FROM "RedirectUri" WHERE "clientId" = ?`, [clientId]);
    expect(uris.map((u) => u.uri)).toEqual([REDIRECT]);
    // Fresh for 10 minutes: a second authorization does not fetch the document again.
    expect(hitsOf("/good/client.json")).toBe(1);
    await authorizationCode(server.issuer, user, { clientId, clientSecret: "" }, REDIRECT, "openid");
    expect(hitsOf("/good/client.json")).toBe(1);
  });

  it("shows the document's host on the consent screen, and warns that it only returns to this computer", async () => {
    const clientId = documentAt("/consent/client.json");
    const step = await follow(server.issuer, authorizeUrl(server.issuer, clientId), user);
    const text = (step.html ?? "").replace(/<!-- -->/g, ""); // React's markers between text parts
    expect(text).toContain("/oauth/consent/decide");
    const host = new URL(docs.url).host;
    expect(text).toContain(`https://${host}/…`);
    expect(text).toContain("Latchkey has not reviewed it");
    expect(text).toContain("send you back to a program on this computer");
  });

  it("grants only the document's scopes that are in the catalog and not restricted", async () => {
    const clientId = documentAt("/scoped/client.json", { scope: "openid notes:read admin:audit no-such-scope" });
    await firstStep(server.issuer, clientId);
    expect((await clientRow(server, clientId))!.scopes).toBe("openid notes:read");
  });

  it("fetches a document once for concurrent requests", async () => {
    const clientId = documentAt("/concurrent/client.json");
    const steps = await Promise.all(Array.from({ length: 6 }, () => firstStep(server.issuer, clientId)));
    for (const { location } of steps) expect(location.pathname).toBe("/signin");
    expect(hitsOf("/concurrent/client.json")).toBe(1);
  });

  it("refuses a document whose client_id is not its URL, with a clear error page", async () => {
    const clientId = documentAt("/impostor/client.json", { client_id: "https://well-known-app.example/client.json" });
    const { error, description } = await errorPage(server.issuer, clientId);
    expect(error).toBe("invalid_client");
    expect(description).toBe(
      `The client's metadata document could not be used: the document's client_id "https://well-known-app.example/client.json" is not the URL it was fetched from (${clientId})`,
    );
    expect((await clientRow(server, clientId))).toBeUndefined();
  });

  it("does not fetch a broken document again for a minute", async () => {
    const clientId = documentAt("/broken/client.json", { redirect_uris: [] });
    expect((await errorPage(server.issuer, clientId)).description).toContain("redirect_uris is empty");
    documentAt("/broken/client.json"); // fixed, but too late
    expect((await errorPage(server.issuer, clientId)).description).toContain("redirect_uris is empty");
    expect(hitsOf("/broken/client.json")).toBe(1);
  });

  it("refuses documents that need a client secret or private_key_jwt", async () => {
    const secret = documentAt("/secret/client.json", { token_endpoint_auth_method: "client_secret_basic" });
    expect((await errorPage(server.issuer, secret)).description).toContain("client_secret_basic needs a shared secret, which a metadata document cannot hold");
    const keyed = documentAt("/keyed/client.json", { token_endpoint_auth_method: "private_key_jwt", jwks_uri: "https://client.example/jwks" });
    expect((await errorPage(server.issuer, keyed)).description).toContain("private_key_jwt is not supported by this server");
  });

  it("refuses an oversized document", async () => {
    const clientId = documentAt("/big/client.json", { client_name: "Big", padding: "x".repeat(6000) });
    expect((await errorPage(server.issuer, clientId)).description).toBe(
      `The client's metadata document could not be used: ${clientId} is larger than 5120 bytes`,
    );
  });

  it("refuses a document that takes longer than 5 s", async () => {
    const clientId = `${docs.url}/slow/client.json`;
    routes.set("/slow/client.json", (_req, res) => {
      const timer = setTimeout(() => res.writeHead(200, { "content-type": "application/json" }).end("{}"), 8_000);
      res.on("close", () => clearTimeout(timer));
    });
    const { description, ms } = await errorPage(server.issuer, clientId);
    expect(description).toBe(`The client's metadata document could not be used: ${clientId} took longer than 5 s`);
    expect(ms).toBeGreaterThanOrEqual(4_900);
    expect(ms).toBeLessThan(7_500);
  });

  it("refuses a document that is not served as JSON", async () => {
    const clientId = `${docs.url}/html/client.json`;
    routes.set("/html/client.json", (_req, res) => res.writeHead(200, { "content-type": "text/html" }).end("<html></html>"));
    expect((await errorPage(server.issuer, clientId)).description).toContain("is served as text/html, not application/json");
  });

  it("does not follow redirects (draft §5), not even to loopback, and never to a private address", async () => {
    const target = documentAt("/moved-target/client.json");
    const moved = `${docs.url}/moved/client.json`;
    routes.set("/moved/client.json", (_req, res) => res.writeHead(302, { location: target }).end());
    expect((await errorPage(server.issuer, moved)).description).toBe(
      `The client's metadata document could not be used: ${moved} redirected to ${target}; redirects are not followed`,
    );
    const toPrivate = `${docs.url}/to-private/client.json`;
    routes.set("/to-private/client.json", (_req, res) => res.writeHead(301, { location: "https://10.255.255.1/client.json" }).end());
    expect((await errorPage(server.issuer, toPrivate)).description).toContain("redirected to https://10.255.255.1/client.json");
    expect(hitsOf("/moved-target/client.json")).toBe(0);
  });

  it("refuses private and link-local addresses even with the loopback switch", async () => {
    const priv = await errorPage(server.issuer, "https://10.255.255.1/client.json");
    expect(priv.description).toBe("The client's metadata document could not be used: 10.255.255.1 is a private address");
    expect(priv.ms).toBeLessThan(2_000);
    const linkLocal = await errorPage(server.issuer, "https://169.254.169.254/latest/client.json");
    expect(linkLocal.description).toContain("169.254.169.254 is a link-local address");
  });

  it("refuses client_ids that are not valid Client Identifier URLs, without fetching", async () => {
    const before = totalHits();
    expect((await errorPage(server.issuer, `${docs.url}/good/client.json#frag`)).description).toContain("must not contain a fragment");
    expect((await errorPage(server.issuer, `${docs.url}/a/../good/client.json`)).description).toContain(". or .. path segments");
    expect(totalHits()).toBe(before);
  });

  it("keeps an admin's suspension when the document is fetched again", async () => {
    const clientId = documentAt("/suspended/client.json");
    await authorizationCode(server.issuer, user, { clientId, clientSecret: "" }, REDIRECT, "openid");
    const suspended = server.cli(["clients", "suspend", clientId]);
    expect(suspended.status, suspended.stderr).toBe(0);
    // Make the stored copy stale so the next request fetches the document again.
    await execute(server, `UPDATE "Client" SET "metadataExpiresAt" = ? WHERE id = ?`, [
      server.databaseKind === "sqlite" ? new Date(Date.now() - 60_000).toISOString().replace("Z", "+00:00") : new Date(Date.now() - 60_000),
      clientId,
    ]);
    const fetchesBefore = hitsOf("/suspended/client.json");
    const { description } = await errorPage(server.issuer, clientId);
    expect(description).toBe("This application is not active");
    expect(hitsOf("/suspended/client.json")).toBe(fetchesBefore + 1);
    const row = (await clientRow(server, clientId))!;
    expect(row.status).toBe("suspended");
    expect(new Date(row.metadataExpiresAt!).getTime()).toBeGreaterThan(Date.now());
  });
});

describe("with the loopback switch off (the default)", () => {
  let server: RunningServer;

  beforeAll(async () => {
    server = await startServer({ NODE_EXTRA_CA_CERTS: docs.certPath });
  }, 300_000);

  afterAll(async () => {
    await server?.stop();
  });

  it("refuses loopback, private and link-local documents without contacting them", async () => {
    const before = totalHits();
    const loopback = documentAt("/off/client.json");
    expect((await errorPage(server.issuer, loopback)).description).toBe(
      `The client's metadata document could not be used: 127.0.0.1:${docs.port} is a loopback address`,
    );
    const byName = `https://localhost:${docs.port}/off/client.json`;
    expect((await errorPage(server.issuer, byName)).description).toMatch(/localhost resolves to a loopback address$/);

    const priv = await errorPage(server.issuer, "https://10.255.255.1/client.json");
    expect(priv.description).toBe("The client's metadata document could not be used: 10.255.255.1 is a private address");
    expect(priv.ms).toBeLessThan(2_000); // refused before any connection attempt (it would hang until the timeout)
    expect((await errorPage(server.issuer, "https://169.254.169.254/latest/client.json")).description).toContain(
      "169.254.169.254 is a link-local address",
    );
    expect((await errorPage(server.issuer, "https://[fd00::1]/client.json")).description).toContain("[fd00::1] is a private address");
    expect(totalHits()).toBe(before);
    expect(server.output()).not.toContain("LATCHKEY_CIMD_ALLOW_LOOPBACK is on");
  });

  it("still serves ordinary clients", async () => {
    const { location } = await firstStep(server.issuer, "latchkey-demo");
    expect(location.pathname).not.toBe("/oauth/error");
  });
});
