// Every docs sample, built for each kind of app by the same functions the docs pages use,
// run against the real server: the curl samples as literal shell text, the URL samples
// through sign-in and consent, with the placeholders filled in as a reader would.
import { spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DiscoveryDocument } from "@/lib/docs/discovery";
import { buildSampleContext, type OwnedApp, type SampleContext } from "@/lib/docs/sample-app";
import {
  PLACEHOLDERS as P,
  appOnlyScopes,
  authorizeSamples,
  callApiSamples,
  clientCredentialsSamples,
  codeExchangeSamples,
  flowUnavailable,
  implicitSamples,
  passwordSamples,
  refreshSamples,
  userFlowScopes,
  type Sample,
} from "@/lib/docs/samples";
import { answerConsent, follow, signIn, type CookieJar } from "./helpers/browserless-login";
import { startServer, type RunningServer } from "./helpers/server";

const OWNER = "dev@latchkey.local";
const REDIRECT = "http://127.0.0.1/callback";

let server: RunningServer;
let discovery: DiscoveryDocument;
let person: CookieJar;
const ids = { demo: "latchkey-demo", public: "", clientCredentials: "", implicit: "", revoked: "" };

const secrets = new Map<string, string>();

function createApp(name: string, type: string, grantTypes: string, scope: string): string {
  const r = server.cli(["clients", "create", "--name", name, "--owner", OWNER, "--redirect-uri", REDIRECT, "--scope", scope, "--grant-types", grantTypes, "--type", type, "--json"]);
  expect(r.status, r.stderr).toBe(0);
  const created = JSON.parse(r.stdout.slice(r.stdout.indexOf("{"))) as { client_id: string; client_secret?: string };
  if (created.client_secret) secrets.set(created.client_id, created.client_secret);
  return created.client_id;
}

/** The owner's apps as the data layer reads them (suspended and revoked ones included). */
async function ownedApps(): Promise<OwnedApp[]> {
  const rows = await server.query<{ id: string; name: string; type: "confidential" | "public"; grantTypes: string; scopes: string; status: string }>(
    `SELECT c."id", c."name", c."type", c."grantTypes", c."scopes", c."status" FROM "Client" c JOIN "User" u ON u."id" = c."ownerId" WHERE u."email" = ? ORDER BY c."createdAt"`,
    [OWNER],
  );
  const uris = await server.query<{ clientId: string; uri: string }>(`SELECT "clientId", "uri" FROM "RedirectUri" ORDER BY "createdAt"`);
  const split = (s: string) => s.split(" ").filter(Boolean);
  return rows.map((r) => ({ ...r, grantTypes: split(r.grantTypes), scopes: split(r.scopes), redirectUris: uris.filter((u) => u.clientId === r.id).map((u) => u.uri) }));
}

async function contextFor(appId: string): Promise<SampleContext> {
  const ctx = buildSampleContext(discovery, await ownedApps(), { appId });
  expect(ctx.clientId).toBe(appId);
  return ctx;
}

/** What the reader pastes for YOUR_CLIENT_SECRET: the secret printed when the app was created. */
function secretFor(ctx: SampleContext): string {
  return ctx.clientId === ids.demo ? server.demo.clientSecret : (secrets.get(ctx.clientId) ?? "");
}

function code(samples: Sample[], label: Sample["label"]): string {
  const sample = samples.find((s) => s.label === label);
  if (!sample) throw new Error(`no ${label} sample among ${samples.map((s) => s.label).join(", ")}`);
  return sample.code;
}

function fill(text: string, values: Partial<Record<keyof typeof P, string>>): string {
  let out = text;
  for (const [key, value] of Object.entries(values)) out = out.replaceAll(P[key as keyof typeof P], value!);
  return out;
}

interface CurlAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** Runs a curl sample as written (one answer per curl command in it), with the placeholders filled. */
function runCurl(sample: string, values: Partial<Record<keyof typeof P, string>>): CurlAnswer[] {
  const script = `curl() { command curl -sS -w '\\n@@status %{http_code}@@\\n' "$@"; }\n${fill(sample, values)}`;
  const r = spawnSync("bash", ["-e", "-c", script], { encoding: "utf8", timeout: 30_000 });
  expect(r.status, `${r.stderr}\n${fill(sample, values)}`).toBe(0);
  const answers: CurlAnswer[] = [];
  const pattern = /([\s\S]*?)\n@@status (\d+)@@\n/g;
  for (let m = pattern.exec(r.stdout); m; m = pattern.exec(r.stdout)) {
    answers.push({ status: Number(m[2]), body: m[1]!.trim() ? (JSON.parse(m[1]!) as Record<string, unknown>) : {} });
  }
  return answers;
}

/** Opens an authorization URL sample in the "browser", signs in, consents; returns the callback URL. */
async function openAuthorizeUrl(url: string, values: Partial<Record<keyof typeof P, string>>): Promise<URL> {
  const filled = fill(url, values);
  // No placeholder left: checked with neutral values, since the real state and PKCE challenge
  // are random base64url and may themselves look like one ("…v_OQQK_HdE…" failed a CI run).
  const neutral = Object.fromEntries(Object.keys(values).map((key) => [key, "filled"]));
  expect(fill(url, neutral)).not.toMatch(/[A-Z]{4,}_[A-Z_]+/);
  let step = await follow(server.issuer, filled, person);
  if (step.html?.includes("/oauth/consent/decide")) step = { url: await answerConsent(server.issuer, step.html, person, "allow") };
  return new URL(step.url);
}

function pkcePair() {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

/** Authorization request sample → code → token request sample; returns the token response. */
async function signInWithSamples(ctx: SampleContext, authorize: Sample[], exchange: Sample[]): Promise<Record<string, unknown>> {
  const { verifier, challenge } = pkcePair();
  const state = randomBytes(8).toString("hex");
  const callback = await openAuthorizeUrl(code(authorize, "URL"), { state, codeChallenge: challenge });
  expect(callback.origin + callback.pathname).toBe(ctx.redirectUri);
  expect(callback.searchParams.get("error"), callback.href).toBeNull();
  expect(callback.searchParams.get("state")).toBe(state);
  expect(callback.searchParams.get("iss")).toBe(discovery.issuer);
  const [answer, ...rest] = runCurl(code(exchange, "curl"), { code: callback.searchParams.get("code")!, codeVerifier: verifier, clientSecret: secretFor(ctx) });
  expect(rest).toHaveLength(0);
  expect(answer!.status, JSON.stringify(answer!.body)).toBe(200);
  expect(answer!.body).toMatchObject({ token_type: "Bearer", access_token: expect.any(String) });
  return answer!.body;
}

function expectCallsSucceed(ctx: SampleContext, samples: Sample[], accessToken: string) {
  const answers = runCurl(code(samples, "curl"), { accessToken });
  expect(answers.length).toBeGreaterThan(0);
  for (const a of answers) {
    expect(a.status, JSON.stringify(a.body)).toBe(200);
    expect(a.body.sub).toEqual(expect.any(String));
  }
}

function scopeOf(url: string): string[] {
  return (new URL(url).searchParams.get("scope") ?? "").split(" ").filter(Boolean);
}

beforeAll(async () => {
  server = await startServer();
  ids.public = createApp("Docs public app", "public", "authorization_code,refresh_token", "openid profile offline_access account:read");
  ids.clientCredentials = createApp("Docs service", "confidential", "client_credentials", "account:read notes:read");
  ids.implicit = createApp("Docs legacy SPA", "public", "implicit", "account:read");
  ids.revoked = createApp("Docs revoked app", "confidential", "authorization_code", "openid");
  expect(server.cli(["clients", "revoke", ids.revoked]).status).toBe(0);
  // Read after the apps exist: legacy grants are advertised only while some app may use them.
  discovery = (await (await fetch(`${server.issuer}/.well-known/openid-configuration`)).json()) as DiscoveryDocument;
  person = await signIn(server.issuer, "user@latchkey.local", "latchkey-user");
}, 300_000);

afterAll(async () => {
  await server?.stop();
});

const KINDS = [
  ["the seeded confidential demo app", "demo"],
  ["a public app with PKCE and refresh", "public"],
  ["a client-credentials-only app", "clientCredentials"],
  ["a public app with only the implicit grant", "implicit"],
] as const;

describe.each(KINDS)("docs samples for %s", (_, kind) => {
  it("never give a public app a secret, and authenticate a confidential one with Basic", async () => {
    const ctx = await contextFor(ids[kind]);
    const all = [
      ...codeExchangeSamples(ctx), ...codeExchangeSamples(ctx, { pkce: true }), ...refreshSamples(ctx), ...passwordSamples(ctx),
      ...(flowUnavailable(ctx, "client-credentials") ? [] : clientCredentialsSamples(ctx)),
    ];
    for (const s of all) {
      if (ctx.client.type === "public") expect(s.code).not.toMatch(/client_secret|CLIENT_SECRET|-u "|Basic/i);
      else if (s.label === "curl") expect(s.code).toContain(`-u "${ctx.clientId}:${P.clientSecret}"`);
    }
  });

  it("authorization code page: authorize, exchange and call the API", async () => {
    const ctx = await contextFor(ids[kind]);
    const reason = flowUnavailable(ctx, "authorization-code");
    if (!ctx.client.grantTypes.includes("authorization_code")) return expect(reason).toContain("does not have the authorization code grant");
    expect(reason).toBeNull();
    const scopes = userFlowScopes(ctx.client, { refresh: "optional" });
    const authorize = authorizeSamples(ctx, { scopes });
    expect(scopeOf(code(authorize, "URL")).every((s) => ctx.client.scopes.includes(s))).toBe(true);
    expect(scopes).toContain("account:read");
    const tokens = await signInWithSamples(ctx, authorize, codeExchangeSamples(ctx));
    if (scopes.includes("openid")) expect(tokens.id_token).toEqual(expect.any(String));
    expectCallsSucceed(ctx, callApiSamples(ctx, scopes), tokens.access_token as string);
  });

  it("PKCE page: authorize with a challenge, redeem with the verifier, call the API", async () => {
    const ctx = await contextFor(ids[kind]);
    if (!ctx.client.grantTypes.includes("authorization_code")) return expect(flowUnavailable(ctx, "pkce")).toContain("authorization code grant");
    const scopes = userFlowScopes(ctx.client, { refresh: "optional" });
    const authorize = authorizeSamples(ctx, { pkce: true, scopes });
    expect(code(authorize, "URL")).toContain("code_challenge_method=S256");
    const exchange = codeExchangeSamples(ctx, { pkce: true });
    expect(code(exchange, "curl")).toContain(`code_verifier=${P.codeVerifier}`);
    const tokens = await signInWithSamples(ctx, authorize, exchange);
    expectCallsSucceed(ctx, callApiSamples(ctx, scopes), tokens.access_token as string);
  });

  it("refreshing tokens page: the authorization request brings a refresh token, and the refresh sample rotates it", async () => {
    const ctx = await contextFor(ids[kind]);
    const reason = flowUnavailable(ctx, "refresh");
    if (!ctx.client.grantTypes.includes("refresh_token")) return expect(reason).toMatch(/does not have the (authorization code|refresh token) grant/);
    expect(reason).toBeNull();
    const scopes = userFlowScopes(ctx.client, { refresh: "required" });
    if (scopes.includes("openid")) expect(scopes).toContain("offline_access");
    const tokens = await signInWithSamples(ctx, authorizeSamples(ctx, { scopes }), codeExchangeSamples(ctx));
    expect(tokens.refresh_token).toMatch(/^lk_rt_/);
    const [refreshed, ...rest] = runCurl(code(refreshSamples(ctx), "curl"), { refreshToken: tokens.refresh_token as string, clientSecret: secretFor(ctx) });
    expect(rest).toHaveLength(0);
    expect(refreshed!.status, JSON.stringify(refreshed!.body)).toBe(200);
    expect(refreshed!.body.access_token).toEqual(expect.any(String));
    expect(refreshed!.body.refresh_token).toMatch(/^lk_rt_/);
    expect(refreshed!.body.refresh_token).not.toBe(tokens.refresh_token);
  });

  it("client credentials page: a token for the app itself, then the API", async () => {
    const ctx = await contextFor(ids[kind]);
    const reason = flowUnavailable(ctx, "client-credentials");
    if (ctx.client.type === "public") return expect(reason).toContain("public app");
    if (!ctx.client.grantTypes.includes("client_credentials")) return expect(reason).toContain("client credentials grant");
    const [answer] = runCurl(code(clientCredentialsSamples(ctx), "curl"), { clientSecret: secretFor(ctx) });
    expect(answer!.status, JSON.stringify(answer!.body)).toBe(200);
    expect(answer!.body).toMatchObject({ token_type: "Bearer", scope: "account:read" });
    expectCallsSucceed(ctx, callApiSamples(ctx, appOnlyScopes(ctx.client)), answer!.body.access_token as string);
  });

  it("implicit page: the token comes back in the fragment and calls the API", async () => {
    const ctx = await contextFor(ids[kind]);
    const reason = flowUnavailable(ctx, "implicit");
    if (!ctx.client.grantTypes.includes("implicit")) return expect(reason).toContain("does not have the implicit grant");
    const state = randomBytes(8).toString("hex");
    const callback = await openAuthorizeUrl(code(implicitSamples(ctx), "URL"), { state });
    const fragment = new URLSearchParams(callback.hash.slice(1));
    expect(fragment.get("error"), callback.href).toBeNull();
    expect(fragment.get("state")).toBe(state);
    expectCallsSucceed(ctx, callApiSamples(ctx, appOnlyScopes(ctx.client)), fragment.get("access_token")!);
  });

  it("password page: explained, since no app here has the grant", async () => {
    expect(flowUnavailable(await contextFor(ids[kind]), "password")).toContain("only an administrator can enable it");
  });
});

describe("docs pages", () => {
  it("offer only active apps in the picker and render the samples for the chosen app", async () => {
    const ctx = buildSampleContext(discovery, await ownedApps(), {});
    expect(ctx.apps.map((a) => a.id)).not.toContain(ids.revoked);
    expect(ctx.apps.map((a) => a.id)).toContain(ids.public);

    const developer = await signIn(server.issuer, OWNER, "latchkey-dev");
    const page = async (path: string) => {
      const res = await fetch(`${server.issuer}${path}`, { headers: { cookie: developer.header() } });
      expect(res.status).toBe(200);
      return (await res.text()).replace(/&quot;/g, '"').replace(/&amp;/g, "&").replace(/&#x27;/g, "'");
    };
    const pkce = await page(`/docs/pkce?app=${ids.public}`);
    expect(pkce).toContain(`value="${ids.public}"`);
    expect(pkce).not.toContain(ids.revoked);
    expect(pkce).toContain(`-d client_id=${ids.public}`);
    expect(pkce).not.toContain(P.clientSecret);
    const implicit = await page(`/docs/implicit?app=${ids.demo}`);
    expect(implicit).toContain("does not have the implicit grant");
    const code = await page(`/docs/authorization-code?app=${ids.demo}`);
    expect(code).toContain(`-u "${ids.demo}:${P.clientSecret}"`);
  });
});
