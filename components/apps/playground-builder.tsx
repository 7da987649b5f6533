"use client";

import { useActionState, useEffect, useMemo, useState } from "react";
import { matchesRegisteredRedirectUri } from "@/lib/oauth/redirect-uri";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import {
  codeChallengeFor,
  PLAYGROUND_CALLBACK_PATH,
  randomValue,
  registrableCallback,
  savePlaygroundSession,
} from "./playground-session";
import { IDLE, type FormState } from "@/lib/form-state";

interface PlaygroundApp {
  id: string;
  name: string;
  type: "confidential" | "public";
  redirectUris: string[];
  grantTypes: string[];
}

const PROMPTS = [
  { value: "", label: "Default: ask only when needed" },
  { value: "consent", label: "consent: always show the consent screen" },
  { value: "login", label: "login: sign in again first" },
  { value: "none", label: "none: fail rather than show any page" },
];

const DEFAULT_SCOPES = ["openid", "profile", "email", "account:read"];

export function PlaygroundBuilder({
  app,
  scopes,
  authorizationEndpoint,
  addRedirect,
}: {
  app: PlaygroundApp;
  scopes: { name: string; description: string }[];
  authorizationEndpoint: string;
  addRedirect: (state: FormState, form: FormData) => Promise<FormState>;
}) {
  const [origin, setOrigin] = useState<string | null>(null);
  const [selected, setSelected] = useState(() => scopes.map((s) => s.name).filter((s) => DEFAULT_SCOPES.includes(s)));
  const [pkce, setPkce] = useState(true);
  const [state, setState] = useState("");
  const [nonce, setNonce] = useState("");
  const [prompt, setPrompt] = useState("");
  const [verifier, setVerifier] = useState("");
  const [challenge, setChallenge] = useState("");
  const [added, addAction, adding] = useActionState(addRedirect, IDLE);

  useEffect(() => {
    setOrigin(window.location.origin);
    setState(randomValue(16));
    setNonce(randomValue(16));
    setVerifier(randomValue(32));
  }, []);

  useEffect(() => {
    if (verifier) void codeChallengeFor(verifier).then(setChallenge);
  }, [verifier]);

  const usePkce = pkce || app.type === "public";
  const redirectUri = origin ? `${origin}${PLAYGROUND_CALLBACK_PATH}` : "";
  const registered = redirectUri !== "" && matchesRegisteredRedirectUri(app.redirectUris, redirectUri);

  const url = useMemo(() => {
    if (!origin) return "";
    const params = new URLSearchParams({ response_type: "code", client_id: app.id, redirect_uri: redirectUri, scope: selected.join(" ") });
    if (state) params.set("state", state);
    if (selected.includes("openid") && nonce) params.set("nonce", nonce);
    if (prompt) params.set("prompt", prompt);
    if (usePkce && challenge) {
      params.set("code_challenge", challenge);
      params.set("code_challenge_method", "S256");
    }
    return `${origin}${authorizationEndpoint}?${params}`;
  }, [origin, app.id, redirectUri, selected, state, nonce, prompt, usePkce, challenge, authorizationEndpoint]);

  function run() {
    savePlaygroundSession({
      clientId: app.id,
      clientType: app.type,
      appName: app.name,
      redirectUri,
      state,
      nonce: selected.includes("openid") ? nonce : null,
      codeVerifier: usePkce ? verifier : null,
      scope: selected.join(" "),
      authorizationUrl: url,
    });
    window.location.assign(url);
  }

  if (!origin) return <p className="text-sm text-slate-500 dark:text-slate-400">Loading…</p>;

  return (
    <div className="space-y-6">
      {!registered && (
        <div className="rounded-md border border-amber-300 dark:border-amber-700 bg-amber-50 dark:bg-amber-950/60 p-4 text-sm" role="status" data-testid="playground-redirect-missing">
          <p>
            The playground receives the code at <code className="font-mono">{redirectUri}</code>, which is not one of this
            app&apos;s redirect URIs yet.
          </p>
          <form action={addAction} className="mt-3 flex flex-wrap items-center gap-3">
            <input type="hidden" name="uri" value={registrableCallback(origin)} />
            <Button type="submit" disabled={adding}>
              {adding ? "Adding…" : `Add ${registrableCallback(origin)}`}
            </Button>
            {added.message && added.status !== "ok" && <span role="alert" className="text-red-700 dark:text-red-300">{added.message}</span>}
          </form>
        </div>
      )}

      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-700 dark:text-slate-300">Scopes</legend>
        {scopes.length === 0 && <p className="text-sm text-slate-600 dark:text-slate-300">This app has no scopes yet. Add some in Settings.</p>}
        <div className="grid gap-2 sm:grid-cols-2">
          {scopes.map((s) => (
            <label key={s.name} className="flex gap-2 rounded-md border border-slate-200 dark:border-slate-700 px-3 py-2 text-sm">
              <input
                type="checkbox"
                checked={selected.includes(s.name)}
                onChange={(e) => setSelected(e.target.checked ? [...selected, s.name] : selected.filter((x) => x !== s.name))}
                aria-label={s.name}
                className="mt-1"
              />
              <span>
                <code className="text-xs font-semibold">{s.name}</code>
                <span className="block text-slate-600 dark:text-slate-300">{s.description}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>

      <div className="grid gap-4 sm:grid-cols-2">
        <div className="space-y-1">
          <label htmlFor="pg-state" className="block text-sm font-medium text-slate-700 dark:text-slate-300">state</label>
          <div className="flex gap-2">
            <input id="pg-state" value={state} onChange={(e) => setState(e.target.value)} className="block w-full rounded-md border border-slate-300 dark:border-slate-600 px-3 py-2 font-mono text-sm" />
            <button type="button" onClick={() => setState(randomValue(16))} className="rounded-md border border-slate-300 dark:border-slate-600 bg-white dark:bg-slate-900 px-3 text-xs">New</button>
          </div>
          <p className="text-xs text-slate-500 dark:text-slate-400">Checked when the browser comes back, against forged callbacks.</p>
        </div>
        <div className="space-y-1">
          <label htmlFor="pg-prompt" className="block text-sm font-medium text-slate-700 dark:text-slate-300">prompt</label>
          <select id="pg-prompt" value={prompt} onChange={(e) => setPrompt(e.target.value)} className="block w-full rounded-md border border-slate-300 dark:border-slate-600 bg-white dark:bg-slate-900 px-3 py-2 text-sm">
            {PROMPTS.map((p) => <option key={p.value} value={p.value}>{p.label}</option>)}
          </select>
        </div>
      </div>

      <div className="space-y-2 rounded-md border border-slate-200 dark:border-slate-700 p-4">
        <label className="flex items-center gap-2 text-sm font-medium">
          <input type="checkbox" checked={usePkce} disabled={app.type === "public"} onChange={(e) => setPkce(e.target.checked)} />
          Use PKCE (S256)
          {app.type === "public" && <span className="font-normal text-slate-500 dark:text-slate-400">— required for public apps</span>}
        </label>
        {usePkce && (
          <dl className="grid gap-1 text-xs sm:grid-cols-[8rem_1fr]">
            <dt className="text-slate-500 dark:text-slate-400">code_verifier</dt>
            <dd className="break-all font-mono">{verifier} <span className="text-slate-500 dark:text-slate-400">(stays in this tab)</span></dd>
            <dt className="text-slate-500 dark:text-slate-400">code_challenge</dt>
            <dd className="break-all font-mono">{challenge}</dd>
          </dl>
        )}
      </div>

      <div className="space-y-2">
        <div className="flex items-center justify-between">
          <p className="text-sm font-medium text-slate-700 dark:text-slate-300">Authorization request</p>
          <CopyButton value={url} label="Copy URL" />
        </div>
        <pre className="overflow-x-auto whitespace-pre-wrap break-all rounded-md bg-slate-900 p-3 font-mono text-xs text-slate-100" data-testid="playground-url">{url}</pre>
      </div>

      <Button type="button" onClick={run} disabled={!registered || selected.length === 0 || (usePkce && !challenge)}>
        Run authorization request
      </Button>
      {!registered && <p className="text-xs text-slate-500 dark:text-slate-400">Add the playground&apos;s redirect URI first.</p>}
    </div>
  );
}
