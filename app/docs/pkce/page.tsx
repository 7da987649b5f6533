import type { Metadata } from "next";
import Link from "next/link";
import { CodeSample } from "@/components/docs/code-sample";
import { ParamTable } from "@/components/docs/param-table";
import { Callout, Prose } from "@/components/docs/prose";
import { SampleAppPicker } from "@/components/docs/sample-app-picker";
import { SampleUnavailable } from "@/components/docs/sample-unavailable";
import { getSampleContext } from "@/lib/docs/sample-context";
import { authorizeSamples, callApiSamples, callApiUnavailable, codeExchangeSamples, flowUnavailable, pkceSamples, userFlowScopes } from "@/lib/docs/samples";

export const metadata: Metadata = { title: "Authorization code with PKCE" };

export default async function PkcePage({ searchParams }: { searchParams: Promise<{ app?: string }> }) {
  const ctx = await getSampleContext({ appId: (await searchParams).app, prefer: "public" });
  const methods = ctx.discovery.code_challenge_methods_supported;
  const unavailable = flowUnavailable(ctx, "pkce");
  const scopes = userFlowScopes(ctx.client, { refresh: "optional" });
  const apiNote = unavailable ? null : callApiUnavailable(ctx, scopes);
  return (
    <Prose>
      <h1>Authorization code with PKCE</h1>
      <p>
        Apps that run on the person&apos;s own device (single-page apps, mobile and desktop apps) cannot keep a secret:
        anyone can unpack them. PKCE (Proof Key for Code Exchange, RFC 7636) replaces the secret with a one-off one. Before
        each sign-in your app makes up a random <em>code verifier</em> and sends only its hash, the <em>code
        challenge</em>. To redeem the code it must show the verifier, which never travelled through the browser&apos;s
        address bar. A code intercepted on the way back is worthless to anyone else.
      </p>
      <Callout title="Required for public apps">
        <p>
          Latchkey refuses authorization requests from public apps that carry no <code>code_challenge</code>. It supports the{" "}
          {methods.map((m) => <code key={m}>{m}</code>)} method only; the plain method is not accepted. Confidential apps
          may use PKCE too, and should.
        </p>
      </Callout>
      <SampleAppPicker signedIn={ctx.signedIn} apps={ctx.apps} current={ctx.app} />
      {unavailable && <SampleUnavailable ctx={ctx} reason={unavailable} />}

      <h2>1. Make a verifier and its challenge</h2>
      <p>
        The verifier is 43 to 128 characters from <code>A–Z a–z 0–9 - . _ ~</code>. The challenge is the base64url-encoded
        SHA-256 of the verifier, without padding.
      </p>
      <CodeSample title="Creating the PKCE pair in the browser" samples={pkceSamples()} />

      <h2>2. Send the person to Latchkey with the challenge</h2>
      <ParamTable
        params={[
          { name: "code_challenge", required: "required", body: "The hash from step 1." },
          { name: "code_challenge_method", required: "required", body: <>Always <code>S256</code>.</> },
        ]}
      />
      <p>The other parameters are those of the <Link href="/docs/authorization-code">authorization code flow</Link>.</p>
      {!unavailable && <CodeSample title="Authorization request" samples={authorizeSamples(ctx, { pkce: true, scopes })} />}

      <h2>3. Redeem the code with the verifier</h2>
      <p>
        A public app identifies itself with <code>client_id</code> in the form and proves it started the flow with{" "}
        <code>code_verifier</code>. No secret is sent. A confidential app sends the verifier too, and authenticates with
        its secret through HTTP Basic as usual.
      </p>
      {!unavailable && <CodeSample title="Token request" samples={codeExchangeSamples(ctx, { pkce: true })} />}
      <p>
        Client libraries need to be told that the app has no secret, or they send an empty one and get{" "}
        <code>invalid_client</code>. With Auth.js (<code>@auth/core</code>, NextAuth) set{" "}
        <code>client: {"{"} token_endpoint_auth_method: &quot;none&quot; {"}"}</code> on the provider and{" "}
        <code>checks: [&quot;pkce&quot;, &quot;state&quot;]</code> (and <code>idToken: false</code> to read the profile from
        userinfo); with openid-client use <code>client.None()</code> as the
        client authentication; Authlib and requests-oauthlib need <code>token_endpoint_auth_method=&quot;none&quot;</code>{" "}
        (Authlib) or <code>include_client_id=True</code> (requests-oauthlib).
      </p>
      <p>
        Native apps receive the code on a loopback address (<code>http://127.0.0.1:PORT/callback</code>, any port) or a
        private-use scheme such as <code>com.example.app:/callback</code>, following RFC 8252.
      </p>

      <h2>4. Call the API</h2>
      {apiNote && <SampleUnavailable ctx={ctx} reason={apiNote} />}
      {!unavailable && <CodeSample title="Using the access token" samples={callApiSamples(ctx, scopes)} />}
    </Prose>
  );
}
