import { expect } from "vitest";
import type { RunningServer } from "./server";

/** Runs a CLI command with --json against the server's database and parses what it printed. */
export function cliJson<T>(server: RunningServer, args: string[]): T {
  const r = server.cli([...args, "--json"]);
  expect(r.stderr, r.stderr).not.toMatch(/Error:/);
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout.slice(r.stdout.search(/[[{]/))) as T;
}
