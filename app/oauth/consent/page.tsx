import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getApisByIdentifiers } from "@/lib/data/apis";
import { getApp } from "@/lib/data/clients";
import { listScopes } from "@/lib/data/scopes";
import { getUserById } from "@/lib/data/users";
import { consentCsrfToken, pendingForUser, sessionUser } from "@/lib/server/authorization-flow";
import { errorPageUrl } from "@/lib/server/error-page-url";
import { oauthStore } from "@/lib/server/provider";
import { readClaimsRequest, scopesToConsent } from "@/lib/oauth/claims";
import { issuesRefreshToken } from "@/lib/oauth/grants/issue";
import { isLoopbackRedirectUri } from "@/lib/oauth/redirect-uri";
import { ConsentAppLinks, ConsentClientByline, ConsentUnreviewedNotice } from "@/components/consent-client-notice";
import { ConsentAppLogo } from "@/components/consent-app-logo";
import { ConsentResources, consentResourceList } from "@/components/consent-resources";
import { ConsentScopes } from "@/components/consent-scopes";

export const metadata: Metadata = { title: "Authorize access" };
export const dynamic = "force-dynamic";

export default async function ConsentPage({ searchParams }: { searchParams: Promise<{ id?: string }> }) {
  const id = (await searchParams).id ?? "";
  const session = await sessionUser();
  if (!session) {
    redirect(`/signin?${new URLSearchParams({ callbackUrl: `/oauth/authorize/continue?${new URLSearchParams({ id })}` })}`);
  }
  const pending = await pendingForUser(id, session.userId);
  if (!pending) {
    redirect(errorPageUrl("/oauth/error", "invalid_request", "This authorization request has expired, was already answered, or belongs to another session."));
  }
  const { request } = pending;
  const app = await getApp(request.clientId);
  if (!app || app.status !== "active") {
    redirect(errorPageUrl("/oauth/error", "unauthorized_client", "This application is not active."));
  }
  // Requests kept from before resource indicators existed have no `resource`.
  const resourceIds = request.resource ?? [];
  const [catalog, grant, user, apis] = await Promise.all([
    listScopes(),
    oauthStore().getGrant(session.userId, app.id),
    getUserById(session.userId),
    getApisByIdentifiers(resourceIds),
  ]);
  const resources = consentResourceList(resourceIds, apis, grant);
  const redirectUris = app.redirectUris.length ? app.redirectUris : [request.redirectUri];
  const allRedirectsLoopback = redirectUris.every(isLoopbackRedirectUri);
  const granted = new Set(grant?.scopes ?? []);
  // The claims a request asks for by name are shown under the scopes that cover them.
  const scopes = scopesToConsent(request.scope, readClaimsRequest(request.claims)).map((name) => {
    const entry = catalog.find((s) => s.name === name);
    return {
      name,
      description: entry?.description ?? name,
      category: entry?.category ?? "Other",
      isNew: grant !== null && !granted.has(name),
    };
  });
  // Only the code flow returns refresh tokens (OIDC Core §11: offline_access needs a code).
  const keepsAccess = request.responseType === "code" && issuesRefreshToken(app.grantTypes, request.scope);
  const redirectHost = (() => {
    try {
      const u = new URL(request.redirectUri);
      return u.host || u.protocol;
    } catch {
      return request.redirectUri;
    }
  })();

  return (
    <div className="rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:p-6 dark:border-slate-700 dark:bg-slate-900">
      <div className="flex items-start gap-4">
        <ConsentAppLogo name={app.name} logoUrl={app.logoSrc} />
        <div className="min-w-0">
          <h1 className="text-lg font-semibold break-words sm:text-xl">
            <span data-testid="consent-app-name">{app.name}</span> wants to access your Latchkey account
          </h1>
          <ConsentClientByline app={app} />
        </div>
      </div>
      {app.description && (
        <p className="mt-4 text-sm break-words text-slate-700 dark:text-slate-300" data-testid="consent-app-description">{app.description}</p>
      )}
      <ConsentAppLinks app={app} />
      <ConsentUnreviewedNotice app={app} allRedirectsLoopback={allRedirectsLoopback} />
      {grant && (scopes.some((s) => s.isNew) || resources.some((r) => r.isNew)) && (
        <p className="mt-4 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800 dark:bg-amber-950/60 dark:text-amber-200">
          You already allowed this app some access. It now asks for more: the new items are marked.
        </p>
      )}
      <ConsentResources resources={resources} />
      <ConsentScopes scopes={scopes} appName={app.name} keepsAccess={keepsAccess} />
      <p className="mt-4 text-sm break-words text-slate-600 dark:text-slate-300">
        Signed in as <strong>{user?.email}</strong>.
        After you choose, you will be sent to <strong data-testid="consent-redirect-host">{redirectHost}</strong>.
      </p>
      <form method="post" action="/oauth/consent/decide" className="mt-6 flex gap-3">
        <input type="hidden" name="id" value={id} />
        <input type="hidden" name="csrf_token" value={consentCsrfToken(id, session.userId)} />
        <button type="submit" name="decision" value="deny" className="flex-1 rounded-md border border-slate-300 bg-white px-4 py-2.5 text-sm font-medium text-slate-800 hover:bg-slate-50 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-200 dark:hover:bg-slate-800">
          Deny
        </button>
        <button type="submit" name="decision" value="allow" className="flex-1 rounded-md bg-brand-600 px-4 py-2.5 text-sm font-medium text-white hover:bg-brand-700">
          Allow
        </button>
      </form>
      <p className="mt-4 text-xs text-slate-600 dark:text-slate-400">
        You can remove this app&apos;s access at any time under Connected apps.
      </p>
    </div>
  );
}
