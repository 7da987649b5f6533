// Samples of the device authorization grant (RFC 8628), for the /docs/device page.
import type { Sample } from "./samples";
import type { SampleContext } from "./sample-app";

export const DEVICE_CODE_PLACEHOLDER = "DEVICE_CODE";
const GRANT = "urn:ietf:params:oauth:grant-type:device_code";

/** Why the chosen app cannot run the device samples, or null when it can. */
export function deviceFlowUnavailable(ctx: SampleContext): string | null {
  const app = ctx.client;
  if (!ctx.discovery.grant_types_supported.includes(GRANT)) return "This server does not offer the device authorization grant.";
  // The generic example app (signed out, or no apps) can use every flow.
  return ctx.app === null || app.grantTypes.includes(GRANT)
    ? null
    : `${app.name} (${app.type}) does not have the device authorization grant; enable it in the app's settings.`;
}

/** The scopes a device sample asks for: openid, and offline_access when the app may refresh. */
export function deviceScopes(ctx: SampleContext): string[] {
  const wanted = ["openid", "profile", ...(ctx.client.grantTypes.includes("refresh_token") ? ["offline_access"] : [])];
  return ctx.app === null ? wanted : wanted.filter((s) => ctx.client.scopes.includes(s));
}

function curlAuth(ctx: SampleContext): { basic: string; form: string } {
  return ctx.client.type === "confidential"
    ? { basic: `\n  -u "${ctx.clientId}:YOUR_CLIENT_SECRET" \\`, form: "" }
    : { basic: "", form: ` \\\n  -d client_id=${ctx.clientId}` };
}

/** Step 1: the device asks for a device code and a user code (RFC 8628 §3.1). */
export function deviceStartSamples(ctx: SampleContext): Sample[] {
  const endpoint = String(ctx.discovery.device_authorization_endpoint);
  const auth = curlAuth(ctx);
  const scope = deviceScopes(ctx).join(" ");
  return [
    {
      label: "curl",
      code: `curl -X POST ${endpoint} \\${auth.basic}
  -d "scope=${scope}"${auth.form}`,
    },
  ];
}

/** Step 2: the device polls the token endpoint until the user decides (RFC 8628 §3.4). */
export function devicePollSamples(ctx: SampleContext): Sample[] {
  const auth = curlAuth(ctx);
  return [
    {
      label: "curl",
      code: `curl -X POST ${ctx.discovery.token_endpoint} \\${auth.basic}
  -d grant_type=${GRANT} \\
  -d device_code=${DEVICE_CODE_PLACEHOLDER}${auth.form}`,
    },
  ];
}

/** The whole flow as one Node 20 script: start, show the code, poll with the interval, print the tokens. */
export function deviceScriptSamples(ctx: SampleContext): Sample[] {
  const confidential = ctx.client.type === "confidential";
  const scope = deviceScopes(ctx).join(" ");
  const auth = confidential
    ? `const headers = {
  Authorization: "Basic " + Buffer.from(\`\${encodeURIComponent(${JSON.stringify(ctx.clientId)})}:\${encodeURIComponent(process.env.CLIENT_SECRET)}\`).toString("base64"),
};
const form = (params) => new URLSearchParams(params);`
    : `const headers = {};
const form = (params) => new URLSearchParams({ client_id: ${JSON.stringify(ctx.clientId)}, ...params });`;
  return [
    {
      label: "JavaScript",
      code: `// device.mjs — run with: node device.mjs${confidential ? " (CLIENT_SECRET in the environment)" : ""}
${auth}
const post = async (url, params) => (await fetch(url, { method: "POST", headers, body: form(params) })).json();

const start = await post(${JSON.stringify(String(ctx.discovery.device_authorization_endpoint))}, { scope: ${JSON.stringify(scope)} });
if (start.error) throw new Error(start.error_description ?? start.error);
console.log(\`Open \${start.verification_uri} and enter \${start.user_code}\`);

let interval = start.interval ?? 5;
for (;;) {
  await new Promise((resolve) => setTimeout(resolve, interval * 1000));
  const answer = await post(${JSON.stringify(ctx.discovery.token_endpoint)}, {
    grant_type: ${JSON.stringify(GRANT)},
    device_code: start.device_code,
  });
  if (answer.error === "authorization_pending") continue;
  if (answer.error === "slow_down") { interval += 5; continue; }
  if (answer.error) throw new Error(answer.error_description ?? answer.error); // access_denied, expired_token
  console.log(answer); // access_token, id_token, refresh_token (with offline_access)
  break;
}`,
    },
  ];
}
