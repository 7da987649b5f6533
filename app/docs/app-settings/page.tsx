import type { Metadata } from "next";
import Link from "next/link";
import { Callout, Prose } from "@/components/docs/prose";
import { MAX_REDIRECT_URIS } from "@/lib/validation/redirect-uri";

export const metadata: Metadata = { title: "App settings" };

export default function AppSettingsDocsPage() {
  return (
    <Prose>
      <h1>App settings</h1>
      <p>
        Everything about an app is managed on its page in the <Link href="/apps">developer portal</Link>. This page explains
        each setting and what Latchkey does with it.
      </p>

      <h2>Name, description, website and logo</h2>
      <p>
        People see the name, logo and website on the consent screen, next to the name of the account that registered the app.
        Use the name people know your product by. The logo should be a square image served over https.
      </p>

      <h2>Client type</h2>
      <ul>
        <li><strong>Confidential</strong>: the app has a server where a secret stays secret. It authenticates to the token endpoint with a client secret.</li>
        <li><strong>Public</strong>: the app runs in a browser, on a phone or on a desktop, where anything it contains can be read. It has no secret and must use <Link href="/docs/pkce">PKCE</Link>.</li>
      </ul>
      <p>The type is chosen at creation and cannot change; register a second app if you need both.</p>

      <h2>Client ID</h2>
      <p>
        The client ID identifies your app in every request. It is not a secret: it appears in URLs and can ship in browser
        and mobile code.
      </p>

      <h2>Redirect URIs</h2>
      <p>
        After someone approves your app, Latchkey sends the browser back only to a URI you registered. The rules keep codes
        and tokens from being sent anywhere else:
      </p>
      <ul>
        <li>Each URI is absolute, such as <code>https://app.example.com/callback</code>.</li>
        <li>Use <code>https</code>. Plain <code>http</code> is accepted only for the loopback hosts <code>127.0.0.1</code>, <code>[::1]</code> and <code>localhost</code>, for local development and native apps.</li>
        <li>Public apps may also use a private-use scheme named after a domain you control, written in reverse: <code>com.example.app:/callback</code> (RFC 8252).</li>
        <li>No fragments (<code>#…</code>) and no wildcards: every URI is registered in full.</li>
        <li>At most {MAX_REDIRECT_URIS} per app.</li>
      </ul>
      <p>
        Matching is exact, character for character, with one exception: a loopback URI matches on any port, because native
        apps pick a free port when they start (RFC 8252, section 7.3). Registering <code>http://127.0.0.1/callback</code>{" "}
        accepts <code>http://127.0.0.1:51004/callback</code>.
      </p>

      <h2>Grant types</h2>
      <ul>
        <li><strong>Authorization code</strong> and <strong>refresh token</strong> are on for new apps.</li>
        <li><strong>Client credentials</strong> is available to confidential apps only.</li>
        <li><strong>Implicit</strong> can be turned on, with a warning; see <Link href="/docs/implicit">why it is deprecated</Link>.</li>
        <li><strong>Password</strong> cannot be chosen in the portal; see <Link href="/docs/password">why not</Link>.</li>
      </ul>

      <h2>Scopes</h2>
      <p>
        The scopes you tick are the most your app may ask for; each request still names the ones it needs. Restricted scopes
        wait for an administrator&apos;s approval, and the app page shows them as pending until then. See the{" "}
        <Link href="/docs/scopes">scope reference</Link>.
      </p>

      <h2>Client secrets</h2>
      <p>
        A confidential app gets its first secret when it is created. Latchkey stores only a hash of it, so it is shown once,
        at that moment; afterwards the portal shows its last four characters, when it was created, when it was last used and
        when it expires.
      </p>
      <h3>Rotating without downtime</h3>
      <ol>
        <li>Choose <strong>Rotate secret</strong> and how long the current secrets keep working: not at all, 1 hour, 24 hours or 7 days.</li>
        <li>Copy the new secret and deploy it. During the grace period both secrets work.</li>
        <li>Check that the old secret&apos;s last use has stopped moving, then revoke it, or let it expire.</li>
      </ol>
      <Callout tone="warning" title="If a secret leaked">
        <p>Rotate with &ldquo;Stop working now&rdquo;, or revoke the leaked secret: it stops working within a second.</p>
      </Callout>
      <p>Every rotation and revocation is recorded in the audit log.</p>

      <h2>Deleting an app</h2>
      <p>
        Deleting an app ends everything it holds: people&apos;s grants, its refresh tokens and its access tokens stop working,
        and its client ID is gone for good. You confirm by typing the app&apos;s name.
      </p>
    </Prose>
  );
}
