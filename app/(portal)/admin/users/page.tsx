import type { Metadata } from "next";
import Link from "next/link";
import { AdminNav } from "@/components/admin/admin-nav";
import { ActionButton } from "@/components/action-button";
import { adminUserAction } from "./actions";
import { requireAdmin } from "@/lib/auth/session";
import { listUsers } from "@/lib/data/users";

export const metadata: Metadata = { title: "Users" };
export const dynamic = "force-dynamic";

const roleStyle: Record<string, string> = {
  admin: "bg-brand-100 dark:bg-brand-900/60 text-brand-800 dark:text-brand-200",
  user: "bg-slate-100 dark:bg-slate-800 text-slate-700 dark:text-slate-300",
  blocked: "bg-red-100 dark:bg-red-900/60 text-red-800 dark:text-red-200",
};

const day = (d: Date) => d.toISOString().slice(0, 10);
const minute = (d: Date) => d.toISOString().replace("T", " ").slice(0, 16);

export default async function AdminUsersPage({ searchParams }: { searchParams: Promise<{ q?: string; page?: string }> }) {
  const me = await requireAdmin();
  const params = await searchParams;
  const search = (params.q ?? "").slice(0, 200);
  const { users, total, page, pageCount } = await listUsers({ search, page: Number(params.page) || 1 });
  const pageHref = (p: number) => `/admin/users?${new URLSearchParams({ ...(search ? { q: search } : {}), page: String(p) })}`;
  return (
    <div>
      <h1 className="mb-4 text-2xl font-semibold">Admin console</h1>
      <AdminNav current="/admin/users" />
      <form method="get" role="search" className="mb-4 flex flex-wrap items-end gap-2">
        <label className="text-sm">
          <span className="mb-1 block text-slate-600 dark:text-slate-300">Search users</span>
          <input
            name="q"
            defaultValue={search}
            placeholder="Email or name"
            className="w-64 max-w-full rounded border border-slate-300 dark:border-slate-600 bg-white dark:bg-slate-900 px-2 py-1"
          />
        </label>
        <button type="submit" className="rounded border border-slate-300 dark:border-slate-600 px-3 py-1 text-sm">Search</button>
        <span className="text-sm text-slate-500 dark:text-slate-400" data-testid="user-count">{total} user{total === 1 ? "" : "s"}</span>
      </form>
      <div className="overflow-x-auto rounded-lg border border-slate-200 dark:border-slate-700 bg-white dark:bg-slate-900">
        <table className="w-full text-left text-sm">
          <thead className="border-b border-slate-200 dark:border-slate-700 bg-slate-50 dark:bg-slate-800 text-xs uppercase text-slate-500 dark:text-slate-400">
            <tr>
              <th className="px-3 py-2">User</th>
              <th className="px-3 py-2">Role</th>
              <th className="px-3 py-2">Created</th>
              <th className="px-3 py-2">Last sign-in (UTC)</th>
              <th className="px-3 py-2">Apps owned</th>
              <th className="px-3 py-2">Actions</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id} className="border-b border-slate-100 dark:border-slate-800 align-top last:border-0" data-testid="user-row">
                <td className="px-3 py-2">
                  <Link href={`/admin/users/${u.id}`} className="font-medium text-brand-700 dark:text-brand-300 underline underline-offset-2">{u.email}</Link>
                  {u.name && <div className="text-xs text-slate-500 dark:text-slate-400">{u.name}</div>}
                </td>
                <td className="px-3 py-2">
                  <span data-testid="user-role" className={`rounded-full px-2 py-0.5 text-xs font-medium ${roleStyle[u.role] ?? roleStyle.user}`}>{u.role}</span>
                </td>
                <td className="whitespace-nowrap px-3 py-2 text-xs text-slate-500 dark:text-slate-400">{day(u.createdAt)}</td>
                <td className="whitespace-nowrap px-3 py-2 text-xs text-slate-500 dark:text-slate-400">{u.lastSignInAt ? minute(u.lastSignInAt) : "never"}</td>
                <td className="px-3 py-2 text-xs">
                  {u.apps.length === 0 ? <span className="text-slate-500 dark:text-slate-400">none</span> : u.apps.map((a) => <div key={a.id}>{a.name}</div>)}
                </td>
                <td className="px-3 py-2">
                  <div className="flex flex-wrap gap-2">
                    {u.role === "admin" && <ActionButton key="demote" action={adminUserAction} fields={{ userId: u.id, action: "demote" }} label="Demote" confirm="Remove this user's admin role?" />}
                    {u.role === "user" && <ActionButton key="promote" action={adminUserAction} fields={{ userId: u.id, action: "promote" }} label="Make admin" />}
                    {u.role === "user" && u.id !== me.id && <ActionButton key="block" action={adminUserAction} fields={{ userId: u.id, action: "block" }} label="Block" danger confirm="Block this user? They cannot sign in, their sessions end and every app they connected loses access." />}
                    {u.role === "blocked" && <ActionButton key="unblock" action={adminUserAction} fields={{ userId: u.id, action: "unblock" }} label="Unblock" />}
                    {u.role !== "blocked" && <ActionButton key="email-reset-link" action={adminUserAction} fields={{ userId: u.id, action: "email-reset-link" }} label="Email reset link" />}
                    <ActionButton key="reset-password" action={adminUserAction} fields={{ userId: u.id, action: "reset-password" }} label="Reset password" confirm="Set a new random password for this user? Their current password stops working." secretTestId="new-password" />
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {users.length === 0 && <p className="p-6 text-center text-slate-500 dark:text-slate-400">No users match.</p>}
      </div>
      {pageCount > 1 && (
        <nav aria-label="Pages" className="mt-4 flex items-center gap-3 text-sm">
          {page > 1 && <Link href={pageHref(page - 1)} className="text-brand-700 dark:text-brand-300">Previous</Link>}
          <span className="text-slate-500 dark:text-slate-400">Page {page} of {pageCount}</span>
          {page < pageCount && <Link href={pageHref(page + 1)} className="text-brand-700 dark:text-brand-300">Next</Link>}
        </nav>
      )}
    </div>
  );
}
