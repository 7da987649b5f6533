"use client";

import Link from "next/link";
import { useEffect, useState, useTransition } from "react";
import type { PlaygroundTokenRequest, PlaygroundTokenResult } from "@/app/playground/callback/actions";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { PlaygroundSecretField } from "./playground-secret-field";
import { clearPlaygroundSession, decodeJwt, loadPlaygroundSession, type PlaygroundSession } from "./playground-session";

interface Paths {
  token: string;
  userinfo: string;
  resource: string;
}

interface HttpResult {
  status: number;
  body: unknown;
}

function Step({ n, title, children }: { n: number; title: string; children: React.ReactNode }) {
  return (
    <section aria-label={title} className="rounded-lg border border-slate-200 dark:border-slate-700 bg-white dark:bg-slate-900 p-5 shadow-sm">
      <h2 className="mb-3 flex items-center gap-2 font-semibold">
        <span className="flex h-6 w-6 items-center justify-center rounded-full bg-brand-100 dark:bg-brand-900 text-xs text-brand-700 dark:text-brand-200">{n}</span>
        {title}
      </h2>
      {children}
    </section>
  );
}

function Json({ value, testId }: { value: unknown; testId?: string }) {
  return (
    <pre className="overflow-x-auto whitespace-pre-wrap break-all rounded-md bg-slate-900 p-3 font-mono text-xs text-slate-100" data-testid={testId}>
      {typeof value === "string" ? value : JSON.stringify(value, null, 2)}
    </pre>
  );
}

function StatusLine({ status }: { status: number }) {
  return <Badge tone={status >= 200 && status < 300 ? "green" : "red"}>HTTP {status}</Badge>;
}

function DecodedJwt({ label, token, testId }: { label: string; token: string; testId: string }) {
  const decoded = decodeJwt(token);
  if (!decoded) return null;
  const exp = typeof decoded.payload.exp === "number" ? new Date(decoded.payload.exp * 1000) : null;
  return (
    <div className="space-y-1">
      <p className="text-sm font-medium">
        {label} <span className="font-normal text-slate-500 dark:text-slate-400">— decoded, not verified. Your app verifies the signature with the JWKS.</span>
      </p>
      <div className="grid gap-2 md:grid-cols-[1fr_2fr]">
        <Json value={decoded.header} />
        <Json value={decoded.payload} testId={testId} />
      </div>
      {exp && <p className="text-xs text-slate-500 dark:text-slate-400">Expires {exp.toLocaleString()}</p>}
    </div>
  );
}

async function fetchJson(input: string, init?: RequestInit): Promise<HttpResult> {
  const response = await fetch(input, init);
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : "";
  } catch {
    /* not JSON */
  }
  return { status: response.status, body };
}

export function PlaygroundCallback({
  paths,
  exchangeWithSecret,
}: {
  paths: Paths;
  exchangeWithSecret: (input: PlaygroundTokenRequest) => Promise<PlaygroundTokenResult>;
}) {
  const [session, setSession] = useState<PlaygroundSession | null | undefined>(undefined);
  const [query, setQuery] = useState<URLSearchParams | null>(null);
  const [secret, setSecret] = useState("");
  const [tokens, setTokens] = useState<HttpResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [calls, setCalls] = useState<Record<string, HttpResult>>({});
  const [pending, startTransition] = useTransition();

  useEffect(() => {
    setSession(loadPlaygroundSession());
    setQuery(new URLSearchParams(window.location.search));
  }, []);

  if (session === undefined || query === null) return <p className="text-sm text-slate-500 dark:text-slate-400">Loading…</p>;
  if (session === null) {
    return (
      <p className="rounded-md border border-slate-200 dark:border-slate-700 bg-white dark:bg-slate-900 p-5 text-sm">
        No playground run is in progress in this tab. Start one from the Playground tab of{" "}
        <Link href="/apps" className="text-brand-600 dark:text-brand-300 underline underline-offset-2">one of your apps</Link>.
      </p>
    );
  }

  const code = query.get("code");
  const returnedState = query.get("state");
  const stateOk = returnedState === session.state;
  const oauthError = query.get("error");
  const confidential = session.clientType === "confidential";
  const tokenBody = (tokens?.body ?? {}) as Record<string, unknown>;
  const accessToken = typeof tokenBody.access_token === "string" ? tokenBody.access_token : null;
  const idToken = typeof tokenBody.id_token === "string" ? tokenBody.id_token : null;
  const refreshToken = typeof tokenBody.refresh_token === "string" ? tokenBody.refresh_token : null;
  const backHref = `/apps/${session.clientId}/playground`;

  const form = new URLSearchParams({ grant_type: "authorization_code", code: code ?? "", redirect_uri: session.redirectUri });
  if (!confidential) form.set("client_id", session.clientId);
  if (session.codeVerifier) form.set("code_verifier", session.codeVerifier);

  function requestTokens(grant: "authorization_code" | "refresh_token") {
    setError(null);
    startTransition(async () => {
      let result: HttpResult;
      if (confidential) {
        const input: PlaygroundTokenRequest =
          grant === "authorization_code"
            ? { grantType: grant, clientId: session!.clientId, clientSecret: secret, code: code ?? "", redirectUri: session!.redirectUri, codeVerifier: session!.codeVerifier ?? undefined }
            : { grantType: grant, clientId: session!.clientId, clientSecret: secret, refreshToken: refreshToken ?? "" };
        const answer = await exchangeWithSecret(input);
        if (answer.message) {
          setError(answer.message);
          return;
        }
        result = answer;
      } else {
        const body = grant === "authorization_code" ? form : new URLSearchParams({ grant_type: "refresh_token", refresh_token: refreshToken ?? "", client_id: session!.clientId });
        result = await fetchJson(paths.token, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body });
      }
      setTokens(result);
      setCalls({});
      if (result.status === 200) clearPlaygroundSession();
    });
  }

  function call(name: string, url: string) {
    startTransition(async () => {
      const result = await fetchJson(url, { headers: { Authorization: `Bearer ${accessToken}` } });
      setCalls((c) => ({ ...c, [name]: result }));
    });
  }

  const preview = [
    `POST ${paths.token}`,
    ...(confidential ? [`Authorization: Basic base64(${session.clientId}:<client secret>)`] : []),
    "Content-Type: application/x-www-form-urlencoded",
    "",
    form.toString().replace(/&/g, "\n&"),
  ].join("\n");

  return (
    <div className="space-y-5">
      <p className="text-sm text-slate-600 dark:text-slate-300">
        App: <strong>{session.appName}</strong> <span className="font-mono text-xs text-slate-500 dark:text-slate-400">{session.clientId}</span> ·{" "}
        <Link href={backHref} className="text-brand-600 dark:text-brand-300 underline underline-offset-2">Back to the playground</Link>
      </p>

      <Step n={1} title="Authorization response">
        <dl className="grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[8rem_1fr]">
          {[...query.entries()].map(([k, v]) => (
            <div key={k} className="contents">
              <dt className="font-mono text-slate-500 dark:text-slate-400">{k}</dt>
              <dd className="break-all font-mono" data-testid={`callback-${k}`}>{v}</dd>
            </div>
          ))}
        </dl>
        <p className="mt-3 text-sm" data-testid="state-check">
          {stateOk ? (
            <Badge tone="green">✓ state matches the one this tab sent</Badge>
          ) : (
            <Badge tone="red">✗ state does not match: a real app must stop here</Badge>
          )}
        </p>
        {oauthError && (
          <p className="mt-3 rounded-md bg-red-50 dark:bg-red-950/60 px-3 py-2 text-sm text-red-800 dark:text-red-200" role="alert">
            Latchkey answered <code>{oauthError}</code>
            {query.get("error_description") ? `: ${query.get("error_description")}` : ""}.{" "}
            {oauthError === "access_denied" ? "You chose Deny on the consent screen." : ""}
          </p>
        )}
      </Step>

      {code && stateOk && (
        <Step n={2} title="Exchange the code">
          <p className="mb-2 text-sm text-slate-600 dark:text-slate-300">
            {confidential
              ? "A confidential app does this from its server. Paste a client secret: the playground uses it for this request only and never stores it."
              : "A public app does this itself, with the PKCE code verifier instead of a secret."}
          </p>
          <Json value={preview} />
          <div className="mt-3 flex flex-wrap items-end gap-3">
            {confidential && (
              <PlaygroundSecretField id="pg-secret" value={secret} onChange={setSecret} className="min-w-72 flex-1 space-y-1" />
            )}
            <Button type="button" onClick={() => requestTokens("authorization_code")} disabled={pending || (confidential && !secret) || tokens?.status === 200}>
              {pending && !tokens ? "Exchanging…" : "Exchange code"}
            </Button>
          </div>
          {error && <p role="alert" className="mt-2 text-sm text-red-600 dark:text-red-400">{error}</p>}
        </Step>
      )}

      {tokens && (
        <Step n={3} title="Token response">
          <div className="space-y-4">
            <StatusLine status={tokens.status} />
            <Json value={tokens.body} testId="token-response" />
            {accessToken && <DecodedJwt label="Access token" token={accessToken} testId="access-token-claims" />}
            {idToken && <DecodedJwt label="ID token" token={idToken} testId="id-token-claims" />}
            {refreshToken && (
              <div className="flex items-center gap-3">
                <Button type="button" variant="secondary" onClick={() => requestTokens("refresh_token")} disabled={pending || (confidential && !secret)}>
                  Refresh the tokens
                </Button>
                <span className="text-xs text-slate-500 dark:text-slate-400">Uses the refresh token; you get a new one each time.</span>
              </div>
            )}
          </div>
        </Step>
      )}

      {accessToken && (
        <Step n={4} title="Call the APIs">
          <div className="flex flex-wrap gap-3">
            <Button type="button" variant="secondary" onClick={() => call("userinfo", paths.userinfo)} disabled={pending}>
              Call userinfo
            </Button>
            <Button type="button" variant="secondary" onClick={() => call("resource", paths.resource)} disabled={pending}>
              Call {paths.resource}
            </Button>
          </div>
          <div className="mt-4 space-y-4">
            {Object.entries(calls).map(([name, result]) => (
              <div key={name} className="space-y-1">
                <p className="text-sm font-medium">
                  GET {name === "userinfo" ? paths.userinfo : paths.resource} <StatusLine status={result.status} />
                </p>
                <Json value={result.body} testId={`${name}-response`} />
              </div>
            ))}
          </div>
        </Step>
      )}
    </div>
  );
}
