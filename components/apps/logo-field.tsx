"use client";

import { useState } from "react";
import { AppLogo } from "@/components/app-logo";

/** Upload a logo (PNG, JPEG or WebP, checked on the server from its bytes), remove it, or give a URL. */
export function LogoField({
  name,
  logoSrc,
  uploaded,
  logoUrl,
  error,
  urlError,
}: {
  name: string;
  /** What is shown now: the uploaded logo or the URL. */
  logoSrc: string | null;
  uploaded: boolean;
  logoUrl: string;
  error?: string;
  urlError?: string;
}) {
  const [remove, setRemove] = useState(false);
  const [tooLarge, setTooLarge] = useState<string | null>(null);
  error = tooLarge ?? error;
  const described = error ? "field-logo-hint field-logo-error" : "field-logo-hint";
  return (
    <fieldset className="space-y-3">
      <legend className="text-sm font-medium text-slate-700 dark:text-slate-300">Logo</legend>
      <div className="flex flex-wrap items-start gap-4">
        <AppLogo name={name || "?"} src={remove ? null : logoSrc} size="md" testId="logo-preview" />
        <div className="min-w-0 flex-1 space-y-1">
          <label htmlFor="field-logo" className="block text-sm text-slate-700 dark:text-slate-300">Upload a logo</label>
          <input
            id="field-logo"
            name="logo"
            type="file"
            accept="image/png,image/jpeg,image/webp"
            onChange={(e) => {
              // Far too large to send at all (the server checks everything else, from the bytes).
              const file = e.target.files?.[0];
              if (file && file.size > 1024 * 1024) {
                setTooLarge(`The logo is ${Math.ceil(file.size / 1024)} KB; the limit is 256 KB.`);
                e.target.value = "";
              } else setTooLarge(null);
            }}
            aria-invalid={error ? true : undefined}
            aria-describedby={described}
            className="block w-full text-sm text-slate-700 file:mr-3 file:rounded-md file:border file:border-slate-300 file:bg-white file:px-3 file:py-1.5 file:text-sm dark:text-slate-300 dark:file:border-slate-600 dark:file:bg-slate-800 dark:file:text-slate-200"
          />
          <p id="field-logo-hint" className="text-xs text-slate-600 dark:text-slate-300">
            PNG, JPEG or WebP, at most 256 KB, 16 to 1024 pixels on each side; square looks best. SVG is not accepted.
          </p>
          {error && <p id="field-logo-error" className="text-xs text-red-600 dark:text-red-400" role="alert">{error}</p>}
          {uploaded && (
            <label className="flex items-center gap-2 text-sm text-slate-700 dark:text-slate-300">
              <input type="checkbox" name="removeLogo" checked={remove} onChange={(e) => setRemove(e.target.checked)} />
              Remove the uploaded logo
            </label>
          )}
        </div>
      </div>
      <div className="space-y-1">
        <label htmlFor="field-logoUrl" className="block text-sm text-slate-700 dark:text-slate-300">Logo URL (optional)</label>
        <input
          id="field-logoUrl"
          name="logoUrl"
          type="url"
          defaultValue={logoUrl}
          placeholder="https://example.com/logo.png"
          aria-invalid={urlError ? true : undefined}
          aria-describedby={urlError ? "field-logoUrl-error" : "field-logoUrl-hint"}
          className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-brand-500 focus:ring-2 focus:ring-brand-100 focus:outline-none dark:border-slate-600 dark:bg-slate-900 dark:focus:ring-brand-900"
        />
        {urlError ? (
          <p id="field-logoUrl-error" className="text-xs text-red-600 dark:text-red-400" role="alert">{urlError}</p>
        ) : (
          <p id="field-logoUrl-hint" className="text-xs text-slate-600 dark:text-slate-300">Used when no logo is uploaded.</p>
        )}
      </div>
    </fieldset>
  );
}
