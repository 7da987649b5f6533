import type { Metadata } from "next";
import { CodeSample } from "@/components/docs/code-sample";
import { JsonBlock } from "@/components/docs/json-block";
import { Callout, Prose } from "@/components/docs/prose";
import { SampleAppPicker } from "@/components/docs/sample-app-picker";
import { SampleUnavailable } from "@/components/docs/sample-unavailable";
import { getTokenLifetimes } from "@/lib/docs/discovery";
import { getSampleContext } from "@/lib/docs/sample-context";
import { appOnlyScopes, callApiSamples, callApiUnavailable, clientCredentialsSamples, flowUnavailable } from "@/lib/docs/samples";
import { USER_ONLY_SCOPES } from "@/lib/oauth/scopes";

export const metadata: Metadata = { title: "Client credentials" };

export default async function ClientCredentialsPage({ searchParams }: { searchParams: Promise<{ app?: string }> }) {
  const ctx = await getSampleContext({ appId: (await searchParams).app, prefer: "confidential" });
  const unavailable = flowUnavailable(ctx, "client-credentials");
  const scopes = appOnlyScopes(ctx.client);
  const apiNote = unavailable ? null : callApiUnavailable(ctx, scopes);
  return (
    <Prose>
      <h1>Client credentials</h1>
      <p>
        For work with no person in the loop: a nightly job, a backend calling another backend. Your app authenticates as
        itself and gets an access token whose subject is the app. There is no browser, no consent screen and no redirect.
      </p>
      <ul>
        <li>Only confidential apps can use it, and the app needs the client credentials grant turned on in its settings.</li>
        <li>
          Scopes that describe a person ({USER_ONLY_SCOPES.map((s) => <code key={s} className="mr-1">{s}</code>)}) are never
          granted this way. Without a <code>scope</code> parameter you get all the other scopes your app is allowed.
        </li>
        <li>No refresh token is issued: when the access token expires, ask for a new one the same way.</li>
      </ul>
      <SampleAppPicker signedIn={ctx.signedIn} apps={ctx.apps} current={ctx.app} />
      {unavailable && <SampleUnavailable ctx={ctx} reason={unavailable} />}

      <h2>Request a token</h2>
      {!unavailable && <CodeSample title="Token request" samples={clientCredentialsSamples(ctx)} />}
      <JsonBlock
        label="A successful response"
        value={{ access_token: "eyJhbGciOiJFUzI1NiIsInR5cCI6ImF0K2p3dCJ9…", token_type: "Bearer", expires_in: getTokenLifetimes().accessToken, scope: scopes.join(" ") || "account:read" }}
      />
      <Callout tone="warning" title="Keep the secret on the server">
        <p>
          The secret is the whole of your app&apos;s identity here. Store it in your secret manager or environment, never in
          source control. If it leaks, rotate it from your app&apos;s page; a grace period lets you deploy the new one before
          the old one stops working.
        </p>
      </Callout>

      <h2>Call the API</h2>
      {apiNote && <SampleUnavailable ctx={ctx} reason={apiNote} />}
      {!unavailable && <CodeSample title="Using the access token" samples={callApiSamples(ctx, scopes)} />}
    </Prose>
  );
}
