import { createHash, randomBytes } from "node:crypto";
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

/** The app's redirect target does not exist here: answer it so the browser lands somewhere. */
export async function stubCallback(page: Page) {
  await page.route("http://127.0.0.1:8765/**", (route) => route.fulfill({ status: 200, contentType: "text/plain", body: "callback reached" }));
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
