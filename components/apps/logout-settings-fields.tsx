import { Field } from "@/components/ui/field";

export interface LogoutSettings {
  postLogoutRedirectUris: string[];
  backchannelLogoutUri: string;
  backchannelLogoutSessionRequired: boolean;
  idTokenSignedResponseAlg: string;
}

const ALGS = [
  { value: "", label: "Server default (RS256)" },
  { value: "RS256", label: "RS256" },
  { value: "ES256", label: "ES256" },
];

/** OpenID Connect settings: sign-out (RP-Initiated and Back-Channel Logout 1.0) and the ID token algorithm. */
export function LogoutSettingsFields({ initial, errors }: { initial: LogoutSettings; errors: Record<string, string> }) {
  return (
    <section className="space-y-4" aria-labelledby="oidc-settings-heading">
      <h2 id="oidc-settings-heading" className="text-sm font-semibold text-slate-800 dark:text-slate-200">OpenID Connect</h2>
      <div className="space-y-1">
        <label htmlFor="field-postLogoutRedirectUris" className="block text-sm font-medium text-slate-700 dark:text-slate-300">Post-logout redirect URIs</label>
        <textarea
          id="field-postLogoutRedirectUris"
          name="postLogoutRedirectUris"
          defaultValue={initial.postLogoutRedirectUris.join("\n")}
          rows={2}
          spellCheck={false}
          autoComplete="off"
          placeholder="https://app.example.com/signed-out"
          aria-invalid={errors.postLogoutRedirectUris ? true : undefined}
          aria-describedby={errors.postLogoutRedirectUris ? "field-postLogoutRedirectUris-hint field-postLogoutRedirectUris-error" : "field-postLogoutRedirectUris-hint"}
          className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 font-mono text-sm shadow-sm focus:border-brand-500 focus:ring-2 focus:ring-brand-100 focus:outline-none dark:border-slate-600 dark:bg-slate-900 dark:focus:ring-brand-900"
        />
        <p id="field-postLogoutRedirectUris-hint" className="text-xs text-slate-600 dark:text-slate-300">
          Where users may be sent after signing out through the end-session endpoint. One per line or separated by spaces; the
          same rules as redirect URIs.
        </p>
        {errors.postLogoutRedirectUris && (
          <p id="field-postLogoutRedirectUris-error" className="text-xs text-red-600 dark:text-red-400" role="alert">{errors.postLogoutRedirectUris}</p>
        )}
      </div>
      <Field
        label="Back-channel logout URI"
        name="backchannelLogoutUri"
        type="url"
        defaultValue={initial.backchannelLogoutUri}
        placeholder="https://app.example.com/backchannel-logout"
        hint="Latchkey POSTs a signed logout token here when a user signs out. https, or http to a loopback address while developing."
        error={errors.backchannelLogoutUri}
      />
      <label className="flex items-start gap-2 text-sm text-slate-700 dark:text-slate-300">
        <input type="checkbox" name="backchannelLogoutSessionRequired" defaultChecked={initial.backchannelLogoutSessionRequired} className="mt-1" />
        <span>Include the session ID (<code>sid</code>) in logout tokens and ID tokens</span>
      </label>
      <div className="space-y-1">
        <label htmlFor="field-idTokenSignedResponseAlg" className="block text-sm font-medium text-slate-700 dark:text-slate-300">ID token signing algorithm</label>
        <select
          id="field-idTokenSignedResponseAlg"
          name="idTokenSignedResponseAlg"
          defaultValue={initial.idTokenSignedResponseAlg}
          aria-invalid={errors.idTokenSignedResponseAlg ? true : undefined}
          className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm dark:border-slate-600 dark:bg-slate-900"
        >
          {ALGS.map((a) => <option key={a.value} value={a.value}>{a.label}</option>)}
        </select>
        {errors.idTokenSignedResponseAlg && <p className="text-xs text-red-600 dark:text-red-400" role="alert">{errors.idTokenSignedResponseAlg}</p>}
      </div>
    </section>
  );
}
