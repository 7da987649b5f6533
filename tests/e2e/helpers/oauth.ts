import { createHash, randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { Page } from "@playwright/test";

export const CALLBACK = "http://127.0.0.1:8765/callback";

export function pkcePair() {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

export function authorizeUrl(clientId: string, scope: string, extra: Record<string, string> = {}) {
  const { verifier, challenge } = pkcePair();
  const state = randomBytes(8).toString("hex");
  const q = new URLSearchParams({
    response_type: "code", client_id: clientId, redirect_uri: CALLBACK, scope, state,
    code_challenge: challenge, code_challenge_method: "S256", ...extra,
  });
  return { url: `/oauth/authorize?${q}`, state, verifier };
}

/**
 * A stand-in for the app's redirect target: a real HTTP server on 127.0.0.1:8765 that
 * answers "callback reached", so the browser lands there after the authorization server's redirect.
 */
export async function startCallbackServer(): Promise<() => Promise<void>> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/plain" });
    res.end("callback reached");
  });
  const started = await new Promise<boolean>((resolve, reject) => {
    server.once("error", (err: NodeJS.ErrnoException) => (err.code === "EADDRINUSE" ? resolve(false) : reject(err)));
    server.listen(8765, "127.0.0.1", () => resolve(true));
  });
  return () => (started ? new Promise<void>((r) => server.close(() => r())) : Promise.resolve());
}

export async function signInAs(page: Page, email: string, password: string) {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

export function callbackParams(page: Page): URLSearchParams {
  const url = new URL(page.url());
  if (url.origin !== "http://127.0.0.1:8765") throw new Error(`not at the callback: ${page.url()}`);
  return url.searchParams;
}
