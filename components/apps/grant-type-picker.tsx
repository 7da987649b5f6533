"use client";

import type { ClientKind } from "@/lib/validation/redirect-uri";

const GRANTS = [
  {
    value: "authorization_code",
    label: "Authorization code",
    body: "Users sign in to Latchkey and approve; your app receives a short-lived code and exchanges it for tokens. The right choice for almost every app.",
  },
  {
    value: "refresh_token",
    label: "Refresh token",
    body: "Get new access tokens without sending the user through sign-in again (ask for the offline_access scope).",
  },
  {
    value: "client_credentials",
    label: "Client credentials",
    body: "Machine-to-machine calls where your app acts for itself, not for a user.",
  },
  {
    value: "urn:ietf:params:oauth:grant-type:device_code",
    label: "Device authorization",
    body: "TVs, command-line tools and other devices without a browser: the user enters a short code on another device (RFC 8628).",
  },
  {
    value: "implicit",
    label: "Implicit",
    body: "Returns an access token in the redirect URL's fragment.",
  },
] as const;

export function GrantTypePicker({
  value,
  onChange,
  clientType,
  lockedPassword,
  error,
}: {
  value: string[];
  onChange: (value: string[]) => void;
  clientType: ClientKind;
  lockedPassword: boolean;
  error?: string;
}) {
  const toggle = (grant: string, on: boolean) => onChange(on ? [...value, grant] : value.filter((g) => g !== grant));
  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-medium text-slate-700 dark:text-slate-300">Allowed grant types</legend>
      {GRANTS.map((g) => {
        const disabled = g.value === "client_credentials" && clientType === "public";
        const checked = value.includes(g.value) && !disabled;
        return (
          <label
            key={g.value}
            className={`flex gap-3 rounded-md border px-3 py-2 text-sm ${disabled ? "border-slate-100 dark:border-slate-800 bg-slate-50 dark:bg-slate-800 text-slate-500 dark:text-slate-400" : "border-slate-200 dark:border-slate-700"}`}
          >
            <input
              type="checkbox"
              name="grantTypes"
              value={g.value}
              checked={checked}
              disabled={disabled}
              onChange={(e) => toggle(g.value, e.target.checked)}
              className="mt-1"
            />
            <span>
              <span className="font-medium">{g.label}</span> <code className="text-xs text-slate-500 dark:text-slate-400">{g.value}</code>
              <span className="block text-slate-600 dark:text-slate-300">{g.body}</span>
              {disabled && <span className="block text-xs">Only confidential apps can use this: a public app cannot keep a secret.</span>}
              {g.value === "implicit" && (
                <span className="mt-1 block rounded bg-amber-50 dark:bg-amber-950/60 px-2 py-1 text-xs text-amber-800 dark:text-amber-200" role="note">
                  ⚠ Not recommended. Tokens in the URL leak through browser history and referrers, and cannot be
                  refreshed. Use authorization code with PKCE instead.
                </span>
              )}
            </span>
          </label>
        );
      })}
      {lockedPassword && (
        <p className="rounded-md border border-slate-200 dark:border-slate-700 bg-slate-50 dark:bg-slate-800 px-3 py-2 text-xs text-slate-600 dark:text-slate-300">
          <input type="hidden" name="grantTypes" value="password" />
          An administrator enabled the legacy <code>password</code> grant for this app. Only an administrator can change it.
        </p>
      )}
      {error && <p className="text-xs text-red-600 dark:text-red-400" role="alert">{error}</p>}
    </fieldset>
  );
}
