import type { Metadata } from "next";
import Link from "next/link";
import { CodeSample } from "@/components/docs/code-sample";
import { Callout, Prose } from "@/components/docs/prose";
import { SampleAppPicker } from "@/components/docs/sample-app-picker";
import { SampleUnavailable } from "@/components/docs/sample-unavailable";
import { formatDuration, getTokenLifetimes } from "@/lib/docs/discovery";
import { getSampleContext } from "@/lib/docs/sample-context";
import { authorizeSamples, flowUnavailable, refreshSamples, userFlowScopes } from "@/lib/docs/samples";

export const metadata: Metadata = { title: "Refreshing tokens" };

export default async function RefreshingTokensPage({ searchParams }: { searchParams: Promise<{ app?: string }> }) {
  const ctx = await getSampleContext({ appId: (await searchParams).app });
  const ttl = getTokenLifetimes();
  const unavailable = flowUnavailable(ctx, "refresh");
  const scopes = userFlowScopes(ctx.client, { refresh: "required" });
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
        <li>
          With <code>openid</code> in the scope, you get one only when you also ask for <code>offline_access</code> (and your
          app may use it), so the person sees on the consent screen that your app keeps access while they are away. Without{" "}
          <code>openid</code>, the refresh token grant alone decides.
        </li>
      </ul>
      <SampleAppPicker signedIn={ctx.signedIn} apps={ctx.apps} current={ctx.app} />
      {unavailable && <SampleUnavailable ctx={ctx} reason={unavailable} />}

      <h2>Ask for one</h2>
      <p>
        Start the <Link href="/docs/authorization-code">authorization code flow</Link> with a scope that brings a refresh
        token back, and redeem the code as usual; the token response then carries <code>refresh_token</code>.
      </p>
      {!unavailable && <CodeSample title="Authorization request" samples={authorizeSamples(ctx, { scopes })} />}

      <h2>Use it</h2>
      <p>
        POST it to the token endpoint with <code>grant_type=refresh_token</code>. Confidential apps authenticate as in the code
        exchange; public apps send their <code>client_id</code>. You may send a narrower <code>scope</code>, never a wider one.
      </p>
      {!unavailable && <CodeSample title="Refresh request" samples={refreshSamples(ctx)} />}

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
