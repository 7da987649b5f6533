import type { Metadata } from "next";
import { CodeSample } from "@/components/docs/code-sample";
import { JsonBlock } from "@/components/docs/json-block";
import { Callout, Prose } from "@/components/docs/prose";
import { SampleAppPicker } from "@/components/docs/sample-app-picker";
import { SampleUnavailable } from "@/components/docs/sample-unavailable";
import { formatDuration, getTokenLifetimes } from "@/lib/docs/discovery";
import { devicePollSamples, deviceScopes, deviceScriptSamples, deviceStartSamples, deviceFlowUnavailable } from "@/lib/docs/device-samples";
import { getSampleContext } from "@/lib/docs/sample-context";

export const metadata: Metadata = { title: "Device authorization" };

export default async function DeviceFlowPage({ searchParams }: { searchParams: Promise<{ app?: string }> }) {
  const ctx = await getSampleContext({ appId: (await searchParams).app, prefer: "public" });
  const unavailable = deviceFlowUnavailable(ctx);
  const issuer = ctx.discovery.issuer;
  const ttl = getTokenLifetimes();
  return (
    <Prose>
      <h1>Device authorization</h1>
      <p>
        For apps that cannot open a browser or are awkward to type on: a command-line tool, a TV, a headless agent
        (RFC 8628). The app shows a short code; the person opens <code>{issuer}/device</code> on their phone or laptop,
        signs in, enters the code and approves as on the usual consent screen. Meanwhile the app polls the token endpoint
        until the answer arrives.
      </p>
      <ul>
        <li>Turn on the device authorization grant in your app&apos;s settings. Public apps (no secret) can use it.</li>
        <li>To watch the exchange before writing code, open your app&apos;s <strong>Playground</strong>: its device flow section plays the device, shows the user code and every poll.</li>
        <li>
          The user code looks like <code>BCDF-GHJK</code>: no vowels or digits that could be misread, and case, spaces and
          dashes do not matter.
        </li>
        <li>
          Poll no faster than <code>interval</code> seconds. Too soon and the answer is <code>slow_down</code>: add five
          seconds to your interval and keep going.
        </li>
        <li>
          Redeem the device code once. Presenting it again after it brought tokens revokes those tokens, as a replayed
          authorization code does.
        </li>
      </ul>
      <SampleAppPicker signedIn={ctx.signedIn} apps={ctx.apps} current={ctx.app} />
      {unavailable && <SampleUnavailable ctx={ctx} reason={unavailable} />}

      <h2>1. Ask for a code</h2>
      {!unavailable && <CodeSample title="Device authorization request" samples={deviceStartSamples(ctx)} />}
      <JsonBlock
        label="The answer"
        value={{
          device_code: "GmRhmhcxhwAzkoEqiMEg_DnyEysNkuNhszIySk9eS",
          user_code: "WDJB-MJHT",
          verification_uri: `${issuer}/device`,
          verification_uri_complete: `${issuer}/device?user_code=WDJB-MJHT`,
          expires_in: 600,
          interval: 5,
        }}
      />
      <p>
        Show <code>user_code</code> and <code>verification_uri</code> (or a QR code of{" "}
        <code>verification_uri_complete</code>). The codes expire after <code>expires_in</code> seconds.
      </p>

      <h2>2. Poll for the tokens</h2>
      {!unavailable && <CodeSample title="Token request" samples={devicePollSamples(ctx)} />}
      <p>
        Until the person decides, the answer is <code>400</code> with <code>authorization_pending</code>. Then it is either
        the tokens, or <code>access_denied</code> when they said no, or <code>expired_token</code> when the codes ran out.
        With <code>{deviceScopes(ctx).join(" ")}</code> you get an access token ({formatDuration(ttl.accessToken)}), an ID
        token{deviceScopes(ctx).includes("offline_access") ? " and a refresh token" : ""}.
      </p>

      <h2>The whole flow in one script</h2>
      {!unavailable && <CodeSample title="device.mjs" samples={deviceScriptSamples(ctx)} />}
      <Callout tone="info" title="Libraries">
        <p>
          openid-client 6 has it built in: <code>initiateDeviceAuthorization(config, {"{ scope }"})</code>, then{" "}
          <code>pollDeviceAuthorizationGrant(config, response)</code>, which honours <code>interval</code> and{" "}
          <code>slow_down</code> for you.
        </p>
      </Callout>
    </Prose>
  );
}
