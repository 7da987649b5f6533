import type { Metadata } from "next";
import { Callout, Prose } from "@/components/docs/prose";
import { env } from "@/lib/env";

export const metadata: Metadata = { title: "Sign-out (logout)" };

export default function LogoutDocsPage() {
  const issuer = env().issuer;
  return (
    <Prose>
      <h1>Sign-out (logout)</h1>
      <p>
        Every sign-in to Latchkey starts a session, and every ID token issued in it carries that session&apos;s id as{" "}
        <code>sid</code>. Latchkey implements OpenID Connect RP-Initiated Logout 1.0 (your app signs the user out of Latchkey)
        and Back-Channel Logout 1.0 (Latchkey tells your app when the session ends).
      </p>

      <h2>Register your logout URIs</h2>
      <ul>
        <li>
          <strong>Post-logout redirect URIs</strong> (<code>post_logout_redirect_uris</code> at registration): where Latchkey may
          send the browser after sign-out. They follow the redirect URI rules and must match exactly.
        </li>
        <li>
          <strong>Back-channel logout URI</strong> (<code>backchannel_logout_uri</code>): an https endpoint of your server that
          accepts a form POST. It must be reachable from Latchkey on a public address.
        </li>
      </ul>

      <h2>Sign the user out from your app</h2>
      <p>
        Send the browser to the <code>end_session_endpoint</code> from discovery, <code>{issuer}/oauth/logout</code>, by GET or
        form POST:
      </p>
      <pre className="whitespace-pre-wrap break-all">
        <code>{`${issuer}/oauth/logout?id_token_hint=<the ID token>
  &post_logout_redirect_uri=https://app.example/signed-out
  &state=<opaque value>`}</code>
      </pre>
      <ul>
        <li>
          With an <code>id_token_hint</code> for the current session (expired tokens are fine), the user is signed out at once.
          Without one, or for another user, Latchkey asks &ldquo;Sign out of Latchkey?&rdquo; first.
        </li>
        <li>
          <code>post_logout_redirect_uri</code> needs <code>id_token_hint</code> or <code>client_id</code> and must be registered
          exactly; otherwise Latchkey shows an error and never redirects. <code>state</code> comes back unchanged.
        </li>
        <li>
          openid-client: <code className="break-all">client.buildEndSessionUrl(config, {"{ id_token_hint, post_logout_redirect_uri, state }"})</code>.
        </li>
      </ul>

      <h2>Receive back-channel logout tokens</h2>
      <p>
        When a session ends (your app or another one signs the user out, the user signs out of the portal, an admin blocks
        them), Latchkey POSTs <code>logout_token=&lt;JWT&gt;</code> (<code>application/x-www-form-urlencoded</code>) to every app
        that was issued tokens in that session. Verify it like an ID token, against <code>{issuer}/oauth/jwks</code>:
      </p>
      <ul>
        <li>
          header <code>typ</code> is <code>logout+jwt</code>; signed with your app&apos;s ID token algorithm (RS256 unless you
          chose ES256);
        </li>
        <li>
          <code>iss</code> is <code>{issuer}</code>, <code>aud</code> your client ID, <code>iat</code> and a short{" "}
          <code>exp</code>, a unique <code>jti</code>;
        </li>
        <li>
          <code>sub</code> and <code>sid</code> name the user and the session: end your app&apos;s sessions with that{" "}
          <code>sid</code>;
        </li>
        <li>
          <code>events</code> is <code className="break-all">{`{"http://schemas.openid.net/event/backchannel-logout": {}}`}</code>, and there is
          never a <code>nonce</code>.
        </li>
      </ul>
      <p>Answer with a 2xx status. Anything else, or no answer within 5 seconds, counts as a failed attempt.</p>
      <Callout tone="info" title="Retries and failures">
        <p>
          Failed deliveries are retried with growing pauses, up to five attempts; your app&apos;s overview page in the portal
          lists recent deliveries with their status, attempts and last error. Refresh tokens are not revoked by a sign-out:
          offline access outlives the browser session.
        </p>
      </Callout>
    </Prose>
  );
}
