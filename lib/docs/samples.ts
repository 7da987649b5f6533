import { USER_ONLY_SCOPES } from "../oauth/scopes";
import type { SampleApp, SampleContext } from "./sample-app";

export interface Sample {
  label: "curl" | "JavaScript" | "URL";
  code: string;
}

/** What a reader replaces in a sample before running it. */
export const PLACEHOLDERS = {
  clientSecret: "YOUR_CLIENT_SECRET",
  state: "RANDOM_STATE",
  codeChallenge: "CODE_CHALLENGE",
  code: "AUTHORIZATION_CODE",
  codeVerifier: "CODE_VERIFIER",
  accessToken: "ACCESS_TOKEN",
  refreshToken: "REFRESH_TOKEN",
  username: "USER_EMAIL",
  password: "USER_PASSWORD",
} as const;

const P = PLACEHOLDERS;
const EXAMPLE_API_SCOPE = "account:read";

export type Flow = "authorization-code" | "pkce" | "client-credentials" | "implicit" | "password" | "refresh";

/** Why the chosen app cannot run a flow's samples, or null when it can. */
export function flowUnavailable(ctx: SampleContext, flow: Flow): string | null {
  const app = ctx.client;
  const name = `${app.name} (${app.type})`;
  const has = (grant: string) => app.grantTypes.includes(grant);
  switch (flow) {
    case "authorization-code":
    case "pkce":
      return has("authorization_code") ? null : `${name} does not have the authorization code grant; enable it in the app's settings.`;
    case "client-credentials":
      if (app.type === "public") return `${name} is a public app: it has no secret, so it cannot use client credentials. Register a confidential app for this.`;
      return has("client_credentials") ? null : `${name} does not have the client credentials grant; enable it in the app's settings.`;
    case "implicit":
      return has("implicit") ? null : `${name} does not have the implicit grant; enable it in the app's settings (better: move to PKCE).`;
    case "password":
      return has("password") ? null : `${name} does not have the password grant; only an administrator can enable it.`;
    case "refresh":
      if (!has("authorization_code")) return `${name} does not have the authorization code grant, the flow that issues refresh tokens; enable it in the app's settings.`;
      return has("refresh_token") ? null : `${name} does not have the refresh token grant; enable it in the app's settings.`;
  }
}

/** The portal page where the chosen app's grant types and scopes are edited, if it is a real app. */
export function appSettingsHref(ctx: SampleContext): string | null {
  return ctx.app ? `/apps/${encodeURIComponent(ctx.app.id)}/settings` : null;
}

/**
 * The scopes a sign-in sample asks for: the identity scopes and, when the page calls the
 * example API, `account:read`, limited to what the app may use. `refresh: "required"` makes
 * sure a refresh token comes back: with `openid` that takes `offline_access` (OIDC Core §11).
 */
export function userFlowScopes(app: SampleApp, options: { refresh?: "optional" | "required" } = {}): string[] {
  const allowed = (s: string) => app.scopes.includes(s);
  const scopes = ["openid", "profile", "email", EXAMPLE_API_SCOPE].filter(allowed);
  if (options.refresh && app.grantTypes.includes("refresh_token") && scopes.includes("openid")) {
    if (allowed("offline_access")) scopes.splice(1, 0, "offline_access");
    else if (options.refresh === "required") scopes.splice(scopes.indexOf("openid"), 1);
  }
  return scopes;
}

/** The scopes a token without a person asks for: the example API's if allowed, else the app's others. */
export function appOnlyScopes(app: SampleApp): string[] {
  if (app.scopes.includes(EXAMPLE_API_SCOPE)) return [EXAMPLE_API_SCOPE];
  return app.scopes.filter((s) => !USER_ONLY_SCOPES.includes(s));
}

function usesPkce(ctx: SampleContext, pkce: boolean | undefined): boolean {
  return pkce === true || ctx.client.type === "public";
}

function readableUrl(base: string, params: URLSearchParams): string {
  return `${base}?${params}`.replace(/%3A/g, ":").replace(/%2F/g, "/");
}

export function authorizeUrl(ctx: SampleContext, options: { pkce?: boolean; responseType?: "code" | "token"; scopes: string[] }): string {
  const params = new URLSearchParams({
    response_type: options.responseType ?? "code",
    client_id: ctx.clientId,
    redirect_uri: ctx.redirectUri,
  });
  // Without scope the server grants the app's default scopes (RFC 6749 §3.3).
  if (options.scopes.length > 0) params.set("scope", options.scopes.join(" "));
  params.set("state", P.state);
  if (options.responseType !== "token" && usesPkce(ctx, options.pkce)) {
    params.set("code_challenge", P.codeChallenge);
    params.set("code_challenge_method", "S256");
  }
  return readableUrl(ctx.discovery.authorization_endpoint, params);
}

export function authorizeSamples(ctx: SampleContext, options: { pkce?: boolean; scopes: string[] }): Sample[] {
  const pkce = usesPkce(ctx, options.pkce);
  const scopeLine = options.scopes.length > 0 ? `\n  scope: ${JSON.stringify(options.scopes.join(" "))},` : "";
  return [
    { label: "URL", code: authorizeUrl(ctx, options) },
    {
      label: "JavaScript",
      code: `const state = crypto.randomUUID();
sessionStorage.setItem("oauth_state", state);
${pkce ? "// codeChallenge comes from the PKCE snippet\n" : ""}const url = new URL(${JSON.stringify(ctx.discovery.authorization_endpoint)});
url.search = new URLSearchParams({
  response_type: "code",
  client_id: ${JSON.stringify(ctx.clientId)},
  redirect_uri: ${JSON.stringify(ctx.redirectUri)},${scopeLine}
  state,${pkce ? "\n  code_challenge: codeChallenge,\n  code_challenge_method: \"S256\"," : ""}
}).toString();
window.location.assign(url);`,
    },
  ];
}

export function pkceSamples(): Sample[] {
  return [
    {
      label: "JavaScript",
      code: `function base64url(bytes) {
  return btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replace(/\\+/g, "-").replace(/\\//g, "_").replace(/=+$/, "");
}

// 32 random bytes -> a 43-character verifier; keep it until the callback.
const codeVerifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
sessionStorage.setItem("pkce_verifier", codeVerifier);

const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(codeVerifier));
const codeChallenge = base64url(digest);`,
    },
  ];
}

// Confidential apps authenticate with HTTP Basic; public apps name themselves with client_id.
function curlClientAuth(ctx: SampleContext): { basic: string; form: string } {
  return ctx.client.type === "confidential"
    ? { basic: `\n  -u "${ctx.clientId}:${P.clientSecret}" \\`, form: "" }
    : { basic: "", form: ` \\\n  -d client_id=${ctx.clientId}` };
}

const JS_BASIC = (clientId: string) => `const basic = Buffer.from(
  \`\${encodeURIComponent(${JSON.stringify(clientId)})}:\${encodeURIComponent(process.env.CLIENT_SECRET)}\`,
).toString("base64");
`;

export function codeExchangeSamples(ctx: SampleContext, options: { pkce?: boolean } = {}): Sample[] {
  const token = ctx.discovery.token_endpoint;
  const pkce = usesPkce(ctx, options.pkce);
  const auth = curlClientAuth(ctx);
  const confidential = ctx.client.type === "confidential";
  const curl = `curl -X POST ${token} \\${auth.basic}
  -d grant_type=authorization_code \\
  -d code=${P.code} \\
  -d redirect_uri=${ctx.redirectUri}${auth.form}${pkce ? ` \\\n  -d code_verifier=${P.codeVerifier}` : ""}`;
  if (!confidential) {
    return [
      { label: "curl", code: curl },
      {
        label: "JavaScript",
        code: `const params = new URLSearchParams(window.location.search);
if (params.get("state") !== sessionStorage.getItem("oauth_state")) throw new Error("state mismatch");

const response = await fetch(${JSON.stringify(token)}, {
  method: "POST",
  headers: { "Content-Type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams({
    grant_type: "authorization_code",
    code: params.get("code"),
    redirect_uri: ${JSON.stringify(ctx.redirectUri)},
    client_id: ${JSON.stringify(ctx.clientId)},
    code_verifier: sessionStorage.getItem("pkce_verifier"),
  }),
});
const tokens = await response.json();`,
      },
    ];
  }
  return [
    { label: "curl", code: curl },
    {
      label: "JavaScript",
      code: `// On your server (Node 18+): the secret never reaches the browser.
${JS_BASIC(ctx.clientId)}
const response = await fetch(${JSON.stringify(token)}, {
  method: "POST",
  headers: {
    Authorization: \`Basic \${basic}\`,
    "Content-Type": "application/x-www-form-urlencoded",
  },
  body: new URLSearchParams({
    grant_type: "authorization_code",
    code,
    redirect_uri: ${JSON.stringify(ctx.redirectUri)},${pkce ? "\n    code_verifier: codeVerifier," : ""}
  }),
});
const { access_token, refresh_token, id_token, expires_in } = await response.json();`,
    },
  ];
}

export function clientCredentialsSamples(ctx: SampleContext): Sample[] {
  const token = ctx.discovery.token_endpoint;
  const scope = appOnlyScopes(ctx.client).join(" ");
  const body = scope ? `{ grant_type: "client_credentials", scope: ${JSON.stringify(scope)} }` : `{ grant_type: "client_credentials" }`;
  return [
    {
      label: "curl",
      code: `curl -X POST ${token} \\
  -u "${ctx.clientId}:${P.clientSecret}" \\
  -d grant_type=client_credentials${scope ? ` \\\n  -d "scope=${scope}"` : ""}`,
    },
    {
      label: "JavaScript",
      code: `${JS_BASIC(ctx.clientId)}
const response = await fetch(${JSON.stringify(token)}, {
  method: "POST",
  headers: { Authorization: \`Basic \${basic}\`, "Content-Type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams(${body}),
});
const { access_token, expires_in } = await response.json();`,
    },
  ];
}

export function refreshSamples(ctx: SampleContext): Sample[] {
  const token = ctx.discovery.token_endpoint;
  const auth = curlClientAuth(ctx);
  const confidential = ctx.client.type === "confidential";
  return [
    {
      label: "curl",
      code: `curl -X POST ${token} \\${auth.basic}
  -d grant_type=refresh_token \\
  -d refresh_token=${P.refreshToken}${auth.form}`,
    },
    {
      label: "JavaScript",
      code: `${confidential ? `// On your server: the secret never reaches the browser.\n${JS_BASIC(ctx.clientId)}\n` : ""}async function refresh(refreshToken) {
  const response = await fetch(${JSON.stringify(token)}, {
    method: "POST",
    headers: { ${confidential ? "Authorization: `Basic ${basic}`, " : ""}"Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "refresh_token",
      refresh_token: refreshToken,${confidential ? "" : `\n      client_id: ${JSON.stringify(ctx.clientId)},`}
    }),
  });
  if (!response.ok) throw new Error("Sign the user in again"); // invalid_grant: expired or revoked
  const tokens = await response.json();
  await saveRefreshToken(tokens.refresh_token); // the old one no longer works
  return tokens;
}`,
    },
  ];
}

/**
 * Calls that work with a token carrying `scopes`: the example API needs `account:read`,
 * userinfo needs `openid`. Empty when neither applies.
 */
export function callApiSamples(ctx: SampleContext, scopes: string[]): Sample[] {
  const me = scopes.includes(EXAMPLE_API_SCOPE);
  const userinfo = scopes.includes("openid");
  const calls = [
    me ? `curl ${ctx.resourceUrl} \\\n  -H "Authorization: Bearer ${P.accessToken}"` : null,
    userinfo ? `curl ${ctx.discovery.userinfo_endpoint} \\\n  -H "Authorization: Bearer ${P.accessToken}"` : null,
  ].filter((c): c is string => c !== null);
  if (calls.length === 0) return [];
  const url = me ? ctx.resourceUrl : ctx.discovery.userinfo_endpoint;
  return [
    { label: "curl", code: calls.join("\n\n") },
    {
      label: "JavaScript",
      code: `const response = await fetch(${JSON.stringify(url)}, {
  headers: { Authorization: \`Bearer \${accessToken}\` },
});
if (response.status === 401) {
  // expired or revoked: refresh, or sign the user in again
}
const ${me ? "me" : "claims"} = await response.json();`,
    },
  ];
}

/** Why the API call samples are missing for a token with `scopes`, or null when they are shown. */
export function callApiUnavailable(ctx: SampleContext, scopes: string[]): string | null {
  if (scopes.includes(EXAMPLE_API_SCOPE)) return null;
  return `The example API at ${ctx.resourceUrl} needs the ${EXAMPLE_API_SCOPE} scope, which ${ctx.client.name} may not use; add it in the app's settings.`;
}

export function implicitSamples(ctx: SampleContext): Sample[] {
  return [{ label: "URL", code: authorizeUrl(ctx, { responseType: "token", scopes: appOnlyScopes(ctx.client) }) }];
}

export function passwordSamples(ctx: SampleContext): Sample[] {
  const auth = curlClientAuth(ctx);
  return [
    {
      label: "curl",
      code: `curl -X POST ${ctx.discovery.token_endpoint} \\${auth.basic}
  -d grant_type=password \\
  --data-urlencode username=${P.username} \\
  --data-urlencode password=${P.password}${auth.form}`,
    },
  ];
}
