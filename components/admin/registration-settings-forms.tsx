"use client";

import { startTransition, useActionState } from "react";
import { saveMetadataDocumentPolicyAction, saveRegistrationPolicyAction } from "@/app/(portal)/admin/registration/actions";
import { Button } from "@/components/ui/button";
import { IDLE, type FormState } from "@/lib/form-state";

type Submit = (form: FormData) => void;

function submitWith(formAction: Submit) {
  return (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    startTransition(() => formAction(form));
  };
}

function Options<T extends string>({ name, value, options }: { name: string; value: T; options: { value: T; label: string; body: string }[] }) {
  return (
    <div className="grid gap-2">
      {options.map((o) => (
        <label key={o.value} className="flex gap-3 rounded-md border border-slate-200 dark:border-slate-700 px-3 py-2 text-sm has-[:checked]:border-brand-500 has-[:checked]:bg-brand-50 dark:has-[:checked]:bg-brand-950">
          <input type="radio" name={name} value={o.value} defaultChecked={value === o.value} className="mt-1" />
          <span>
            <span className="font-medium">{o.label}</span>
            <span className="block text-slate-600 dark:text-slate-300">{o.body}</span>
          </span>
        </label>
      ))}
    </div>
  );
}

function Result({ state }: { state: FormState }) {
  if (!state.message) return null;
  return <p role={state.status === "ok" ? "status" : "alert"} className={`text-sm ${state.status === "ok" ? "text-emerald-700 dark:text-emerald-300" : "text-red-600 dark:text-red-400"}`}>{state.message}</p>;
}

const REGISTRATION_OPTIONS = [
  { value: "off" as const, label: "Off", body: "Only developers in the portal (and the CLI) create apps; the registration endpoint refuses every request." },
  { value: "open" as const, label: "Open", body: "Any program may register a client, public or confidential, with no credentials. What MCP clients expect; their apps are marked “registered itself” and show a not-reviewed note on the consent screen." },
  { value: "public" as const, label: "Open for public clients only", body: "Anyone may register a public client (PKCE, no secret), such as a desktop or command-line MCP client; confidential clients must be created in the portal." },
  { value: "token" as const, label: "Initial access token required", body: "Registration needs a bearer token you hand out below (RFC 7591 §3): only programs you gave one to can register." },
];

export function RegistrationPolicyForm({ value }: { value: string }) {
  const [state, formAction, pending] = useActionState<FormState, FormData>(saveRegistrationPolicyAction, IDLE);
  return (
    <form onSubmit={submitWith(formAction)} className="space-y-3" aria-label="Registration policy">
      <fieldset className="space-y-2">
        <legend className="sr-only">Dynamic client registration</legend>
        <Options name="registration" value={value as (typeof REGISTRATION_OPTIONS)[number]["value"]} options={REGISTRATION_OPTIONS} />
      </fieldset>
      {state.fieldErrors?.registration && <p role="alert" className="text-xs text-red-600 dark:text-red-400">{state.fieldErrors.registration}</p>}
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={pending}>Save registration policy</Button>
        <Result state={state} />
      </div>
    </form>
  );
}

const METADATA_OPTIONS = [
  { value: "all" as const, label: "Allow all", body: "Any https URL that serves a client metadata document can be a client_id; Latchkey fetches the document at authorization time. Users see the document's host on the consent screen." },
  { value: "listed" as const, label: "Listed domains only", body: "Only documents on the domains below are accepted; every other URL client_id is refused." },
  { value: "off" as const, label: "Off", body: "URL client_ids are refused; clients must be registered." },
];

export function MetadataDocumentPolicyForm({ value, domains }: { value: string; domains: string[] }) {
  const [state, formAction, pending] = useActionState<FormState, FormData>(saveMetadataDocumentPolicyAction, IDLE);
  const errors = state.fieldErrors ?? {};
  return (
    <form onSubmit={submitWith(formAction)} className="space-y-3" aria-label="Metadata document policy">
      <fieldset className="space-y-2">
        <legend className="sr-only">Client ID metadata documents</legend>
        <Options name="metadataDocuments" value={value as (typeof METADATA_OPTIONS)[number]["value"]} options={METADATA_OPTIONS} />
      </fieldset>
      {errors.metadataDocuments && <p role="alert" className="text-xs text-red-600 dark:text-red-400">{errors.metadataDocuments}</p>}
      <div className="space-y-1">
        <label htmlFor="field-metadataDocumentDomains" className="block text-sm font-medium text-slate-700 dark:text-slate-300">Allowed domains</label>
        <p id="field-metadataDocumentDomains-hint" className="text-xs text-slate-500 dark:text-slate-400">
          One per line or separated by spaces: example.com allows that host only, *.example.com its subdomains. Used when the
          policy is “Listed domains only”.
        </p>
        <textarea
          id="field-metadataDocumentDomains"
          name="metadataDocumentDomains"
          defaultValue={domains.join("\n")}
          rows={4}
          spellCheck={false}
          autoComplete="off"
          placeholder={"app.example.com\n*.example.org"}
          aria-invalid={errors.metadataDocumentDomains ? true : undefined}
          aria-describedby="field-metadataDocumentDomains-hint"
          className="block w-full rounded-md border border-slate-300 dark:border-slate-600 bg-white dark:bg-slate-900 px-3 py-2 font-mono text-sm shadow-sm focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-100 dark:focus:ring-brand-900"
        />
        {errors.metadataDocumentDomains && <p role="alert" className="text-xs text-red-600 dark:text-red-400">{errors.metadataDocumentDomains}</p>}
      </div>
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={pending}>Save metadata document policy</Button>
        <Result state={state} />
      </div>
    </form>
  );
}
