import type { Metadata } from "next";
import Link from "next/link";
import { CodeSample } from "@/components/docs/code-sample";
import { Callout, Prose } from "@/components/docs/prose";
import { SampleAppPicker } from "@/components/docs/sample-app-picker";
import { SampleUnavailable } from "@/components/docs/sample-unavailable";
import { getSampleContext } from "@/lib/docs/sample-context";
import { flowUnavailable, passwordSamples } from "@/lib/docs/samples";

export const metadata: Metadata = { title: "Password (legacy)" };

export default async function PasswordPage({ searchParams }: { searchParams: Promise<{ app?: string }> }) {
  const ctx = await getSampleContext({ appId: (await searchParams).app, prefer: "confidential" });
  const unavailable = flowUnavailable(ctx, "password");
  return (
    <Prose>
      <h1>Resource owner password (legacy)</h1>
      <Callout tone="danger" title="Not available to developers">
        <p>
          You cannot turn this grant on in the portal. An administrator can enable it for a single app, for one purpose:
          moving an old first-party app off its own password handling. New apps should use the{" "}
          <Link href="/docs/authorization-code">authorization code flow</Link>.
        </p>
      </Callout>
      <p>
        In this flow the app shows its own sign-in form, collects the person&apos;s email and password, and sends them to
        the token endpoint. It dates from the time when OAuth had to fit around existing login screens.
      </p>

      <h2>Why not</h2>
      <ul>
        <li><strong>The app sees the password.</strong> The whole point of OAuth is that it should not: a compromised or careless app now holds the keys to the account, not just a limited token.</li>
        <li><strong>It teaches people to type their password anywhere.</strong> That is exactly what phishing relies on.</li>
        <li><strong>Latchkey cannot protect the sign-in.</strong> No consent screen, no single sign-on, no room for a second factor or any other check the server would add later.</li>
        <li><strong>Consent is implied, not given.</strong> The person never sees which scopes the app gets.</li>
      </ul>
      <p>RFC 9700 (OAuth 2.0 Security Best Current Practice) says it must not be used, and OAuth 2.1 removes it.</p>

      {ctx.discovery.grant_types_supported.includes("password") && (
        <>
          <h2>For apps an administrator enabled</h2>
          <SampleAppPicker signedIn={ctx.signedIn} apps={ctx.apps} current={ctx.app} />
          {unavailable ? <SampleUnavailable ctx={ctx} reason={unavailable} /> : <CodeSample title="Token request" samples={passwordSamples(ctx)} />}
        </>
      )}
    </Prose>
  );
}
