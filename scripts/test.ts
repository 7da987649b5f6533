// `npm test`: typecheck, unit and integration tests (Vitest), browser tests (Playwright),
// one exit code, and a last line "N passed, N failed" over every suite.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { createServer } from "node:net";
import { findChromium } from "../tests/e2e/chromium";
import { findPostgresBin, POSTGRES_INSTALL_HINT } from "./postgres-cluster";

/** A port nothing listens on, so the browser tests never collide with another server. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

const root = process.cwd();
const results = path.join(root, "test-results");
const bin = (name: string) => path.join(root, "node_modules", ".bin", name);
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
let passed = 0;
let failed = 0;
/** Names of the failed tests, printed again just above the last line so a log's tail says what failed. */
const failures: string[] = [];

function step(label: string, cmd: string, args: string[], extraEnv: Record<string, string> = {}): number {
  console.log(`\n=== ${label} ===`);
  const r = spawnSync(cmd, args, { stdio: "inherit", env: { ...env, ...extraEnv } });
  return r.status ?? 1;
}

rmSync(results, { recursive: true, force: true });
mkdirSync(results, { recursive: true });

// 1. Prisma client and production build, shared by the integration and browser tests.
{
  const code = step("prepare (prisma generate, next build)", bin("tsx"), ["scripts/build.ts"]);
  if (code !== 0) {
    console.error("The build failed; integration and browser tests need it.");
    failed++;
  }
}

// 2. Types (after generation: they include the generated Prisma client)
if (step("typecheck", bin("tsc"), ["--noEmit", "-p", "."]) === 0) passed++;
else failed++;

type VitestReport = {
  numPassedTests: number;
  numFailedTests: number;
  numFailedTestSuites: number;
  testResults: { name: string; status: string; message?: string; assertionResults: { fullName: string; status: string }[] }[];
};

function vitest(label: string, out: string, args: string[], extraEnv: Record<string, string> = {}) {
  step(label, bin("vitest"), ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${out}`, ...args], extraEnv);
  if (existsSync(out)) {
    const report = JSON.parse(readFileSync(out, "utf8")) as VitestReport;
    passed += report.numPassedTests;
    failed += report.numFailedTests + (report.numFailedTests === 0 ? report.numFailedTestSuites : 0);
    for (const file of report.testResults) {
      const name = path.relative(root, file.name);
      const tests = file.assertionResults.filter((t) => t.status === "failed");
      for (const t of tests) failures.push(`${label}: ${name} › ${t.fullName}`);
      if (tests.length === 0 && file.status === "failed") failures.push(`${label}: ${name} (${(file.message ?? "the file failed").split("\n")[0]})`);
    }
  } else {
    failed++;
    failures.push(`${label}: no report was written`);
  }
}

// 3. Vitest: unit, store contract (memory, SQLite, PostgreSQL), integration on SQLite
vitest("unit, contract and integration tests (vitest)", path.join(results, "vitest.json"), []);

// 3b. The integration suite once more, each server on its own PostgreSQL
if (findPostgresBin() === null && !process.env.CI) {
  console.log(`\n=== integration tests on PostgreSQL: skipped ===\n${POSTGRES_INSTALL_HINT}`);
} else {
  vitest(
    "integration tests on PostgreSQL (vitest)",
    path.join(results, "vitest-postgresql.json"),
    // Not again on PostgreSQL: the schema checks, tests that start their own databases, and
    // tests of wire behaviour and the CLI that read and write nothing the SQLite run leaves out.
    [
      "tests/integration",
      ...["prisma-*", "migration-backfill.test.ts", "two-instances.test.ts", "signing-key-reload.test.ts", "dev-server.test.ts", "mcp-conformance.test.ts", "cli-apis.test.ts", "account-email.test.ts", "client-libraries/**", "docs-device.test.ts"].flatMap(
        (name) => ["--exclude", `tests/integration/${name}`],
      ),
    ],
    { LATCHKEY_TEST_DATABASE: "postgresql" },
  );
}

type PlaywrightSuite = { suites?: PlaywrightSuite[]; specs?: { title: string; file: string; line: number; tests: { status: string }[] }[] };
type PlaywrightReport = { stats: { expected: number; unexpected: number; flaky: number }; errors?: unknown[]; suites?: PlaywrightSuite[] };

// 4. Playwright
{
  const chromium = findChromium();
  if (!chromium.ok) {
    console.error(`\n${chromium.message}`);
    failed++;
  } else {
    const out = path.join(results, "playwright.json");
    const port = process.env.E2E_PORT ?? String(await freePort());
    step("browser tests (playwright)", bin("playwright"), ["test", "--reporter=list,json"], { PLAYWRIGHT_JSON_OUTPUT_NAME: out, E2E_PORT: port });
    if (existsSync(out)) {
      const report = JSON.parse(readFileSync(out, "utf8")) as PlaywrightReport;
      passed += report.stats.expected + report.stats.flaky;
      failed += report.stats.unexpected + (report.errors?.length ?? 0);
      // One walk over the report: the specs that failed, and those that passed only on their retry.
      const flaky: string[] = [];
      const walk = (suite: PlaywrightSuite) => {
        for (const spec of suite.specs ?? []) {
          const name = `${spec.file}:${spec.line} › ${spec.title}`;
          if (spec.tests.some((t) => t.status === "unexpected")) failures.push(`browser tests: ${name}`);
          else if (spec.tests.some((t) => t.status === "flaky")) flaky.push(name);
        }
        for (const child of suite.suites ?? []) walk(child);
      };
      for (const suite of report.suites ?? []) walk(suite);
      if (flaky.length > 0) console.log(`\n=== flaky (failed, then passed on its retry) ===\n${flaky.join("\n")}`);
      for (const error of report.errors ?? []) failures.push(`browser tests: ${String((error as { message?: string }).message ?? error).split("\n")[0]}`);
    } else {
      failed++;
      failures.push("browser tests: no report was written");
    }
  }
}

if (failures.length > 0) console.log(`\n=== failed ===\n${failures.join("\n")}`);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
