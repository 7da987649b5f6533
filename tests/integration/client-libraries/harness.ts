// Shared by the client-library suites: a server with the apps they use, the user's sign-in and
// consent over HTTP (the browser's part), and the Python and Go clients run as child processes.
import { execFile, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "vitest";
import { answerConsent, follow, signIn, type CookieJar } from "../helpers/browserless-login";
import { cliJson } from "../helpers/cli-json";
import { startServer, type RunningServer } from "../helpers/server";

/** Loopback redirect URIs match any port (RFC 8252 §7.3). */
export const REDIRECT = "http://127.0.0.1:8790/callback";
export const AUTHJS_ORIGIN = "http://127.0.0.1:8791";
export const AUTHJS_REDIRECT = `${AUTHJS_ORIGIN}/auth/callback/latchkey`;
export const USER = { email: "user@latchkey.local", password: "latchkey-user", name: "Uma User" };
export const SCOPE = "openid profile email offline_access account:read";

export interface ClientCredentials {
  client_id: string;
  client_secret?: string;
}

export interface Harness {
  server: RunningServer;
  /** The seeded demo app: confidential, code + refresh + client credentials. */
  confidential: Required<ClientCredentials>;
  /** A public client (no secret): code + PKCE and refresh. */
  public: ClientCredentials;
  user: CookieJar;
}

export async function startHarness(env: Record<string, string> = {}): Promise<Harness> {
  const server = await startServer(env);
  const created = cliJson<ClientCredentials>(server, [
    "clients", "create", "--name", "Interop public client", "--owner", "dev@latchkey.local",
    "--redirect-uri", "http://127.0.0.1/callback", "--redirect-uri", "http://127.0.0.1/auth/callback/latchkey",
    "--scope", SCOPE, "--grant-types", "authorization_code,refresh_token", "--type", "public",
  ]);
  expect(created.client_secret).toBeUndefined();
  return {
    server,
    confidential: { client_id: server.demo.clientId, client_secret: server.demo.clientSecret },
    public: { client_id: created.client_id },
    user: await signIn(server.issuer, USER.email, USER.password),
  };
}

/** What the user's browser does with an authorization URL: sign-in cookies, consent; where it lands. */
export async function consent(h: Harness, authorizationUrl: string): Promise<string> {
  let step = await follow(h.server.issuer, authorizationUrl, h.user);
  if (step.html?.includes("/oauth/consent/decide")) step = { url: await answerConsent(h.server.issuer, step.html, h.user, "allow") };
  expect(new URL(step.url).searchParams.get("code"), `no code in ${step.url}`).toBeTruthy();
  return step.url;
}

export interface ProgramResult<T> {
  status: number;
  json: T;
  stderr: string;
}

/** Runs `program ...args COMMAND JSON` and parses the JSON it prints. */
export function runProgram<T = Record<string, unknown>>(program: string[], command: string, args: Record<string, unknown>): Promise<ProgramResult<T>> {
  return new Promise((resolve, reject) => {
    execFile(program[0]!, [...program.slice(1), command, JSON.stringify(args)], { timeout: 60_000 }, (err, stdout, stderr) => {
      const status = err === null ? 0 : typeof err.code === "number" ? err.code : 1;
      if (status !== 0) return reject(new Error(`${path.basename(program.at(-1)!)} ${command} exited ${status}:\n${stderr}${stdout}`));
      resolve({ status, json: JSON.parse(stdout) as T, stderr });
    });
  });
}

export const FIXTURES = path.resolve(import.meta.dirname, "../fixtures/client-libraries");

/** Debian's interpreter (where python3-authlib and friends live), not a pyenv shim. */
export function findPython(modules: string[]): { python: string } | { missing: string } {
  for (const python of ["/usr/bin/python3", "python3"]) {
    const r = spawnSync(python, ["-c", modules.map((m) => `import ${m}`).join("; ")], { encoding: "utf8" });
    if (r.status === 0) return { python };
  }
  return { missing: `Python modules ${modules.join(", ")} not found: apt-get install -y python3-authlib python3-requests-oauthlib python3-jwt` };
}

const GO_ENV = { GO111MODULE: "off", GOPATH: "/usr/share/gocode", GOFLAGS: "" };

/** Builds the go-oidc client once into a temporary directory, or says what is missing. */
export function buildGoClient(): { binary: string; cleanUp: () => void } | { missing: string } {
  const hint = "apt-get install -y golang-go golang-github-coreos-go-oidc-dev golang-golang-x-oauth2-dev";
  if (spawnSync("go", ["version"]).status !== 0) return { missing: `Go not found: ${hint}` };
  if (!existsSync(path.join(GO_ENV.GOPATH, "src/github.com/coreos/go-oidc"))) return { missing: `go-oidc not found: ${hint}` };
  const dir = mkdtempSync(path.join(tmpdir(), "latchkey-go-"));
  // A cache that outlives the run keeps the second build fast.
  const cache = path.join(tmpdir(), "latchkey-go-build-cache");
  mkdirSync(cache, { recursive: true });
  const binary = path.join(dir, "go-oidc-client");
  const r = spawnSync("go", ["build", "-o", binary, "."], {
    cwd: path.join(FIXTURES, "go-oidc"),
    env: { ...process.env, ...GO_ENV, GOCACHE: cache },
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`go build failed:\n${r.stderr}`);
  return { binary, cleanUp: () => rmSync(dir, { recursive: true, force: true }) };
}
