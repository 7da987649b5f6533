// The server the browser tests run against: a fresh throwaway database each run.
import { rmSync } from "node:fs";

import { E2E_DATA_DIR } from "./env";

const dir = process.env.LATCHKEY_DATA_DIR ?? E2E_DATA_DIR;
if (!dir.includes("latchkey-e2e")) throw new Error("Browser tests must use their own throwaway database");
rmSync(dir, { recursive: true, force: true });
await import("../../scripts/start");
