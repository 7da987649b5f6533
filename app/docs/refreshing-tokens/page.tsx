import type { Metadata } from "next";
import { CodeSample } from "@/components/docs/code-sample";
import { Callout, Prose } from "@/components/docs/prose";
import { SampleAppPicker } from "@/components/docs/sample-app-picker";
import { formatDuration, getTokenLifetimes } from "@/lib/docs/discovery";
import { getSampleContext } from "@/lib/docs/sample-context";
import { refreshSamples } from "@/lib/docs/samples";

export const metadata: Metadata = { title: "Refreshing tokens" };

export default async function RefreshingTokensPage({ searchParams }: { searchParams: Promise<{ app?: string }> }) {
  const ctx = await getSampleContext({ appId: (await searchParams).app });
  const ttl = getTokenLifetimes();
  return (
    <Prose>
      <h1>Refreshing tokens</h1>
      <p>
        Access tokens on this server last {formatDuration(ttl.accessToken)}. Rather than sending the person through sign-in
        again, your app can trade a refresh token for a new access token. Refresh tokens last up to{" "}
        {formatDuration(ttl.refreshToken)}.
      </p>
      <h2>When you get one</h2>
      <ul>
        <li>Your app needs the refresh token grant turned on (it is, by default, for new apps).</li>
        <li>You get one from the authorization code exchange, never from client credentials or the implicit flow.</li>
        <li>Ask for <code>offline_access</code> when your app works while the person is away, so they see that on the consent screen.</li>
      </ul>
      <SampleAppPicker signedIn={ctx.signedIn} apps={ctx.apps} current={ctx.app} />

      <h2>Use it</h2>
      <p>
        POST it to the token endpoint with <code>grant_type=refresh_token</code>. Confidential apps authenticate as in the code
        exchange; public apps send their <code>client_id</code>. You may send a narrower <code>scope</code>, never a wider one.
      </p>
      <CodeSample title="Refresh request" samples={refreshSamples(ctx)} />

      <h2>Every refresh returns a new refresh token</h2>
      <p>
        Latchkey rotates refresh tokens: each successful refresh returns a new refresh token and retires the one you sent.
        Store the new one straight away, and make sure two parts of your app do not refresh with the same token at once.
      </p>
      <Callout tone="warning" title="Reuse ends the session">
        <p>
          If a retired refresh token is presented again, Latchkey assumes it was copied by someone else and revokes the whole
          chain: every refresh and access token from that sign-in stops working, and the person has to sign in again.
        </p>
      </Callout>
      <h2>When refreshing fails</h2>
      <p>
        An <code>invalid_grant</code> error means the refresh token expired, was revoked, or the person removed your app
        under Connected apps. Send them through the authorization flow again.
      </p>
    </Prose>
  );
}
