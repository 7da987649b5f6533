import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { Time } from "@/components/ui/time";
import { listLogoutDeliveries, MAX_LOGOUT_ATTEMPTS, type LogoutDeliveryStatus } from "@/lib/data/logout-deliveries";

const tone: Record<LogoutDeliveryStatus, BadgeTone> = { delivered: "green", pending: "amber", failed: "red" };

/** Back-channel logout tokens sent to the app recently, so its developers see failures. */
export async function LogoutDeliveriesPanel({ clientId }: { clientId: string }) {
  const deliveries = await listLogoutDeliveries(clientId);
  return (
    <Card
      title="Logout deliveries"
      description={`Back-channel logout tokens sent to your app when a user's Latchkey session ends. Failed attempts are retried with backoff, up to ${MAX_LOGOUT_ATTEMPTS} times.`}
    >
      {deliveries.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-300">
          None yet. Register a back-channel logout URI in Settings to be told when users sign out.
        </p>
      ) : (
        <ul className="divide-y divide-slate-200 text-sm dark:divide-slate-700" data-testid="logout-deliveries">
          {deliveries.map((d) => (
            <li key={d.id} className="py-2">
              <div className="flex flex-wrap items-center gap-2">
                <Badge tone={tone[d.status]}>{d.status}</Badge>
                <span className="font-mono break-all">{d.uri}</span>
              </div>
              <p className="mt-1 text-slate-600 dark:text-slate-300">
                <Time value={d.createdAt} /> · {d.attempts} {d.attempts === 1 ? "attempt" : "attempts"}
                {d.status === "pending" && d.attempts > 0 && (
                  <>
                    {" "}· next <Time value={d.nextAttemptAt} />
                  </>
                )}
              </p>
              {d.lastError && d.status !== "delivered" && <p className="mt-1 text-red-700 dark:text-red-300">{d.lastError}</p>}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
