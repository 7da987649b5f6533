import type { SecretSummary } from "@/lib/data/clients";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { ScrollRegion } from "@/components/ui/scroll-region";
import { formatRelative, Time } from "@/components/ui/time";
import { RevokeSecretButton } from "./revoke-secret-button";
import { RotateSecretForm } from "./rotate-secret-form";
import { SecretLabel } from "./secret-label";

function isLive(s: SecretSummary, now: Date) {
  return (s.revokedAt === null || s.revokedAt > now) && (s.expiresAt === null || s.expiresAt > now);
}

function SecretStatus({ secret, now }: { secret: SecretSummary; now: Date }) {
  if (secret.revokedAt && secret.revokedAt <= now) return <Badge tone="red">Revoked</Badge>;
  if (secret.expiresAt && secret.expiresAt <= now) return <Badge tone="gray">Expired</Badge>;
  if (secret.expiresAt) return <Badge tone="amber">Stops working {formatRelative(secret.expiresAt, now)}</Badge>;
  return <Badge tone="green">Active</Badge>;
}

function SecretRows({ clientId, secrets, now, live, canManage }: { clientId: string; secrets: SecretSummary[]; now: Date; live: boolean; canManage: boolean }) {
  return (
    <ScrollRegion label={live ? "Working secrets" : "Revoked and expired secrets"}>
    <table className="w-full min-w-[40rem] text-left text-sm">
      <thead className="text-xs uppercase tracking-wide text-slate-500 dark:text-slate-400">
        <tr>
          <th className="py-2 pr-4 font-medium">Secret</th>
          <th className="py-2 pr-4 font-medium">Label</th>
          <th className="py-2 pr-4 font-medium">Status</th>
          <th className="py-2 pr-4 font-medium">Created</th>
          <th className="py-2 pr-4 font-medium">Last used</th>
          <th className="py-2 pr-4 font-medium">Expires</th>
          {live && canManage && <th className="py-2 font-medium"><span className="sr-only">Actions</span></th>}
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
        {secrets.map((s) => (
          <tr key={s.id} data-testid={live ? "live-secret" : "retired-secret"} data-hint={s.hint}>
            <td className="py-2 pr-4 font-mono">…{s.hint}</td>
            <td className="py-2 pr-4"><SecretLabel clientId={clientId} secretId={s.id} hint={s.hint} label={s.label} canEdit={live && canManage} /></td>
            <td className="py-2 pr-4"><SecretStatus secret={s} now={now} /></td>
            <td className="py-2 pr-4 text-slate-600 dark:text-slate-300"><Time value={s.createdAt} /></td>
            <td className="py-2 pr-4 text-slate-600 dark:text-slate-300"><Time value={s.lastUsedAt} /></td>
            <td className="py-2 pr-4 text-slate-600 dark:text-slate-300"><Time value={s.revokedAt ?? s.expiresAt} fallback="Never" relative={false} /></td>
            {live && canManage && (
              <td className="py-2 text-right">
                <RevokeSecretButton clientId={clientId} secretId={s.id} hint={s.hint} last={secrets.length === 1} />
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
    </ScrollRegion>
  );
}

/** `canManage`: rotate and revoke (developers and the owner); viewers only read. */
export function SecretsPanel({ clientId, secrets, canManage = true }: { clientId: string; secrets: SecretSummary[]; canManage?: boolean }) {
  const now = new Date();
  const live = secrets.filter((s) => isLive(s, now));
  const retired = secrets.filter((s) => !isLive(s, now));
  return (
    <Card
      title="Client secrets"
      description="Your server sends a secret with the client ID to prove it is your app. Latchkey keeps only a hash, so a secret is shown once, when it is created."
    >
      <div className="space-y-5">
        {live.length ? (
          <SecretRows clientId={clientId} secrets={live} now={now} live canManage={canManage} />
        ) : (
          <p className="rounded-md bg-red-50 dark:bg-red-950/60 px-3 py-2 text-sm text-red-800 dark:text-red-200" role="status">
            This app has no working secret, so it cannot get tokens. Rotate to create one.
          </p>
        )}
        {canManage ? (
          <RotateSecretForm clientId={clientId} />
        ) : (
          <p className="text-sm text-slate-600 dark:text-slate-300" data-testid="viewer-notice">
            As a viewer you can see this app but not rotate or revoke its secrets.
          </p>
        )}
        {retired.length > 0 && (
          <details className="text-sm">
            <summary className="cursor-pointer text-slate-600 dark:text-slate-300">Revoked and expired secrets ({retired.length})</summary>
            <div className="mt-2"><SecretRows clientId={clientId} secrets={retired} now={now} live={false} canManage={canManage} /></div>
          </details>
        )}
      </div>
    </Card>
  );
}
