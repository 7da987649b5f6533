import type { Metadata } from "next";
import Link from "next/link";
import { CodeSample } from "@/components/docs/code-sample";
import { JsonBlock } from "@/components/docs/json-block";
import { ParamTable } from "@/components/docs/param-table";
import { Callout, Prose } from "@/components/docs/prose";
import { SampleAppPicker } from "@/components/docs/sample-app-picker";
import { SampleUnavailable } from "@/components/docs/sample-unavailable";
import { formatDuration, getTokenLifetimes } from "@/lib/docs/discovery";
import { getSampleContext } from "@/lib/docs/sample-context";
import { authorizeSamples, callApiSamples, callApiUnavailable, codeExchangeSamples, flowUnavailable, userFlowScopes } from "@/lib/docs/samples";

export const metadata: Metadata = { title: "Authorization code" };

export default async function AuthorizationCodePage({ searchParams }: { searchParams: Promise<{ app?: string }> }) {
  const ctx = await getSampleContext({ appId: (await searchParams).app, prefer: "confidential" });
  const ttl = getTokenLifetimes();
  const unavailable = flowUnavailable(ctx, "authorization-code");
  const scopes = userFlowScopes(ctx.client, { refresh: "optional" });
  const publicApp = ctx.client.type === "public";
  const apiNote = unavailable ? null : callApiUnavailable(ctx, scopes);
  return (
    <Prose>
      <h1>Authorization code</h1>
      <p>
        The flow for apps with a backend. The person signs in on Latchkey, not in your app; your app gets a one-time code
        through the browser and swaps it for tokens in a direct, authenticated call from your server. The tokens never pass
        through the browser, and the swap needs your client secret, so a stolen code is useless on its own.
      </p>
      <SampleAppPicker signedIn={ctx.signedIn} apps={ctx.apps} current={ctx.app} />
      {unavailable && <SampleUnavailable ctx={ctx} reason={unavailable} />}
      {!unavailable && publicApp && (
        <Callout title="A public app">
          <p>
            {ctx.client.name} has no secret, so its samples below use <Link href={`/docs/pkce?app=${encodeURIComponent(ctx.clientId)}`}>PKCE</Link>{" "}
            and send <code>client_id</code> instead of authenticating. Tell your library it has no secret: Auth.js needs{" "}
            <code>client: {"{"} token_endpoint_auth_method: &quot;none&quot; {"}"}</code> on the provider.
          </p>
        </Callout>
      )}

      <h2>1. Send the person to Latchkey</h2>
      <p>Redirect the browser to the authorization endpoint with these query parameters:</p>
      <ParamTable
        params={[
          { name: "response_type", required: "required", body: <>Always <code>code</code>.</> },
          { name: "client_id", required: "required", body: "Your app's client ID." },
          { name: "redirect_uri", required: "required", body: <>One of your registered redirect URIs, character for character (loopback URIs may use any port). Optional only when the app has exactly one.</> },
          { name: "scope", required: "recommended", body: <>Space-separated <Link href="/docs/scopes">scopes</Link>, all of them allowed for your app. Without it you get the app&apos;s default scopes.</> },
          { name: "state", required: "recommended", body: "A random value you keep in the session and compare on return. It stops other sites from feeding your callback their own codes." },
          { name: "code_challenge", required: "recommended", body: <>PKCE, strongly recommended for every app and required for public ones. See <Link href="/docs/pkce">PKCE</Link>.</> },
          { name: "nonce", required: "optional", body: "With openid: echoed inside the ID token so you can tie it to this sign-in." },
          { name: "prompt", required: "optional", body: <><code>login</code> forces a fresh sign-in, <code>consent</code> always shows the consent screen, <code>none</code> fails instead of showing any page.</> },
        ]}
      />
      {!unavailable && <CodeSample title="Authorization request" samples={authorizeSamples(ctx, { scopes })} />}

      <h2>2. The person approves, and comes back with a code</h2>
      <p>
        Latchkey signs the person in if needed and shows what your app asks for. When they allow it, the browser returns to
        your redirect URI with <code>code</code>, your <code>state</code> and <code>iss</code> (the issuer, so you can tell
        which server answered). When they refuse, it carries <code>error=access_denied</code> instead.
      </p>
      <p>
        Check that <code>state</code> matches what you stored before doing anything else. The code works once and expires
        after {formatDuration(ttl.authorizationCode)}.
      </p>

      <h2>3. Exchange the code for tokens</h2>
      <p>
        From your server, POST the code to the token endpoint, authenticating with your client ID and secret through HTTP
        Basic (or as <code>client_id</code> and <code>client_secret</code> form fields). Send the same
        <code>redirect_uri</code> you used in step 1.
      </p>
      {!unavailable && <CodeSample title="Token request" samples={codeExchangeSamples(ctx)} />}
      <JsonBlock
        label="A successful response"
        value={{
          access_token: "eyJhbGciOiJFUzI1NiIsInR5cCI6ImF0K2p3dCJ9…",
          token_type: "Bearer",
          expires_in: ttl.accessToken,
          scope: scopes.join(" ") || "openid profile email",
          refresh_token: "lk_rt_…",
          id_token: "eyJhbGciOiJSUzI1NiJ9…",
        }}
      />
      <p>
        The access token lasts {formatDuration(ttl.accessToken)}. You get a refresh token when your app has the refresh token
        grant turned on and, with <code>openid</code>, asks for <code>offline_access</code>; see{" "}
        <Link href="/docs/refreshing-tokens">refreshing tokens</Link>.
      </p>
      <p>
        The ID token (RS256 unless the app chose otherwise) says who signed in; the claims of <code>profile</code> and{" "}
        <code>email</code> come from the userinfo endpoint, as OpenID Connect Core §5.4 has it when an access token is
        issued. Libraries that build the user from the ID token alone must be told: with Auth.js (<code>@auth/core</code>,
        NextAuth) set <code>idToken: false</code> on the provider, and for a public app also{" "}
        <code>client: {"{"} token_endpoint_auth_method: &quot;none&quot; {"}"}</code>.
      </p>
      <Callout tone="warning" title="A code can be redeemed once">
        <p>If the same code is sent twice, Latchkey treats it as stolen: the second request fails and every token already issued from that code is revoked.</p>
      </Callout>

      <h2>4. Call the API</h2>
      {apiNote && <SampleUnavailable ctx={ctx} reason={apiNote} />}
      {!unavailable && <CodeSample title="Using the access token" samples={callApiSamples(ctx, scopes)} />}
    </Prose>
  );
}
