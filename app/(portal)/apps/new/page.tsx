import type { Metadata } from "next";
import Link from "next/link";
import { AppForm } from "@/components/apps/app-form";
import { requireUser } from "@/lib/auth/session";
import { listScopes } from "@/lib/data/scopes";
import { createAppAction } from "./actions";

export const metadata: Metadata = { title: "Create an app" };

export default async function NewAppPage() {
  await requireUser("/apps/new");
  const catalog = await listScopes();
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <div>
        <Link href="/apps" className="text-sm text-brand-600 dark:text-brand-300 underline underline-offset-2">← Your apps</Link>
        <h1 className="mt-2 text-2xl font-semibold">Create an app</h1>
        <p className="text-sm text-slate-600 dark:text-slate-300">
          Register your application to get a client ID. Not sure which options to pick? Read{" "}
          <Link href="/docs" className="text-brand-600 dark:text-brand-300 underline underline-offset-2">which flow to use</Link>.
        </p>
      </div>
      <AppForm
        mode="create"
        action={createAppAction}
        catalog={catalog}
        initial={{
          name: "",
          description: "",
          websiteUrl: "",
          logoUrl: "",
          type: "confidential",
          redirectUris: [],
          webOrigins: [],
          grantTypes: ["authorization_code", "refresh_token"],
          scopes: ["openid"],
          pendingScopes: [],
          defaultScopes: [],
        }}
      />
    </div>
  );
}
