// Open redirects after sign-in (RFC 9700 §4.11): every callbackUrl next-auth or the sign-in
// page honours must keep the browser on this server's origin.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CookieJar, signIn } from "./helpers/browserless-login";
import { startServer, type RunningServer } from "./helpers/server";

let server: RunningServer;
let origin: string;

beforeAll(async () => {
  server = await startServer();
  origin = new URL(server.issuer).origin;
}, 300_000);

afterAll(async () => {
  await server?.stop();
});

const MALICIOUS = [
  "/%09/evil.test",
  "/\t/evil.test",
  "//evil.test",
  "/\\evil.test",
  "\\\\evil.test",
  "/%5Cevil.test",
  "https://evil.test",
  "https://evil.test/apps",
  "http://localhost:3000@evil.test",
  "/%0A/evil.test",
  "/\n/evil.test",
  "/%0D%0ALocation:%20https://evil.test",
  "javascript:alert(1)",
  " /apps",
  `/${"a".repeat(5000)}`,
].map((value) => [value.length > 60 ? `"/aaa…" (${value.length} characters)` : JSON.stringify(value), value] as const);

/** Posts the credentials form like next-auth's client does; returns where it sends the browser. */
async function credentialsCallback(options: { callbackUrl?: string; cookieCallbackUrl?: string; json: boolean }) {
  const jar = new CookieJar();
  const csrfRes = await fetch(`${origin}/api/auth/csrf`);
  jar.store(csrfRes);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const form = new URLSearchParams({ csrfToken, email: "user@latchkey.local", password: "latchkey-user" });
  if (options.callbackUrl !== undefined) form.set("callbackUrl", options.callbackUrl);
  if (options.json) form.set("json", "true");
  let cookie = jar.header();
  if (options.cookieCallbackUrl !== undefined) {
    cookie += `; next-auth.callback-url=${encodeURIComponent(options.cookieCallbackUrl)}`;
  }
  const res = await fetch(`${origin}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie },
    body: form,
  });
  jar.store(res);
  expect(res.status, await res.clone().text()).toBeLessThan(500);
  expect(jar.header()).toContain("session-token");
  const target = options.json ? ((await res.json()) as { url: string }).url : res.headers.get("location");
  expect(target).toBeTruthy();
  return new URL(target!, origin);
}

describe("next-auth's credentials callback never leaves the origin", () => {
  it.each(MALICIOUS)("callbackUrl %s in the JSON sign-in (the sign-in form's way)", async (_, callbackUrl) => {
    const target = await credentialsCallback({ callbackUrl, json: true });
    expect(target.origin).toBe(origin);
    expect(target.href).not.toContain("evil.test");
  });

  it.each(MALICIOUS)("callbackUrl %s in a plain form post (302 Location)", async (_, callbackUrl) => {
    const target = await credentialsCallback({ callbackUrl, json: false });
    expect(target.origin).toBe(origin);
    expect(target.href).not.toContain("evil.test");
  });

  it.each(["//evil.test", "/%09/evil.test", "https://evil.test"])("callbackUrl %j from the callback-url cookie", async (cookieCallbackUrl) => {
    const target = await credentialsCallback({ cookieCallbackUrl, json: true });
    expect(target.origin).toBe(origin);
    expect(target.href).not.toContain("evil.test");
  });

  it("keeps a same-origin return path, query included", async () => {
    const target = await credentialsCallback({ callbackUrl: "/oauth/authorize/continue?id=abc", json: true });
    expect(target.href).toBe(`${origin}/oauth/authorize/continue?id=abc`);
  });
});

describe("the sign-in and sign-up pages", () => {
  it.each(["/%0A/evil.test", "/%09/evil.test", "/%0D/evil.test", "/%00/evil.test"])(
    "GET /signin?callbackUrl=%s answers 200 and links on with the default path",
    async (raw) => {
      const res = await fetch(`${origin}/signin?callbackUrl=${raw}`, { redirect: "manual" });
      expect(res.status).toBe(200);
      expect(await res.text()).toContain(`href="/signup?callbackUrl=%2Fapps"`);
    },
  );

  it("GET /signup?callbackUrl=/%0A/evil.test answers 200", async () => {
    const res = await fetch(`${origin}/signup?callbackUrl=/%0A/evil.test`, { redirect: "manual" });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(`href="/signin?callbackUrl=%2Fapps"`);
  });

  it.each(["/%09/evil.test", "/%0A/evil.test", "//evil.test", "/%5Cevil.test", "https://evil.test"])(
    "a signed-in visit to /signin?callbackUrl=%s is sent to the portal, not away",
    async (raw) => {
      const jar = await signIn(origin, "user@latchkey.local", "latchkey-user");
      const res = await fetch(`${origin}/signin?callbackUrl=${encodeURIComponent(raw).replace(/%25/g, "%")}`, {
        redirect: "manual",
        headers: { cookie: jar.header() },
      });
      expect(res.status).toBeLessThan(500);
      const location = res.headers.get("location");
      expect(location).toBeTruthy();
      expect(new URL(location!, origin).href).toBe(`${origin}/apps`);
    },
  );

  it("a signed-in visit with a same-origin callbackUrl goes there", async () => {
    const jar = await signIn(origin, "user@latchkey.local", "latchkey-user");
    const res = await fetch(`${origin}/signin?callbackUrl=${encodeURIComponent("/account?tab=apps")}`, {
      redirect: "manual",
      headers: { cookie: jar.header() },
    });
    expect(new URL(res.headers.get("location")!, origin).href).toBe(`${origin}/account?tab=apps`);
  });
});
