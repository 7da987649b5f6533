"use client";

import { useState } from "react";

/** The app's logo, or the first letter of its name when it has none or the image fails to load. */
export function ConsentAppLogo({ name, logoUrl }: { name: string; logoUrl: string | null }) {
  const [failed, setFailed] = useState(false);
  const box = "h-14 w-14 shrink-0 rounded-xl";
  if (logoUrl && !failed) {
    return (
      // eslint-disable-next-line @next/next/no-img-element
      <img
        src={logoUrl}
        alt=""
        data-testid="consent-app-logo"
        referrerPolicy="no-referrer"
        onError={() => setFailed(true)}
        className={`${box} border border-slate-200 bg-white object-cover dark:border-slate-700`}
      />
    );
  }
  return (
    <div
      aria-hidden
      data-testid="consent-app-avatar"
      className={`${box} flex items-center justify-center bg-brand-100 text-2xl font-semibold text-brand-700 dark:bg-brand-900 dark:text-brand-200`}
    >
      {(name.trim()[0] ?? "?").toUpperCase()}
    </div>
  );
}
