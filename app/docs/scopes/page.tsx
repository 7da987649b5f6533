import type { Metadata } from "next";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Prose } from "@/components/docs/prose";
import { listScopes, type ScopeEntry } from "@/lib/data/scopes";
import { USER_ONLY_SCOPES } from "@/lib/oauth/scopes";
import { ScrollRegion } from "@/components/ui/scroll-region";

export const metadata: Metadata = { title: "Scopes" };
export const dynamic = "force-dynamic";

export default async function ScopesPage() {
  const scopes = await listScopes();
  const groups = new Map<string, ScopeEntry[]>();
  for (const s of scopes) groups.set(s.category, [...(groups.get(s.category) ?? []), s]);
  return (
    <Prose>
      <h1>Scopes</h1>
      <p>
        A scope names one kind of access. Your app lists the scopes it wants in the <code>scope</code> parameter, separated
        by spaces; the person sees the description of each on the consent screen, and the access token carries only what
        they approved. Ask for the least you need, when you need it: you can ask for more later, and the person will be
        asked only about what is new.
      </p>
      <p>
        An app can request only the scopes allowed in its <Link href="/docs/app-settings">settings</Link>. Scopes marked
        restricted stay pending until an administrator approves them for your app. Scopes that describe a person (
        {USER_ONLY_SCOPES.map((s) => <code key={s} className="mr-1">{s}</code>)}) are never issued to client credentials.
      </p>
      <p>This list is read from the server&apos;s scope catalog, so it is always current.</p>
      {[...groups].map(([category, entries]) => (
        <section key={category} aria-label={category}>
          <h2>{category}</h2>
          <ScrollRegion label={`${category} scopes`} className="mt-3 rounded-lg border border-slate-200 bg-white dark:border-slate-700 dark:bg-slate-900">
            <table className="w-full text-left text-sm" data-testid="scope-table">
              <thead className="bg-slate-50 dark:bg-slate-800 text-xs uppercase tracking-wide text-slate-500 dark:text-slate-400">
                <tr>
                  <th className="w-44 px-3 py-2 font-medium">Scope</th>
                  <th className="px-3 py-2 font-medium">What the person is told</th>
                  <th className="w-40 px-3 py-2 font-medium">Access</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
                {entries.map((s) => (
                  <tr key={s.name} data-scope={s.name} id={`scope-${s.name}`}>
                    <td className="px-3 py-2 font-mono text-[13px] font-semibold">{s.name}</td>
                    <td className="px-3 py-2">{s.description}</td>
                    <td className="px-3 py-2">
                      {s.restricted ? <Badge tone="amber">Restricted: needs approval</Badge> : <Badge tone="green">Open to every app</Badge>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
        </section>
      ))}
      <h2>OpenID Connect scopes</h2>
      <ul>
        <li><code>openid</code> turns a request into a sign-in: the token response includes an ID token, and the userinfo endpoint answers.</li>
        <li><code>profile</code> and <code>email</code> add the person&apos;s name and email address to the ID token and userinfo.</li>
        <li><code>offline_access</code> tells the person your app keeps working while they are away, using refresh tokens.</li>
      </ul>
    </Prose>
  );
}
