import type { Metadata } from "next";
import Link from "next/link";
import { CodeSample } from "@/components/docs/code-sample";
import { Callout, Prose } from "@/components/docs/prose";
import { SampleAppPicker } from "@/components/docs/sample-app-picker";
import { SampleUnavailable } from "@/components/docs/sample-unavailable";
import { getSampleContext } from "@/lib/docs/sample-context";
import { appOnlyScopes, callApiSamples, flowUnavailable, implicitSamples } from "@/lib/docs/samples";

export const metadata: Metadata = { title: "Implicit (deprecated)" };

export default async function ImplicitPage({ searchParams }: { searchParams: Promise<{ app?: string }> }) {
  const ctx = await getSampleContext({ appId: (await searchParams).app, prefer: "public" });
  const supported = ctx.discovery.response_types_supported.includes("token");
  const unavailable = flowUnavailable(ctx, "implicit");
  return (
    <Prose>
      <h1>Implicit flow (deprecated)</h1>
      <Callout tone="warning" title="Do not use this for new apps">
        <p>
          Use <Link href="/docs/pkce">authorization code with PKCE</Link> instead. It works in the same places, in every
          current browser, and fixes everything listed below.
        </p>
      </Callout>
      <p>
        The implicit flow was designed in 2012 for browser apps that could not make cross-origin requests. Instead of a
        code, Latchkey puts the access token straight into the redirect URI&apos;s fragment
        (<code>#access_token=…</code>), and the page reads it from there.
        {supported ? " This server still supports it for apps that turn it on, so older apps keep working." : " This server does not offer it."}
      </p>

      <h2>Why it is deprecated</h2>
      <ul>
        <li><strong>The token travels in the URL.</strong> URLs end up in browser history, in logs, in screenshots and, through scripts on the page, with third parties.</li>
        <li><strong>Nothing proves who receives the token.</strong> There is no second, authenticated step, so a token injected into the redirect is accepted as yours.</li>
        <li><strong>No refresh tokens.</strong> When the token expires the person goes through the flow again, which tempts apps to ask for long-lived tokens.</li>
        <li><strong>The reason for it is gone.</strong> Browsers have supported CORS for years, so a browser app can redeem a code itself, protected by PKCE.</li>
      </ul>
      <p>
        The OAuth 2.0 Security Best Current Practice (RFC 9700) says clients should not use it, and OAuth 2.1 drops it.
      </p>

      {supported && (
        <>
          <h2>How it looks</h2>
          <p>
            Your app must have the implicit grant turned on; the portal marks it as not recommended. The response always
            comes back in the fragment.
          </p>
          <SampleAppPicker signedIn={ctx.signedIn} apps={ctx.apps} current={ctx.app} />
          {unavailable ? (
            <SampleUnavailable ctx={ctx} reason={unavailable} />
          ) : (
            <>
              <CodeSample title="Authorization request" samples={implicitSamples(ctx)} />
              <p>The browser comes back with the token in the fragment; use it like any access token.</p>
              <CodeSample title="Using the access token" samples={callApiSamples(ctx, appOnlyScopes(ctx.client))} />
            </>
          )}
        </>
      )}

      <h2>Moving to PKCE</h2>
      <ol>
        <li>Turn on the authorization code grant for your app (and refresh token, if you want sessions that last).</li>
        <li>Create a code verifier and challenge before redirecting, and send <code>response_type=code</code> with the challenge.</li>
        <li>On return, read <code>code</code> from the query string and POST it with the verifier to the token endpoint.</li>
        <li>Once no client sends <code>response_type=token</code>, turn the implicit grant off.</li>
      </ol>
    </Prose>
  );
}
