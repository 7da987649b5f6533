// Gets an authorization code the way a browser would (sign-in and consent over HTTP),
// with the PKCE verifier to redeem it, and sends form requests with Basic credentials.
import { createHash, randomBytes } from "node:crypto";
import { answerConsent, follow, type CookieJar } from "./browserless-login";

export interface Client {
  clientId: string;
  clientSecret: string;
}

export async function authorizationCode(
  base: string,
  jar: CookieJar,
  client: Client,
  redirectUri: string,
  scope: string | null = "openid offline_access account:read",
  /** More parameters, which may repeat (RFC 8707 `resource`). */
  extra: [string, string][] = [],
): Promise<{ code: string; verifier: string }> {
  const verifier = randomBytes(32).toString("base64url");
  const url = new URL(`${base}/oauth/authorize`);
  const params = new URLSearchParams({
    response_type: "code", client_id: client.clientId, redirect_uri: redirectUri, state: "s",
    code_challenge: createHash("sha256").update(verifier).digest("base64url"), code_challenge_method: "S256",
  });
  if (scope !== null) params.set("scope", scope);
  for (const [name, value] of extra) params.append(name, value);
  url.search = params.toString();
  let step = await follow(base, url.href, jar);
  if (step.html?.includes("/oauth/consent/decide")) step = { url: await answerConsent(base, step.html, jar, "allow") };
  const code = new URL(step.url).searchParams.get("code");
  if (!code) throw new Error(`no code in ${step.url}`);
  return { code, verifier };
}

export interface FormAnswer {
  status: number;
  body: { access_token?: string; refresh_token?: string; error?: string; active?: boolean } & Record<string, unknown>;
}

export async function postForm(
  base: string,
  path: string,
  client: Client,
  params: Record<string, string> | [string, string][],
): Promise<FormAnswer> {
  const res = await fetch(`${base}${path}`, {
    method: "POST",
    headers: {
      authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString("base64")}`,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams(params),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : {} };
}
