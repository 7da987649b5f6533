import { existsSync } from "node:fs";
import { createRequire } from "node:module";

/** Debian's Chromium (or CHROMIUM_PATH), else Playwright's own browser when installed. */
export function findChromium(): { ok: true; executablePath: string | undefined } | { ok: false; message: string } {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].filter(Boolean) as string[];
  for (const path of candidates) if (existsSync(path)) return { ok: true, executablePath: path };
  try {
    const require = createRequire(import.meta.url);
    const { chromium } = require("@playwright/test") as typeof import("@playwright/test");
    if (existsSync(chromium.executablePath())) return { ok: true, executablePath: undefined };
  } catch {
    /* not installed */
  }
  return {
    ok: false,
    message:
      "No Chromium found for the browser tests. Install Debian's: `apt-get update && apt-get install -y chromium`, " +
      "set CHROMIUM_PATH to a Chromium binary, or run `npx playwright install chromium` where downloads work.",
  };
}
