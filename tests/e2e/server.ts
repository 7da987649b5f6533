// The server the browser tests run against: a fresh throwaway database each run.
import { rmSync } from "node:fs";

const dir = process.env.LATCHKEY_DATA_DIR ?? "test-results/e2e-data";
if (dir.startsWith("data")) throw new Error("Browser tests must not use data/");
rmSync(dir, { recursive: true, force: true });
await import("../../scripts/start");
