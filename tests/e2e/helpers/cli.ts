// Runs the admin CLI against the browser tests' database.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { E2E_DATA_DIR, E2E_PORT } from "../env";

const root = path.resolve(import.meta.dirname, "../../..");

export function latchkey(args: string[]): string {
  const r = spawnSync(path.join(root, "node_modules/.bin/tsx"), ["cli/latchkey.ts", ...args], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, LATCHKEY_DATA_DIR: E2E_DATA_DIR, PORT: String(E2E_PORT) },
  });
  if (r.status !== 0) throw new Error(`latchkey ${args.join(" ")} failed:\n${r.stderr}`);
  return r.stdout;
}

export interface CreatedClient {
  client_id: string;
  client_secret?: string;
}

export function createClient(name: string, options: { scope: string; redirectUri: string; type?: "confidential" | "public"; grantTypes?: string }): CreatedClient {
  const out = latchkey([
    "clients", "create", "--name", name, "--owner", "dev@latchkey.local", "--redirect-uri", options.redirectUri,
    "--scope", options.scope, "--grant-types", options.grantTypes ?? "authorization_code,refresh_token", "--type", options.type ?? "confidential",
    "--website", "https://consent-test.example", "--json",
  ]);
  return JSON.parse(out.slice(out.indexOf("{"))) as CreatedClient;
}
