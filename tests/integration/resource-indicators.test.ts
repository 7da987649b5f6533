// RFC 8707 against the running server: APIs registered with the CLI, tokens whose audience is
// exactly the requested API, refresh that narrows, invalid_target, and RFC 6749 §3.3 defaults.
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answerConsent, follow, signIn, type CookieJar } from "./helpers/browserless-login";
import { authorizationCode, postForm, type Client } from "./helpers/code-flow";
import { startServer, type RunningServer } from "./helpers/server";

const REDIRECT = "http://127.0.0.1:8765/callback";
const NOTES = "https://notes.example.test/mcp";
// Registered as typed; stored (and put in aud) in the URL parser's form, with the slash.
const CALENDAR_TYPED = "https://calendar.example.test";
const CALENDAR = "https://calendar.example.test/";

let server: RunningServer;
let jar: CookieJar;
let demo: Client;

beforeAll(async () => {
  server = await startServer();
  demo = server.demo;
  for (const [identifier, name, ttl] of [
    [NOTES, "Notes MCP", "300"],
    [CALENDAR_TYPED, "Calendar", "900"],
  ] as const) {
    const created = server.cli(["apis", "create", "--identifier", identifier, "--name", name, "--scopes", "notes:read", "--access-token-ttl", ttl, "--json"]);
    expect(created.status, created.stderr).toBe(0);
  }
  jar = await signIn(server.issuer, "user@latchkey.local", "latchkey-user");
});

afterAll(async () => {
  await server?.stop();
});

/** A new confidential app of the demo developer, allowed notes:read, which no user has allowed yet. */
function newApp(name: string): Client {
  const created = server.cli([
    "clients", "create", "--name", name, "--owner", "dev@latchkey.local", "--redirect-uri", REDIRECT,
    "--scope", "notes:read", "--grant-types", "authorization_code", "--type", "confidential", "--json",
  ]);
  expect(created.status, created.stderr).toBe(0);
  const { client_id, client_secret } = JSON.parse(created.stdout) as { client_id: string; client_secret: string };
  return { clientId: client_id, clientSecret: client_secret };
}

/** An authorization request of `app` for notes:read at `resource`, with PKCE. */
function authorizeUrlFor(app: Client, resource: string, prompt?: string): string {
  const params = new URLSearchParams({ response_type: "code", client_id: app.clientId, redirect_uri: REDIRECT, scope: "notes:read", state: "s" });
  params.set("code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGjSMZqvS4");
  params.set("code_challenge_method", "S256");
  params.set("resource", resource);
  if (prompt) params.set("prompt", prompt);
  return `${server.issuer}/oauth/authorize?${params}`;
}

async function exchange(code: string, verifier: string, resources: string[] = []) {
  return postForm(server.issuer, "/oauth/token", demo, [
    ["grant_type", "authorization_code"],
    ["code", code],
    ["redirect_uri", REDIRECT],
    ["code_verifier", verifier],
    ...resources.map((r): [string, string] => ["resource", r]),
  ]);
}

describe("resource indicators on the running server", () => {
  it("lists the APIs created with the CLI, including the example API seeded at start", async () => {
    const listed = server.cli(["apis", "list", "--json"]);
    expect(listed.status, listed.stderr).toBe(0);
    const identifiers = (JSON.parse(listed.stdout) as { identifier: string }[]).map((a) => a.identifier);
    expect(identifiers).toEqual(expect.arrayContaining([NOTES, CALENDAR, `${server.issuer}/api/v1`]));
  });

  it("issues a token whose audience is exactly the requested API, and introspection shows it", async () => {
    const { code, verifier } = await authorizationCode(server.issuer, jar, demo, REDIRECT, "notes:read", [["resource", NOTES]]);
    const answer = await exchange(code, verifier, [NOTES]);
    expect(answer.status).toBe(200);
    const claims = decodeJwt(answer.body.access_token!);
    expect(claims.aud).toBe(NOTES);
    expect(answer.body.expires_in).toBe(300);
    const introspected = await postForm(server.issuer, "/oauth/introspect", demo, { token: answer.body.access_token! });
    expect(introspected.body).toMatchObject({ active: true, aud: NOTES, scope: "notes:read" });

    // The server's own example API is another resource: it refuses the token.
    const me = await fetch(`${server.issuer}/api/v1/me`, { headers: { authorization: `Bearer ${answer.body.access_token}` } });
    expect(me.status).toBe(401);
    expect(me.headers.get("www-authenticate")).toContain('error="invalid_token"');
  });

  it("lets a refresh narrow the audience to one of the granted APIs, never to another", async () => {
    const { code, verifier } = await authorizationCode(server.issuer, jar, demo, REDIRECT, "notes:read", [
      ["resource", NOTES],
      ["resource", CALENDAR_TYPED],
    ]);
    const first = await exchange(code, verifier);
    expect(decodeJwt(first.body.access_token!).aud).toEqual([NOTES, CALENDAR]);
    expect(first.body.expires_in).toBe(300);

    const narrowed = await postForm(server.issuer, "/oauth/token", demo, [
      ["grant_type", "refresh_token"],
      ["refresh_token", first.body.refresh_token!],
      ["resource", CALENDAR],
    ]);
    expect(narrowed.status).toBe(200);
    expect(decodeJwt(narrowed.body.access_token!).aud).toBe(CALENDAR);
    expect(narrowed.body.expires_in).toBe(900);

    const widened = await postForm(server.issuer, "/oauth/token", demo, [
      ["grant_type", "refresh_token"],
      ["refresh_token", narrowed.body.refresh_token!],
      ["resource", `${server.issuer}/api/v1`],
    ]);
    expect(widened.status).toBe(400);
    expect(widened.body.error).toBe("invalid_target");
  });

  it("shows the consent screen again, the API marked new, when an app the user allowed names another API", async () => {
    const app = newApp("Two APIs app");
    const authorizeUrl = (resource: string, prompt?: string) => authorizeUrlFor(app, resource, prompt);

    await authorizationCode(server.issuer, jar, app, REDIRECT, "notes:read", [["resource", NOTES]]);
    // The same scope for the API already allowed: no screen.
    expect((await follow(server.issuer, authorizeUrl(NOTES), jar)).url).toMatch(/^http:\/\/127\.0\.0\.1:8765\/callback\?code=/);

    // The same scope for another API: consent_required without a screen, the screen otherwise.
    expect(new URL((await follow(server.issuer, authorizeUrl(CALENDAR, "none"), jar)).url).searchParams.get("error")).toBe("consent_required");
    const screen = await follow(server.issuer, authorizeUrl(CALENDAR), jar);
    expect(screen.html).toContain("/oauth/consent/decide");
    expect(screen.html).toMatch(/data-new="true"[^>]*>\s*<span[^>]*data-testid="consent-resource-name"[^>]*>Calendar</);
    expect(screen.html).toContain(`data-scope="notes:read"`);
    expect(screen.html).not.toContain(`data-scope="notes:read" data-new="true"`);

    const allowed = new URL(await answerConsent(server.issuer, screen.html!, jar, "allow"));
    expect(allowed.searchParams.get("code")).toEqual(expect.any(String));
    expect(new URL((await follow(server.issuer, authorizeUrl(CALENDAR, "none"), jar)).url).searchParams.get("code")).toEqual(expect.any(String));

    // The user's connected apps name both APIs.
    const account = (await follow(server.issuer, `${server.issuer}/account`, jar)).html!;
    const entry = account.slice(account.indexOf(`aria-label="Two APIs app"`));
    expect(entry).toMatch(/data-testid="connected-app-apis"[^>]*>For the APIs: Notes MCP, Calendar</);
  });

  it("asks again for an API deleted and registered again under the same identifier", async () => {
    const files = "https://files.example.test/api";
    const createFiles = () => server.cli(["apis", "create", "--identifier", files, "--name", "Files", "--scopes", "notes:read", "--json"]);
    expect(createFiles().status).toBe(0);
    const app = newApp("Files app");
    await authorizationCode(server.issuer, jar, app, REDIRECT, "notes:read", [["resource", files]]);
    expect(new URL((await follow(server.issuer, authorizeUrlFor(app, files, "none"), jar)).url).searchParams.get("code")).toEqual(expect.any(String));

    expect(server.cli(["apis", "delete", "--identifier", files]).status).toBe(0);
    expect(createFiles().status).toBe(0);
    const again = new URL((await follow(server.issuer, authorizeUrlFor(app, files, "none"), jar)).url);
    expect(again.searchParams.get("error")).toBe("consent_required");
  });

  it("sends invalid_target back to the app for an unknown resource", async () => {
    const url = new URL(`${server.issuer}/oauth/authorize`);
    url.search = new URLSearchParams({
      response_type: "code", client_id: demo.clientId, redirect_uri: REDIRECT, scope: "openid", state: "st",
      code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", code_challenge_method: "S256",
      resource: "https://unknown.example.test/",
    }).toString();
    const step = await follow(server.issuer, url.href, jar);
    const back = new URL(step.url);
    expect(back.origin + back.pathname).toBe(REDIRECT);
    expect(back.searchParams.get("error")).toBe("invalid_target");
    expect(back.searchParams.get("state")).toBe("st");
    expect(back.searchParams.get("iss")).toBe(server.issuer);

    const token = await postForm(server.issuer, "/oauth/token", demo, { grant_type: "client_credentials", resource: "https://unknown.example.test/" });
    expect(token.status).toBe(400);
    expect(token.body.error).toBe("invalid_target");
  });

  it("grants the server's default scope when the request names none (RFC 6749 §3.3)", async () => {
    const { code, verifier } = await authorizationCode(server.issuer, jar, demo, REDIRECT, null);
    const answer = await exchange(code, verifier);
    expect(answer.status).toBe(200);
    expect(answer.body.scope).toBe("openid");
    expect(decodeJwt(answer.body.access_token!).aud).toBe(server.issuer);
  });
});
