import { AppLogo } from "@/components/app-logo";
import type { Metadata } from "next";
import { headers } from "next/headers";
import { requireUser } from "@/lib/auth/session";
import { tooManyAttemptsMessage } from "@/lib/auth/too-many-attempts";
import { getApisByIdentifiers } from "@/lib/data/apis";
import { getApp } from "@/lib/data/clients";
import { listScopes } from "@/lib/data/scopes";
import { issuesRefreshToken } from "@/lib/oauth/grants/issue";
import { clientIp } from "@/lib/server/client-ip";
import { oauth, oauthStore } from "@/lib/server/provider";
import { deviceCodeBlocked, recordDeviceCodeFailure } from "@/lib/server/rate-limits";
import { ConsentClientByline, ConsentUnreviewedNotice } from "@/components/consent-client-notice";
import { ConsentResources, consentResourceList } from "@/components/consent-resources";
import { ConsentScopes } from "@/components/consent-scopes";
import { DeviceDecisionForm } from "./decision-form";
import { userCodeProblem } from "./form-state";

export const metadata: Metadata = { title: "Sign in a device" };
export const dynamic = "force-dynamic";

function CodeEntry({ value, message }: { value: string; message?: string }) {
  return (
    <form method="get" action="/device" className="mt-6 space-y-3">
      <label htmlFor="user_code" className="block text-sm font-medium text-slate-700 dark:text-slate-300">
        Enter the code shown on your device
      </label>
      <input
        id="user_code"
        name="user_code"
        defaultValue={value}
        required
        maxLength={32}
        autoComplete="off"
        autoCapitalize="characters"
        spellCheck={false}
        placeholder="XXXX-XXXX"
        className="block w-full rounded-md border border-slate-300 px-3 py-2 font-mono text-lg tracking-widest uppercase dark:border-slate-600"
      />
      {message && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950/60 dark:text-red-200">
          {message}
        </p>
      )}
      <button type="submit" className="w-full rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700">
        Continue
      </button>
    </form>
  );
}

function Card({ children }: { children: React.ReactNode }) {
  return (
    <div className="mx-auto max-w-lg">
      <div className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm dark:border-slate-700 dark:bg-slate-900">{children}</div>
    </div>
  );
}

export default async function DevicePage({ searchParams }: { searchParams: Promise<{ user_code?: string | string[]; done?: string }> }) {
  const { user_code: raw, done } = await searchParams;
  if (done === "approved" || done === "denied") {
    return (
      <Card>
        <h1 className="text-xl font-semibold">{done === "approved" ? "Device signed in" : "Access denied"}</h1>
        <p data-testid="device-result" className="mt-4 text-sm text-slate-700 dark:text-slate-300">
          {done === "approved"
            ? "Your device is now signed in. You can return to it."
            : "The device was not signed in. You can close this page."}
        </p>
      </Card>
    );
  }
  const entered = (typeof raw === "string" ? raw : "").slice(0, 32);
  const user = await requireUser(entered ? `/device?${new URLSearchParams({ user_code: entered })}` : "/device");
  const heading = <h1 className="text-xl font-semibold">Sign in a device</h1>;
  if (!entered.trim()) {
    return (
      <Card>
        {heading}
        <p className="mt-2 text-sm text-slate-600 dark:text-slate-300">Your TV, command-line tool or other device shows a code. Enter it here to let it use your account.</p>
        <CodeEntry value="" />
      </Card>
    );
  }

  // RFC 8628 §5.1: user codes are short, so wrong guesses are limited per user and address.
  const ip = clientIp(await headers());
  const wait = await deviceCodeBlocked(user.id, ip);
  const lookup = wait === null ? await oauth().device.lookup(entered) : null;
  if (lookup === null || !lookup.ok) {
    const blocked = lookup === null ? wait : await recordDeviceCodeFailure(user.id, ip);
    const message = blocked !== null ? tooManyAttemptsMessage(blocked) : userCodeProblem(lookup!.ok ? "unknown" : lookup!.reason);
    return (
      <Card>
        {heading}
        <CodeEntry value={entered} message={message} />
      </Card>
    );
  }

  const { request, userCode } = lookup;
  const app = await getApp(request.clientId);
  if (!app) {
    return (
      <Card>
        {heading}
        <CodeEntry value={entered} message={userCodeProblem("unknown")} />
      </Card>
    );
  }
  const [catalog, grant, apis] = await Promise.all([
    listScopes(),
    oauthStore().getGrant(user.id, app.id),
    getApisByIdentifiers(request.resource),
  ]);
  const resources = consentResourceList(request.resource, apis, grant);
  const granted = new Set(grant?.scopes ?? []);
  const scopes = request.scope.map((name) => {
    const entry = catalog.find((s) => s.name === name);
    return { name, description: entry?.description ?? name, category: entry?.category ?? "Other", isNew: grant !== null && !granted.has(name) };
  });

  return (
    <Card>
      <DeviceDecisionForm userCode={userCode}>
        <div className="flex items-center gap-4">
          <AppLogo name={app.name} src={app.logoSrc} size="lg" testId="device-app-logo" />
          <div>
            <h1 className="text-xl font-semibold">
              <span data-testid="consent-app-name">{app.name}</span> wants to access your Latchkey account
            </h1>
            <ConsentClientByline app={app} />
          </div>
        </div>
        <p className="mt-4 rounded-md bg-slate-50 px-3 py-2 text-sm text-slate-700 dark:bg-slate-800 dark:text-slate-300">
          Check that your device shows this code:{" "}
          <strong data-testid="device-user-code" className="font-mono text-base tracking-widest">{userCode}</strong>.
          If it does not, or you did not start this, choose Deny.
        </p>
        <ConsentUnreviewedNotice app={app} allRedirectsLoopback={false} />
        {grant && (scopes.some((s) => s.isNew) || resources.some((r) => r.isNew)) && (
          <p className="mt-4 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-800 dark:bg-amber-950/60 dark:text-amber-200">
            You already allowed this app some access. It now asks for more: the new items are marked.
          </p>
        )}
        <ConsentResources resources={resources} />
        <ConsentScopes scopes={scopes} appName={app.name} keepsAccess={issuesRefreshToken(app.grantTypes, request.scope)} />
        <p className="mt-4 text-sm text-slate-600 dark:text-slate-300">
          Signed in as <strong>{user.email}</strong>.
        </p>
      </DeviceDecisionForm>
    </Card>
  );
}
