import { defineConfig } from "@playwright/test";
import { findChromium } from "./tests/e2e/chromium";
import { E2E_BASE_URL as baseURL, E2E_DATA_DIR, E2E_PORT } from "./tests/e2e/env";

const chromium = findChromium();

export default defineConfig({
  testDir: "tests/e2e",
  fullyParallel: false,
  workers: 1,
  // On CI one retry: with Debian's Chromium rather than Playwright's own build, closing a browser
  // context after a passed test has hung once in a while (60 s, then "Tearing down context").
  // A test that passes only on its retry is reported as flaky, by name, in the summary.
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: chromium.ok ? chromium.executablePath : undefined,
      args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
    },
  },
  // E2E_EXTERNAL_SERVER=1 runs against a server you started yourself (debugging).
  webServer: process.env.E2E_EXTERNAL_SERVER ? undefined : {
    command: "node_modules/.bin/tsx tests/e2e/server.ts",
    url: `${baseURL}/.well-known/openid-configuration`,
    reuseExistingServer: false,
    timeout: 300_000,
    stdout: "pipe",
    env: { PORT: String(E2E_PORT), LATCHKEY_DATA_DIR: E2E_DATA_DIR, NEXT_TELEMETRY_DISABLED: "1", LATCHKEY_ACCESS_LOG: "false",
      // Back-channel logout tokens go to a receiver on 127.0.0.1 (tests/e2e/logout.spec.ts).
      LATCHKEY_LOGOUT_ALLOW_LOOPBACK: "true" },
  },
});
