import type { AppSummary } from "@/lib/data/clients";

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

type App = Pick<AppSummary, "id" | "source" | "ownerId" | "ownerName" | "ownerEmail" | "websiteUrl">;
type AppLinks = Pick<AppSummary, "name" | "policyUri" | "termsUri">;

/** Apps nobody here reviewed: identified by a metadata document, or registered by themselves and not claimed. */
export function isUnreviewed(app: App): boolean {
  return app.source === "metadata_document" || (app.source === "registration" && app.ownerId === null);
}

/** The line under the app's name: who registered it, and its website. */
export function ConsentClientByline({ app }: { app: App }) {
  const by =
    app.source === "metadata_document"
      ? `Identified by ${hostOf(app.id)}`
      : app.ownerId === null
        ? "Registered itself"
        : `Registered by ${app.ownerName ?? app.ownerEmail}`;
  return (
    <p className="text-sm text-slate-600 dark:text-slate-300">
      {by}
      {app.websiteUrl && (
        <>
          {" · "}
          <a href={app.websiteUrl} className="break-all text-brand-600 underline underline-offset-2 dark:text-brand-300" rel="noopener noreferrer" target="_blank">
            {hostOf(app.websiteUrl)}
          </a>
        </>
      )}
    </p>
  );
}

/** The app's own privacy policy and terms, when it registered them. */
export function ConsentAppLinks({ app }: { app: AppLinks }) {
  const links = [
    { href: app.policyUri, label: "Privacy policy", testId: "consent-policy-link" },
    { href: app.termsUri, label: "Terms of service", testId: "consent-terms-link" },
  ].filter((l): l is { href: string; label: string; testId: string } => l.href !== null);
  if (!links.length) return null;
  return (
    <p className="mt-3 flex flex-wrap gap-x-4 gap-y-1 text-sm">
      {links.map((l) => (
        <a
          key={l.label}
          href={l.href}
          data-testid={l.testId}
          rel="noopener noreferrer"
          target="_blank"
          className="text-brand-600 underline underline-offset-2 dark:text-brand-300"
        >
          {app.name}&apos;s {l.label.toLowerCase()}
        </a>
      ))}
    </p>
  );
}

/**
 * For unreviewed apps: what identifies them, and a warning when every redirect URI is a
 * loopback address (the answer goes to a program on the user's own computer).
 */
export function ConsentUnreviewedNotice({ app, allRedirectsLoopback }: { app: App; allRedirectsLoopback: boolean }) {
  if (!isUnreviewed(app)) return null;
  const host = hostOf(app.id);
  return (
    <div className="mt-4 space-y-2">
      <div data-testid="consent-unreviewed" className="rounded-md border border-amber-300 dark:border-amber-700 bg-amber-50 dark:bg-amber-950/60 px-3 py-2 text-sm text-amber-900 dark:text-amber-100">
        {app.source === "metadata_document" ? (
          <>
            This app is identified by <strong className="font-mono" data-testid="consent-client-host">https://{host}/…</strong> —
            Latchkey has not reviewed it. Only allow it if you trust <strong>{host}</strong>.
          </>
        ) : (
          <>
            This app registered itself — Latchkey has not reviewed it, and whoever registered it chose its name. Only allow it
            if you started this from an app you trust.
          </>
        )}
      </div>
      {allRedirectsLoopback && (
        <p data-testid="consent-loopback-warning" className="rounded-md bg-amber-50 dark:bg-amber-950/60 px-3 py-2 text-sm text-amber-900 dark:text-amber-100">
          After you choose, it will send you back to a program on this computer, not to a website.
        </p>
      )}
    </div>
  );
}
