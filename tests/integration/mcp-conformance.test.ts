// The MCP conformance suite's authorization-server scenarios (@modelcontextprotocol/conformance)
// against a fresh Latchkey. The suite prints an authorization URL and waits for its callback
// on 127.0.0.1:<port>; the test plays the browser over HTTP (sign-in, consent) and then
// requests the callback URL Latchkey redirected to, which the suite's own server answers.
import { spawn } from "node:child_process";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answerConsent, follow, signIn } from "./helpers/browserless-login";
import { startHttpsServer, type HttpsTestServer } from "./helpers/https-server";
import { freePort, startServer, type RunningServer } from "./helpers/server";


const root = path.resolve(import.meta.dirname, "../..");
const CIMD_PATH = "/clients/conformance.json";
const MCP_RESOURCE = "https://mcp.example.com/mcp";

let https: HttpsTestServer;
let server: RunningServer;
let cimdPort = 0;

function serveMetadataDocument(req: IncomingMessage, res: ServerResponse): void {
  if (req.url !== CIMD_PATH) return void res.writeHead(404).end();
  res.writeHead(200, { "content-type": "application/json" }).end(
    JSON.stringify({
      client_id: `${https.url}${CIMD_PATH}`,
      client_name: "MCP conformance suite",
      redirect_uris: [`http://127.0.0.1:${cimdPort}/callback`],
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "none",
    }),
  );
}

function cli(args: string[]): string {
  const r = server.cli(args);
  if (r.status !== 0) throw new Error(`latchkey ${args.join(" ")} failed:\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

beforeAll(async () => {
  cimdPort = await freePort();
  https = await startHttpsServer(serveMetadataDocument);
  server = await startServer({
    LATCHKEY_CIMD_ALLOW_LOOPBACK: "true",
    NODE_EXTRA_CA_CERTS: https.certPath,
  });
  cli(["apis", "create", "--identifier", MCP_RESOURCE, "--name", "My MCP server", "--scopes", "notes:read"]);
}, 300_000);

afterAll(async () => {
  await server?.stop();
  await https?.close();
});

/** A public app registered by a developer, with the suite's loopback callback. */
function createPublicClient(port: number): string {
  const out = cli([
    "clients", "create", "--name", `Conformance ${port}`, "--owner", "dev@latchkey.local",
    "--redirect-uri", `http://127.0.0.1:${port}/callback`, "--scope", "openid profile notes:read",
    "--grant-types", "authorization_code,refresh_token", "--type", "public", "--json",
  ]);
  return (JSON.parse(out) as { client_id: string }).client_id;
}

interface SuiteRun {
  exitCode: number | null;
  output: string;
}

/** Runs `conformance authorization`, answering its authorization URL as the demo user. */
async function runSuite(args: { clientId: string; port: number; resource?: string }): Promise<SuiteRun> {
  const child = spawn(
    process.execPath,
    [
      "--import", "./tests/mcp/node20-hooks.mjs", "node_modules/@modelcontextprotocol/conformance/dist/index.js",
      "authorization", "--url", server.issuer, "--client-id", args.clientId, "--port", String(args.port),
      ...(args.resource ? ["--resource", args.resource] : []),
    ],
    { cwd: root, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  let browsed: Promise<void> | null = null;
  let browseError: unknown = null;
  const authorizeUrl = new RegExp(`^(${server.issuer.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}/oauth/authorize\\?\\S+)$`, "m");
  const onData = (chunk: Buffer) => {
    output += chunk;
    const match = browsed === null ? authorizeUrl.exec(output) : null;
    if (match) browsed = playBrowser(match[1]!, args.port).catch((err) => void (browseError = err));
  };
  child.stdout.on("data", onData);
  child.stderr.on("data", (chunk: Buffer) => (output += chunk));
  const timer = setTimeout(() => child.kill("SIGTERM"), 60_000);
  const exitCode = await new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  clearTimeout(timer);
  await browsed;
  if (browseError) output += `\n[browser step failed] ${String(browseError)}`;
  return { exitCode, output };
}

async function playBrowser(authorizationUrl: string, port: number): Promise<void> {
  const jar = await signIn(server.issuer, "user@latchkey.local", "latchkey-user");
  let step = await follow(server.issuer, authorizationUrl, jar);
  if (step.html?.includes("/oauth/consent/decide")) step = { url: await answerConsent(server.issuer, step.html, jar, "allow") };
  if (!step.url.startsWith(`http://127.0.0.1:${port}/callback`)) {
    throw new Error(`the authorization ended at ${step.url}${step.html ? `\n${step.html.slice(0, 500)}` : ""}`);
  }
  await (await fetch(step.url)).text(); // the suite's callback server takes it from here
}

function expectAllPassed(run: SuiteRun): void {
  expect(run.output, run.output).toMatch(/Total: [1-9]\d* passed, 0 failed/);
  expect(run.output).toMatch(/✓ authorization-code-grant: 1 passed, 0 failed/);
  expect(run.exitCode, run.output).toBe(0);
}

describe("MCP conformance suite, authorization server scenarios", () => {
  it("passes with a pre-registered public client", async () => {
    const port = await freePort();
    expectAllPassed(await runSuite({ clientId: createPublicClient(port), port }));
  });

  it("passes with a pre-registered public client asking for a registered MCP server (RFC 8707 resource)", async () => {
    const port = await freePort();
    expectAllPassed(await runSuite({ clientId: createPublicClient(port), port, resource: MCP_RESOURCE }));
  });

  it("passes with a client ID metadata document URL as client_id, for a registered MCP server", async () => {
    expectAllPassed(await runSuite({ clientId: `${https.url}${CIMD_PATH}`, port: cimdPort, resource: MCP_RESOURCE }));
  });
});
