"use client";

import { useEffect, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { PlaygroundSecretField } from "./playground-secret-field";
import type { DevicePlaygroundRequest, DevicePlaygroundResult } from "@/app/(portal)/apps/[clientId]/playground/device-actions";

interface Started {
  deviceCode: string;
  userCode: string;
  verificationUri: string;
  verificationUriComplete: string;
  interval: number;
  expiresAt: number;
}

type Phase =
  | { kind: "idle" }
  | { kind: "waiting"; started: Started; polls: number; note: string }
  | { kind: "done"; tokens: Record<string, unknown> }
  | { kind: "failed"; error: string; description: string };

/**
 * The device authorization grant (RFC 8628) from the device's side: ask for a user code, show
 * it, and poll the token endpoint at the interval the server sets, as a TV or a CLI would.
 */
export function PlaygroundDevice({
  app,
  scopes,
  run,
}: {
  app: { id: string; type: "confidential" | "public" };
  scopes: string[];
  run: (request: DevicePlaygroundRequest) => Promise<DevicePlaygroundResult>;
}) {
  const [selected, setSelected] = useState(() => scopes.filter((s) => ["openid", "profile", "offline_access"].includes(s)));
  const [secret, setSecret] = useState("");
  const [phase, setPhase] = useState<Phase>({ kind: "idle" });
  const [busy, setBusy] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const clientSecret = app.type === "confidential" ? secret : undefined;

  useEffect(() => () => {
    if (timer.current) clearTimeout(timer.current);
  }, []);

  async function start() {
    setBusy(true);
    const result = await run({ step: "start", clientId: app.id, clientSecret, scope: selected.join(" ") });
    setBusy(false);
    const body = result.body ?? {};
    if (result.status !== 200) {
      setPhase({ kind: "failed", error: String(body.error ?? "request_failed"), description: String(body.error_description ?? result.message ?? "") });
      return;
    }
    const started: Started = {
      deviceCode: String(body.device_code),
      userCode: String(body.user_code),
      verificationUri: String(body.verification_uri),
      verificationUriComplete: String(body.verification_uri_complete ?? body.verification_uri),
      interval: Number(body.interval ?? 5),
      expiresAt: Date.now() + Number(body.expires_in ?? 600) * 1000,
    };
    setPhase({ kind: "waiting", started, polls: 0, note: "Waiting for you to approve the code…" });
    schedule(started, 0);
  }

  function schedule(started: Started, polls: number) {
    timer.current = setTimeout(() => void poll(started, polls + 1), started.interval * 1000);
  }

  async function poll(started: Started, polls: number) {
    const result = await run({ step: "poll", clientId: app.id, clientSecret, deviceCode: started.deviceCode });
    const body = result.body ?? {};
    if (result.status === 200) {
      setPhase({ kind: "done", tokens: body });
      return;
    }
    const error = String(body.error ?? "request_failed");
    if (error === "authorization_pending" || error === "slow_down") {
      // RFC 8628 §3.5: slow_down adds 5 seconds to the interval for this and later polls.
      const next = error === "slow_down" ? { ...started, interval: started.interval + 5 } : started;
      setPhase({ kind: "waiting", started: next, polls, note: error === "slow_down" ? "The server asked to poll more slowly (slow_down)." : "authorization_pending: not approved yet." });
      schedule(next, polls);
      return;
    }
    setPhase({ kind: "failed", error, description: String(body.error_description ?? result.message ?? "") });
  }

  function reset() {
    if (timer.current) clearTimeout(timer.current);
    setPhase({ kind: "idle" });
  }

  return (
    <div className="space-y-4" data-testid="playground-device">
      {phase.kind === "idle" && (
        <>
          <fieldset className="space-y-2">
            <legend className="text-sm font-medium text-slate-700 dark:text-slate-300">Scopes</legend>
            <div className="flex flex-wrap gap-3">
              {scopes.map((s) => (
                <label key={s} className="flex items-center gap-2 text-sm">
                  <input
                    type="checkbox"
                    checked={selected.includes(s)}
                    onChange={(e) => setSelected(e.target.checked ? [...selected, s] : selected.filter((x) => x !== s))}
                  />
                  <code className="text-xs">{s}</code>
                </label>
              ))}
            </div>
          </fieldset>
          {app.type === "confidential" && (
            <PlaygroundSecretField id="pg-device-secret" value={secret} onChange={setSecret} hint="Used for these requests only, never stored." />
          )}
          <Button type="button" onClick={() => void start()} disabled={busy || selected.length === 0 || (app.type === "confidential" && !secret)}>
            {busy ? "Starting…" : "Start device authorization"}
          </Button>
        </>
      )}

      {phase.kind === "waiting" && (
        <div className="space-y-3" role="status">
          <p className="text-sm">On another screen, open the verification page and enter this code:</p>
          <p className="font-mono text-3xl font-semibold tracking-widest" data-testid="playground-device-user-code">{phase.started.userCode}</p>
          <p className="text-sm">
            <a href={phase.started.verificationUriComplete} target="_blank" rel="noreferrer" className="text-brand-700 underline dark:text-brand-300" data-testid="playground-device-link">
              Open {phase.started.verificationUri}
            </a>{" "}
            (this link carries the code)
          </p>
          <p className="text-xs text-slate-600 dark:text-slate-300" data-testid="playground-device-note">
            {phase.note} Polling every {phase.started.interval} s; {phase.polls} polls so far.
          </p>
          <Button type="button" variant="secondary" onClick={reset}>Cancel</Button>
        </div>
      )}

      {phase.kind === "done" && (
        <div className="space-y-2">
          <p className="text-sm font-medium text-green-800 dark:text-green-300">The device is signed in. The token response:</p>
          <pre className="overflow-x-auto rounded-md bg-slate-900 p-3 font-mono text-xs text-slate-100" data-testid="playground-device-tokens" tabIndex={0}>
            {JSON.stringify(phase.tokens, null, 2)}
          </pre>
          <Button type="button" variant="secondary" onClick={reset}>Start again</Button>
        </div>
      )}

      {phase.kind === "failed" && (
        <div className="space-y-2" role="alert">
          <p className="text-sm text-red-700 dark:text-red-300" data-testid="playground-device-error">
            <code>{phase.error}</code>{phase.description ? `: ${phase.description}` : ""}
          </p>
          <Button type="button" variant="secondary" onClick={reset}>Start again</Button>
        </div>
      )}
    </div>
  );
}
