import type { SampleContext } from "./sample-context";

export interface Sample {
  label: "curl" | "JavaScript" | "URL";
  code: string;
}

const SECRET = "YOUR_CLIENT_SECRET";

export function authorizeUrl(ctx: SampleContext, options: { pkce?: boolean; responseType?: "code" | "token"; scope?: string } = {}): string {
  const params = new URLSearchParams({
    response_type: options.responseType ?? "code",
    client_id: ctx.clientId,
    redirect_uri: ctx.redirectUri,
    scope: options.scope ?? "openid profile email",
    state: "RANDOM_STATE",
  });
  if (options.pkce) {
    params.set("code_challenge", "CODE_CHALLENGE");
    params.set("code_challenge_method", "S256");
  }
  return `${ctx.discovery.authorization_endpoint}?${params}`.replace(/%3A/g, ":").replace(/%2F/g, "/");
}

export function authorizeSamples(ctx: SampleContext, options: { pkce?: boolean } = {}): Sample[] {
  const url = authorizeUrl(ctx, options);
  return [
    { label: "URL", code: url },
    {
      label: "JavaScript",
      code: `const state = crypto.randomUUID();
sessionStorage.setItem("oauth_state", state);
${options.pkce ? "// codeChallenge comes from the PKCE snippet below\n" : ""}const url = new URL(${JSON.stringify(ctx.discovery.authorization_endpoint)});
url.search = new URLSearchParams({
  response_type: "code",
  client_id: ${JSON.stringify(ctx.clientId)},
  redirect_uri: ${JSON.stringify(ctx.redirectUri)},
  scope: "openid profile email",
  state,${options.pkce ? "\n  code_challenge: codeChallenge,\n  code_challenge_method: \"S256\"," : ""}
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

export function codeExchangeSamples(ctx: SampleContext, options: { pkce?: boolean } = {}): Sample[] {
  const token = ctx.discovery.token_endpoint;
  if (options.pkce) {
    return [
      {
        label: "curl",
        code: `curl -X POST ${token} \\
  -d grant_type=authorization_code \\
  -d code=AUTHORIZATION_CODE \\
  -d redirect_uri=${ctx.redirectUri} \\
  -d client_id=${ctx.clientId} \\
  -d code_verifier=CODE_VERIFIER`,
      },
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
    {
      label: "curl",
      code: `curl -X POST ${token} \\
  -u "${ctx.clientId}:${SECRET}" \\
  -d grant_type=authorization_code \\
  -d code=AUTHORIZATION_CODE \\
  -d redirect_uri=${ctx.redirectUri}`,
    },
    {
      label: "JavaScript",
      code: `// On your server (Node 18+): the secret never reaches the browser.
const basic = Buffer.from(
  \`\${encodeURIComponent(${JSON.stringify(ctx.clientId)})}:\${encodeURIComponent(process.env.CLIENT_SECRET)}\`,
).toString("base64");

const response = await fetch(${JSON.stringify(token)}, {
  method: "POST",
  headers: {
    Authorization: \`Basic \${basic}\`,
    "Content-Type": "application/x-www-form-urlencoded",
  },
  body: new URLSearchParams({
    grant_type: "authorization_code",
    code,
    redirect_uri: ${JSON.stringify(ctx.redirectUri)},
  }),
});
const { access_token, refresh_token, id_token, expires_in } = await response.json();`,
    },
  ];
}

export function clientCredentialsSamples(ctx: SampleContext): Sample[] {
  const token = ctx.discovery.token_endpoint;
  return [
    {
      label: "curl",
      code: `curl -X POST ${token} \\
  -u "${ctx.clientId}:${SECRET}" \\
  -d grant_type=client_credentials \\
  -d scope=account:read`,
    },
    {
      label: "JavaScript",
      code: `const basic = Buffer.from(
  \`\${encodeURIComponent(${JSON.stringify(ctx.clientId)})}:\${encodeURIComponent(process.env.CLIENT_SECRET)}\`,
).toString("base64");

const response = await fetch(${JSON.stringify(token)}, {
  method: "POST",
  headers: { Authorization: \`Basic \${basic}\`, "Content-Type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams({ grant_type: "client_credentials", scope: "account:read" }),
});
const { access_token, expires_in } = await response.json();`,
    },
  ];
}

export function refreshSamples(ctx: SampleContext): Sample[] {
  const token = ctx.discovery.token_endpoint;
  return [
    {
      label: "curl",
      code: `# Confidential app
curl -X POST ${token} \\
  -u "${ctx.clientId}:${SECRET}" \\
  -d grant_type=refresh_token \\
  -d refresh_token=REFRESH_TOKEN

# Public app: no secret, send client_id instead
curl -X POST ${token} \\
  -d grant_type=refresh_token \\
  -d refresh_token=REFRESH_TOKEN \\
  -d client_id=${ctx.clientId}`,
    },
    {
      label: "JavaScript",
      code: `async function refresh(refreshToken) {
  const response = await fetch(${JSON.stringify(token)}, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "refresh_token",
      refresh_token: refreshToken,
      client_id: ${JSON.stringify(ctx.clientId)},
      // confidential apps: authenticate with Basic instead, as for the code exchange
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

export function callApiSamples(ctx: SampleContext): Sample[] {
  return [
    {
      label: "curl",
      code: `curl ${ctx.resourceUrl} \\
  -H "Authorization: Bearer ACCESS_TOKEN"

curl ${ctx.discovery.userinfo_endpoint} \\
  -H "Authorization: Bearer ACCESS_TOKEN"`,
    },
    {
      label: "JavaScript",
      code: `const response = await fetch(${JSON.stringify(ctx.resourceUrl)}, {
  headers: { Authorization: \`Bearer \${accessToken}\` },
});
if (response.status === 401) {
  // expired or revoked: refresh, or sign the user in again
}
const me = await response.json();`,
    },
  ];
}

export function passwordSamples(ctx: SampleContext): Sample[] {
  return [
    {
      label: "curl",
      code: `curl -X POST ${ctx.discovery.token_endpoint} \\
  -u "${ctx.clientId}:${SECRET}" \\
  -d grant_type=password \\
  --data-urlencode username=USER_EMAIL \\
  --data-urlencode password=USER_PASSWORD`,
    },
  ];
}
