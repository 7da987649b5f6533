import type { Metadata } from "next";
import { PlaygroundCallback } from "@/components/apps/playground-callback";
import { OAUTH_PATHS } from "@/lib/server/provider";
import { exchangeWithSecretAction } from "./actions";

export const metadata: Metadata = { title: "Playground callback" };

export default function PlaygroundCallbackPage() {
  return (
    <div className="mx-auto max-w-4xl space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Playground</h1>
        <p className="text-sm text-slate-600 dark:text-slate-300">You are back from Latchkey. This page plays the part of your app&apos;s callback.</p>
      </div>
      <PlaygroundCallback
        paths={{ token: OAUTH_PATHS.token, userinfo: OAUTH_PATHS.userinfo, resource: "/api/v1/me" }}
        exchangeWithSecret={exchangeWithSecretAction}
      />
    </div>
  );
}
