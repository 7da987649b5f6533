import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/components/ui/card";
import { requireUser } from "@/lib/auth/session";
import { deletionPlan, getAccount } from "@/lib/data/account";
import { getConnectedApps } from "@/lib/data/grants";
import { AppLogo } from "@/components/app-logo";
import { getProfile } from "@/lib/data/profile";
import { listScopes } from "@/lib/data/scopes";
import { DeleteAccountForm, EmailForm, NameForm, PasswordForm, ProfileForm, VerifyEmailButton } from "./account-forms";
import { RemoveAccessButton } from "./remove-access-button";

export const metadata: Metadata = { title: "Account" };
export const dynamic = "force-dynamic";

const formatDate = (d: Date) => d.toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }) + " UTC";

export default async function ConnectedAppsPage() {
  const user = await requireUser("/account");
  const [apps, catalog, account, profile, plan] = await Promise.all([
    getConnectedApps(user.id),
    listScopes(),
    getAccount(user.id),
    getProfile(user.id),
    deletionPlan(user.id),
  ]);
  const describe = (name: string) => catalog.find((s) => s.name === name)?.description ?? name;
  return (
    <div>
      <h1 className="text-2xl font-semibold">Your account</h1>
      <div className="mt-6 grid gap-6 lg:grid-cols-2">
        <Card title="Name">
          <NameForm name={account?.name ?? ""} />
        </Card>
        <Card
          title="Email"
          description={
            <>
              <span data-testid="account-email">{user.email}</span> ·{" "}
              <span data-testid="email-status">{account?.emailVerified ? "verified" : "not verified"}</span>
              {account?.pendingEmail && <> · waiting for confirmation of {account.pendingEmail}</>}
            </>
          }
        >
          <div className="space-y-4">
            {!account?.emailVerified && <VerifyEmailButton />}
            <EmailForm />
          </div>
        </Card>
        <Card title="Password">
          <PasswordForm email={user.email} />
        </Card>
      </div>
      <div className="mt-6">
        <Card title="Profile" description="What apps receive when you share your profile, address or phone number (OpenID Connect standard claims). Leave a field empty to not share it.">
          {profile && <ProfileForm profile={profile} />}
        </Card>
      </div>
      <h2 className="mt-10 text-xl font-semibold">Connected apps</h2>
      <p className="mt-1 text-sm text-slate-600 dark:text-slate-300">Apps you have allowed to use your Latchkey account. Remove access at any time.</p>
      {apps.length === 0 ? (
        <p className="mt-8 rounded-lg border border-dashed border-slate-300 dark:border-slate-600 bg-white dark:bg-slate-900 p-8 text-center text-slate-600 dark:text-slate-300">
          You have not authorised any apps yet. When an app asks for access and you choose Allow, it appears here.
        </p>
      ) : (
        <ul className="mt-6 space-y-4">
          {apps.map((app) => (
            <li key={app.grantId} className="rounded-lg border border-slate-200 dark:border-slate-700 bg-white dark:bg-slate-900 p-5" data-testid="connected-app" aria-label={app.name}>
              <div className="flex items-start justify-between gap-4">
                <div className="flex min-w-0 items-start gap-3">
                  <AppLogo name={app.name} src={app.logoSrc} size="sm" />
                  <div className="min-w-0">
                    <h3 className="font-semibold">{app.name}</h3>
                    {app.websiteUrl && (
                      <a href={app.websiteUrl} className="break-all text-sm text-brand-600 dark:text-brand-300 underline underline-offset-2" rel="noopener noreferrer" target="_blank">
                        {app.websiteUrl}
                      </a>
                    )}
                    <p className="mt-1 text-xs text-slate-500 dark:text-slate-400">
                      Allowed {formatDate(app.grantedAt)}
                      {app.lastUsedAt && <> · last used {formatDate(app.lastUsedAt)}</>}
                    </p>
                  </div>
                </div>
                <RemoveAccessButton grantId={app.grantId} appName={app.name} />
              </div>
              {app.apis.length > 0 && (
                <p className="mt-3 text-sm text-slate-700 dark:text-slate-300" data-testid="connected-app-apis">
                  {`For ${app.apis.length === 1 ? "the API" : "the APIs"}: ${app.apis.map((a) => a.name).join(", ")}`}
                </p>
              )}
              <ul className="mt-3 space-y-1 text-sm text-slate-700 dark:text-slate-300">
                {app.scopes.map((s) => (
                  <li key={s} data-scope={s}>
                    {describe(s)} <span className="font-mono text-xs text-slate-500 dark:text-slate-400">{s}</span>
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
      <div className="mt-10">
        <Card title="Delete account" tone="danger" description="Your account, your sign-ins and every app's access to it end. This cannot be undone.">
          {plan && (
            <div className="mb-4 space-y-2 text-sm text-slate-700 dark:text-slate-300" data-testid="deletion-plan">
              {plan.lastAdmin && <p>You are the only admin: make someone else an admin first.</p>}
              {plan.shared.length > 0 && (
                <p>
                  Transfer these apps to a team member first (on each app&apos;s team page):{" "}
                  {plan.shared.map((a, i) => (
                    <span key={a.id}>
                      {i > 0 && ", "}
                      <Link href={`/apps/${a.id}/team`} className="text-brand-600 dark:text-brand-300 underline underline-offset-2">{a.name}</Link>
                    </span>
                  ))}
                  .
                </p>
              )}
              {plan.solo.length > 0 ? (
                <p>These apps of yours are deleted with it, and their users lose access: {plan.solo.map((a) => a.name).join(", ")}.</p>
              ) : (
                plan.shared.length === 0 && <p>You own no apps.</p>
              )}
            </div>
          )}
          <DeleteAccountForm email={user.email} blocked={!plan || plan.lastAdmin || plan.shared.length > 0} />
        </Card>
      </div>
    </div>
  );
}
