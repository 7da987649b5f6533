import { decodeProtectedHeader, jwtVerify, type JWTPayload } from "jose";
import { s256 } from "@/lib/oauth/pkce";
import { randomToken } from "@/lib/oauth/tokens";
import { body, post, SECRETS, USER, type Env } from "./fixtures";

export function pkcePair() {
  const verifier = randomToken(32);
  return { verifier, challenge: s256(verifier) };
}

export interface CodeOptions {
  clientId?: string;
  redirectUri?: string;
  scope?: string;
  nonce?: string;
  pkce?: boolean;
  state?: string;
  /** More authorization request parameters (claims, acr_values, …). */
  extra?: Record<string, string>;
}

/** Runs the authorization endpoint for USER (validate + approve) and returns the code. */
export async function obtainCode(env: Env, options: CodeOptions = {}) {
  const clientId = options.clientId ?? "web-app";
  const redirectUri = options.redirectUri ?? "https://app.example/callback";
  const pair = pkcePair();
  const usePkce = options.pkce ?? true;
  const params = new URLSearchParams({
    client_id: clientId,
    redirect_uri: redirectUri,
    response_type: "code",
    // offline_access: with openid, refresh tokens come only with it (OIDC Core §11).
    scope: options.scope ?? "openid profile email offline_access read",
    state: options.state ?? "st-123",
  });
  if (options.nonce !== undefined) params.set("nonce", options.nonce);
  for (const [name, value] of Object.entries(options.extra ?? {})) params.set(name, value);
  if (usePkce) {
    params.set("code_challenge", pair.challenge);
    params.set("code_challenge_method", "S256");
  }
  const result = await env.provider.authorize.validate(params);
  if (result.type !== "ok") throw new Error(`authorize failed: ${JSON.stringify(result)}`);
  const { redirectUrl } = await env.provider.authorize.approve(result.request, {
    userId: USER.id,
    authTime: env.clock.now(),
  });
  const code = new URL(redirectUrl).searchParams.get("code");
  if (code === null) throw new Error(`no code in ${redirectUrl}`);
  return { code, verifier: usePkce ? pair.verifier : undefined, redirectUri, redirectUrl };
}

export const WEB: [string, string] = ["web-app", SECRETS.web];
export const OTHER: [string, string] = ["other-app", SECRETS.other];

export async function exchangeCode(
  env: Env,
  code: string,
  /** `redirectUri: null` leaves the parameter out. */
  options: { verifier?: string | undefined; redirectUri?: string | null; basic?: [string, string] | null; extra?: Record<string, string> } = {},
) {
  const params: Record<string, string> = { grant_type: "authorization_code", code };
  if (options.redirectUri !== null) params.redirect_uri = options.redirectUri ?? "https://app.example/callback";
  Object.assign(params, options.extra);
  if (options.verifier !== undefined) params.code_verifier = options.verifier;
  const basic = options.basic === undefined ? WEB : options.basic;
  return env.provider.token(await post("/oauth/token", params, basic === null ? {} : { basic }));
}

/** Exchanges a fresh code for tokens; returns the parsed token response. */
export async function obtainTokens(env: Env, options: CodeOptions = {}) {
  const { code, verifier } = await obtainCode(env, options);
  const res = await exchangeCode(env, code, { verifier });
  if (res.status !== 200) throw new Error(`exchange failed: ${res.body}`);
  return body(res) as { access_token: string; refresh_token?: string; id_token?: string; scope: string; expires_in: number };
}

export async function refresh(env: Env, refreshToken: string, extra: Record<string, string> = {}, basic = WEB) {
  return env.provider.token(
    await post("/oauth/token", { grant_type: "refresh_token", refresh_token: refreshToken, ...extra }, { basic }),
  );
}

export async function introspect(env: Env, token: string, extra: Record<string, string> = {}, basic = WEB) {
  const res = await env.provider.introspection(await post("/oauth/introspect", { token, ...extra }, { basic }));
  return body(res);
}

export async function verifyJwt(env: Env, token: string): Promise<{ payload: JWTPayload; typ: string | undefined }> {
  const kid = decodeProtectedHeader(token).kid;
  const key = env.keys.published.find((k) => k.kid === kid) ?? env.key;
  const { payload, protectedHeader } = await jwtVerify(token, key.publicKey, {
    issuer: env.ctx.config.issuer,
    currentDate: env.clock.now(),
    algorithms: [key.alg],
  });
  return { payload, typ: protectedHeader.typ ?? decodeProtectedHeader(token).typ };
}
