import type { Metadata } from "next";
import Link from "next/link";
import { FlowTable } from "@/components/docs/flow-table";
import { Callout, Prose } from "@/components/docs/prose";
import { getDiscovery } from "@/lib/docs/discovery";
import { supportedFlows } from "@/lib/docs/flows";

export const metadata: Metadata = { title: "Overview" };

export default async function DocsOverviewPage() {
  const discovery = await getDiscovery();
  const flows = supportedFlows(discovery);
  return (
    <Prose>
      <h1>Build with Latchkey</h1>
      <p>
        Latchkey is an OAuth 2.0 authorization server with OpenID Connect on top. Your app sends people to Latchkey to sign
        in; they see what your app is asking for and decide; Latchkey hands your app tokens that say exactly what it may do.
        Your app never sees a password, and people can take their consent back whenever they like.
      </p>

      <h2>The parts involved</h2>
      <ul>
        <li><strong>The person</strong> owns an account and the data behind it, and is the only one who can approve access.</li>
        <li><strong>Your app</strong> (the client) wants to act for that person, or for itself.</li>
        <li><strong>Latchkey</strong> signs people in, records their consent and issues tokens.</li>
        <li><strong>The API</strong> (a resource server) accepts an access token and checks its scopes. Latchkey ships one at <code>/api/v1/me</code> for you to try.</li>
      </ul>

      <h2>Getting started</h2>
      <ol>
        <li><Link href="/apps/new">Register an app</Link> in the developer portal. You get a client ID, and a secret if your app runs on a server.</li>
        <li>Pick a flow from the table below and follow its page; every page has samples you can paste into a terminal.</li>
        <li>Try the whole round trip in the playground on your app&apos;s page before writing any code.</li>
      </ol>

      <h2>Which flow should I use?</h2>
      <p>
        A flow (a grant type) is the way your app obtains a token. This table lists the flows this server offers right now,
        read from its <Link href="/docs/endpoints">discovery document</Link>.
      </p>
      <FlowTable flows={flows} />
      <ul>
        <li>Acting for a person, with a backend that can keep a secret: <Link href="/docs/authorization-code">authorization code</Link>.</li>
        <li>Acting for a person from a single-page app, a phone or a desktop: <Link href="/docs/pkce">authorization code with PKCE</Link>.</li>
        <li>No person involved, just your service calling an API: <Link href="/docs/client-credentials">client credentials</Link>.</li>
        <li>Keeping access after the first token expires: <Link href="/docs/refreshing-tokens">refresh tokens</Link>.</li>
      </ul>
      <Callout title="One rule of thumb">
        <p>If in doubt, use authorization code with PKCE. It works for every kind of app, and Latchkey requires it for public ones.</p>
      </Callout>

      <h2>Tokens you will see</h2>
      <ul>
        <li><strong>Access token</strong>: a signed JWT your app sends to APIs as <code>Authorization: Bearer …</code>. It expires, usually within an hour.</li>
        <li><strong>Refresh token</strong>: an opaque string your app trades for a fresh access token. Each use returns a new one.</li>
        <li><strong>ID token</strong>: a JWT about the person who signed in, issued when you ask for the <code>openid</code> scope.</li>
      </ul>
    </Prose>
  );
}
