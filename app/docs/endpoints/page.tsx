import type { Metadata } from "next";
import { CodeSample } from "@/components/docs/code-sample";
import { Prose } from "@/components/docs/prose";
import { getDiscovery, resourceApiUrl } from "@/lib/docs/discovery";
import { ScrollRegion } from "@/components/ui/scroll-region";

export const metadata: Metadata = { title: "Endpoints" };
export const dynamic = "force-dynamic";

const ENDPOINTS = [
  { key: "authorization_endpoint", name: "Authorization", body: "Where the browser goes to sign in and approve. GET or POST." },
  { key: "token_endpoint", name: "Token", body: "Exchanges codes, refresh tokens and client credentials for tokens. POST, form-encoded." },
  { key: "userinfo_endpoint", name: "Userinfo", body: "Claims about the signed-in person, for a token with openid. GET or POST with a bearer token." },
  { key: "revocation_endpoint", name: "Revocation", body: "Ends a refresh or access token, for example at sign-out (RFC 7009)." },
  { key: "introspection_endpoint", name: "Introspection", body: "Lets a confidential client ask whether a token is active and what it carries (RFC 7662)." },
  { key: "jwks_uri", name: "JWKS", body: "The public keys that verify access and ID tokens. Cache it; keys rotate." },
] as const;

const LISTS = [
  { key: "grant_types_supported", name: "Grant types" },
  { key: "response_types_supported", name: "Response types" },
  { key: "code_challenge_methods_supported", name: "PKCE methods" },
  { key: "token_endpoint_auth_methods_supported", name: "Client authentication" },
  { key: "id_token_signing_alg_values_supported", name: "Signing algorithms" },
  { key: "prompt_values_supported", name: "Prompt values" },
  { key: "scopes_supported", name: "Scopes" },
  { key: "claims_supported", name: "Claims" },
] as const;

export default async function EndpointsPage() {
  const discovery = await getDiscovery();
  const discoveryUrl = `${discovery.issuer}/.well-known/openid-configuration`;
  return (
    <Prose>
      <h1>Endpoints</h1>
      <p>
        Everything below is read from this server&apos;s discovery document, the same JSON that OAuth and OpenID Connect
        libraries fetch to configure themselves. Point your library at the issuer and it finds the rest.
      </p>
      <dl className="my-4 grid gap-2 rounded-lg border border-slate-200 dark:border-slate-700 bg-white dark:bg-slate-900 p-4 text-sm sm:grid-cols-[10rem_1fr]">
        <dt className="font-medium">Issuer</dt>
        <dd className="font-mono" data-testid="issuer">{discovery.issuer}</dd>
        <dt className="font-medium">Discovery</dt>
        <dd className="font-mono"><a href={discoveryUrl}>{discoveryUrl}</a></dd>
      </dl>

      <h2>Endpoints</h2>
      <ScrollRegion label="Endpoints" className="mt-3 rounded-lg border border-slate-200 bg-white dark:border-slate-700 dark:bg-slate-900">
        <table className="w-full text-left text-sm" data-testid="endpoint-table">
          <thead className="bg-slate-50 dark:bg-slate-800 text-xs uppercase tracking-wide text-slate-500 dark:text-slate-400">
            <tr>
              <th className="px-3 py-2 font-medium">Endpoint</th>
              <th className="px-3 py-2 font-medium">URL</th>
              <th className="px-3 py-2 font-medium">Used for</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 dark:divide-slate-800 align-top">
            {ENDPOINTS.filter((e) => typeof discovery[e.key] === "string").map((e) => (
              <tr key={e.key} data-endpoint={e.key}>
                <td className="px-3 py-2 font-medium">{e.name}</td>
                <td className="px-3 py-2 font-mono text-[13px]">{discovery[e.key]}</td>
                <td className="px-3 py-2 text-slate-600 dark:text-slate-300">{e.body}</td>
              </tr>
            ))}
            <tr data-endpoint="resource">
              <td className="px-3 py-2 font-medium">Example API</td>
              <td className="px-3 py-2 font-mono text-[13px]">{resourceApiUrl(discovery)}</td>
              <td className="px-3 py-2 text-slate-600 dark:text-slate-300">A protected resource to test tokens against. Needs the <code>account:read</code> scope.</td>
            </tr>
          </tbody>
        </table>
      </ScrollRegion>

      <h2>What this server supports</h2>
      <dl className="mt-3 space-y-3 text-sm">
        {LISTS.map((l) => {
          const values = discovery[l.key];
          return (
            <div key={l.key} className="grid gap-1 sm:grid-cols-[12rem_1fr]" data-list={l.key}>
              <dt className="font-medium">{l.name}</dt>
              <dd className="flex flex-wrap gap-1">
                {(Array.isArray(values) ? values : []).map((v) => (
                  <code key={String(v)} className="rounded bg-slate-100 dark:bg-slate-800 px-1.5 py-0.5 text-[13px]">{String(v)}</code>
                ))}
              </dd>
            </div>
          );
        })}
      </dl>

      <h2>Fetch it yourself</h2>
      <CodeSample
        samples={[
          { label: "curl", code: `curl ${discoveryUrl}` },
          { label: "JavaScript", code: `const config = await fetch(${JSON.stringify(discoveryUrl)}).then((r) => r.json());\nconsole.log(config.token_endpoint);` },
        ]}
      />
      <details className="mt-4">
        <summary className="cursor-pointer text-sm font-medium">The full document</summary>
        <pre tabIndex={0} aria-label="Discovery document" className="mt-2 overflow-x-auto rounded-lg bg-slate-900 p-4 text-[13px] text-slate-100" data-testid="discovery-json"><code>{JSON.stringify(discovery, null, 2)}</code></pre>
      </details>
    </Prose>
  );
}
