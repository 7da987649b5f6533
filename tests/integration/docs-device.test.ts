// The /docs/device samples, built by the functions the page uses and run as a reader would:
// the curl requests as literal shell text, and the Node script as a file, while a person
// approves at /device.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEVICE_CODE_PLACEHOLDER, deviceFlowUnavailable, devicePollSamples, deviceScriptSamples, deviceStartSamples } from "@/lib/docs/device-samples";
import type { DiscoveryDocument } from "@/lib/docs/discovery";
import { buildSampleContext, type SampleContext } from "@/lib/docs/sample-app";
import { signIn, type CookieJar } from "./helpers/browserless-login";
import { startServer, type RunningServer } from "./helpers/server";

const DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
const OWNER = "dev@latchkey.local";

let server: RunningServer;
let person: CookieJar;
let ctx: SampleContext;
let dir: string;

beforeAll(async () => {
  server = await startServer();
  const r = server.cli(["clients", "create", "--name", "Docs TV", "--owner", OWNER, "--scope", "openid profile offline_access",
    "--grant-types", `${DEVICE_GRANT},refresh_token`, "--type", "public", "--json"]);
  expect(r.status, r.stderr).toBe(0);
  const clientId = (JSON.parse(r.stdout.slice(r.stdout.indexOf("{"))) as { client_id: string }).client_id;
  const discovery = (await (await fetch(`${server.issuer}/.well-known/openid-configuration`)).json()) as DiscoveryDocument;
  const app = { id: clientId, name: "Docs TV", type: "public" as const, grantTypes: [DEVICE_GRANT, "refresh_token"], scopes: ["openid", "profile", "offline_access"], redirectUris: [], status: "active" };
  ctx = buildSampleContext(discovery, [app], { appId: clientId });
  person = await signIn(server.issuer, "user@latchkey.local", "latchkey-user");
  dir = mkdtempSync(path.join(tmpdir(), "latchkey-docs-device-"));
}, 300_000);

afterAll(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const decode = (v: string) => v.replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

/** The person opens /device with the code and presses Allow (the form, without JavaScript). */
async function approve(userCode: string): Promise<void> {
  const url = `${server.issuer}/device?user_code=${encodeURIComponent(userCode)}`;
  const html = await (await fetch(url, { headers: { cookie: person.header() } })).text();
  const form = /<form[^>]*method="POST"[^>]*>([\s\S]*?)<\/form>/i.exec(html)?.[1];
  if (!form) throw new Error("no decision form on /device");
  const body = new FormData();
  for (const m of form.matchAll(/<input type="hidden" name="([^"]+)"(?: value="([^"]*)")?/g)) body.append(decode(m[1]!), decode(m[2] ?? ""));
  body.append("decision", "allow");
  const res = await fetch(url, { method: "POST", body, redirect: "manual", headers: { cookie: person.header(), origin: server.issuer } });
  expect(res.headers.get("location")).toBeTruthy();
}

function curl(sample: string): { status: number; body: Record<string, unknown> } {
  const r = spawnSync("bash", ["-e", "-c", `curl() { command curl -sS -w '\\n@@%{http_code}' "$@"; }\n${sample}`], { encoding: "utf8", timeout: 30_000 });
  expect(r.status, r.stderr).toBe(0);
  const [json, status] = r.stdout.split("\n@@");
  return { status: Number(status), body: JSON.parse(json!) as Record<string, unknown> };
}

describe("device authorization docs samples", () => {
  it("are available for an app with the grant, and the docs page renders them", async () => {
    expect(deviceFlowUnavailable(ctx)).toBeNull();
    const html = decode(await (await fetch(`${server.issuer}/docs/device`)).text());
    expect(html).toContain("Device authorization");
    expect(html).toContain("/oauth/device_authorization");
  });

  it("curl: ask for a code, poll while pending, and get tokens once the person approves", async () => {
    const started = curl(deviceStartSamples(ctx)[0]!.code);
    expect(started.status).toBe(200);
    const poll = devicePollSamples(ctx)[0]!.code.replace(DEVICE_CODE_PLACEHOLDER, String(started.body.device_code));
    expect(curl(poll)).toMatchObject({ status: 400, body: { error: "authorization_pending" } });
    await approve(String(started.body.user_code));
    const tokens = curl(poll);
    expect(tokens.status).toBe(200);
    expect(tokens.body).toMatchObject({ token_type: "Bearer", scope: "openid profile offline_access" });
    expect(tokens.body.id_token).toEqual(expect.any(String));
    expect(tokens.body.refresh_token).toEqual(expect.any(String));
  });

  it("the Node script runs as printed: it shows the code, polls, and prints the tokens", async () => {
    const file = path.join(dir, "device.mjs");
    writeFileSync(file, deviceScriptSamples(ctx)[0]!.code);
    const child = spawn(process.execPath, [file], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stderr.on("data", (d) => (err += d));
    const userCode = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", (d) => {
        out += d;
        const m = /enter ([A-Z]{4}-[A-Z]{4})/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.on("exit", () => reject(new Error(`the script ended early: ${out}${err}`)));
    });
    await approve(userCode);
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code, err).toBe(0);
    expect(out).toContain("access_token");
    expect(out).toContain("refresh_token");
  }, 60_000);
});
