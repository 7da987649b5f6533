import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AdminNav } from "@/components/admin/admin-nav";
import { Card } from "@/components/ui/card";
import { requireAdmin } from "@/lib/auth/session";
import { deletionPlan, getAccount } from "@/lib/data/account";
import { getProfile } from "@/lib/data/profile";
import { getUserById } from "@/lib/data/users";
import { DeleteUserForm } from "./delete-user-form";

export const metadata: Metadata = { title: "User" };
export const dynamic = "force-dynamic";

const LABELS: [string, string][] = [
  ["givenName", "Given name"],
  ["middleName", "Middle name"],
  ["familyName", "Family name"],
  ["nickname", "Nickname"],
  ["preferredUsername", "Preferred username"],
  ["profileUrl", "Profile page"],
  ["image", "Picture"],
  ["website", "Website"],
  ["gender", "Gender"],
  ["birthdate", "Birthdate"],
  ["zoneinfo", "Time zone"],
  ["locale", "Locale"],
  ["phoneNumber", "Phone number"],
  ["addressFormatted", "Address (formatted)"],
  ["addressStreet", "Street address"],
  ["addressLocality", "Locality"],
  ["addressRegion", "Region"],
  ["addressPostalCode", "Postal code"],
  ["addressCountry", "Country"],
];

export default async function AdminUserPage({ params }: { params: Promise<{ userId: string }> }) {
  const me = await requireAdmin();
  const { userId } = await params;
  const [user, account, profile, plan] = await Promise.all([getUserById(userId), getAccount(userId), getProfile(userId), deletionPlan(userId)]);
  if (!user || !account || !profile || !plan) notFound();
  const filled = LABELS.filter(([key]) => profile[key as keyof typeof profile]);
  const apps = [...plan.shared, ...plan.solo];
  const self = user.id === me.id;
  return (
    <div>
      <h1 className="mb-4 text-2xl font-semibold">Admin console</h1>
      <AdminNav current="/admin/users" />
      <p className="mb-4 text-sm">
        <Link href="/admin/users" className="text-brand-700 dark:text-brand-300 underline underline-offset-2">All users</Link>
      </p>
      <div className="grid gap-6 lg:grid-cols-2">
        <Card title={user.email} description={`${user.name ?? "No name"} · ${user.role} · email ${account.emailVerified ? "verified" : "not verified"}`}>
          <h3 className="mb-2 text-sm font-semibold">Profile</h3>
          {filled.length === 0 ? (
            <p className="text-sm text-slate-600 dark:text-slate-300">No profile fields filled in.</p>
          ) : (
            <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm" data-testid="user-profile">
              {filled.map(([key, label]) => (
                <div key={key} className="contents">
                  <dt className="text-slate-600 dark:text-slate-300">{label}</dt>
                  <dd className="break-all">{profile[key as keyof typeof profile]}</dd>
                </div>
              ))}
            </dl>
          )}
        </Card>
        <Card title="Delete user" tone="danger" description="Their sign-ins, grants and tokens end; the account is removed. This cannot be undone.">
          <div className="mb-4 space-y-2 text-sm text-slate-700 dark:text-slate-300" data-testid="deletion-plan">
            {self && <p>This is you: delete your own account on your account page.</p>}
            {plan.lastAdmin && <p>This is the last admin and cannot be deleted.</p>}
            {apps.length === 0 ? (
              <p>They own no apps.</p>
            ) : (
              <p>
                They own {apps.length === 1 ? "one app" : `${apps.length} apps`}: {apps.map((a) => a.name).join(", ")}. Choose whether they are transferred to you
                (you become the owner) or deleted.
              </p>
            )}
          </div>
          <DeleteUserForm userId={user.id} email={user.email} hasApps={apps.length > 0} disabled={self || plan.lastAdmin} />
        </Card>
      </div>
    </div>
  );
}
