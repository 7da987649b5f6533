// Drives the authorization endpoint over plain HTTP like a browser would: next-auth
// sign-in with cookies, then the consent form. Used where a real browser adds nothing.
export class CookieJar {
  private cookies = new Map<string, string>();

  store(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair!.indexOf("=");
      this.cookies.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
    }
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
}

export async function signIn(issuer: string, email: string, password: string): Promise<CookieJar> {
  const jar = new CookieJar();
  const csrfRes = await fetch(`${issuer}/api/auth/csrf`);
  jar.store(csrfRes);
  const { csrfToken } = (await csrfRes.json()) as { csrfToken: string };
  const res = await fetch(`${issuer}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar.header() },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
  });
  jar.store(res);
  if (!jar.header().includes("session-token")) throw new Error(`sign-in failed for ${email}`);
  return jar;
}

/** Follows same-origin redirects; stops at the first redirect leaving the server. */
export async function follow(issuer: string, url: string, jar: CookieJar): Promise<{ url: string; html?: string }> {
  let current = url;
  for (let i = 0; i < 10; i++) {
    if (!current.startsWith(issuer)) return { url: current };
    const res = await fetch(current, { redirect: "manual", headers: { cookie: jar.header() } });
    jar.store(res);
    const location = res.headers.get("location");
    if (!location) return { url: current, html: await res.text() };
    current = new URL(location, current).href;
  }
  throw new Error("too many redirects");
}

/** Submits the consent page's form with Allow or Deny; returns where the server sends the browser. */
export async function answerConsent(issuer: string, html: string, jar: CookieJar, decision: "allow" | "deny"): Promise<string> {
  const id = /name="id" value="([^"]+)"/.exec(html)?.[1];
  const csrf = /name="csrf_token" value="([^"]+)"/.exec(html)?.[1];
  if (!id || !csrf) throw new Error("no consent form on the page");
  const res = await fetch(`${issuer}/oauth/consent/decide`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar.header(), origin: issuer },
    body: new URLSearchParams({ id, csrf_token: csrf, decision }),
  });
  const location = res.headers.get("location");
  if (!location) throw new Error(`consent answered ${res.status}`);
  return new URL(location, issuer).href;
}
