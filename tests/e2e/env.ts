import { tmpdir } from "node:os";
import path from "node:path";

export const E2E_PORT = Number(process.env.E2E_PORT ?? 3217);
export const E2E_BASE_URL = `http://localhost:${E2E_PORT}`;
/** Outside test-results/, which Playwright empties when the run starts. */
export const E2E_DATA_DIR = path.join(tmpdir(), `latchkey-e2e-${E2E_PORT}`);
