import Link from "next/link";
import { Callout } from "@/components/docs/prose";
import type { SampleContext } from "@/lib/docs/sample-app";
import { appSettingsHref } from "@/lib/docs/samples";

/** Says why the chosen app has no sample here, with a link to its settings. */
export function SampleUnavailable({ ctx, reason }: { ctx: SampleContext; reason: string }) {
  const settings = appSettingsHref(ctx);
  return (
    <Callout title="No sample for this app" tone="warning">
      <p data-testid="sample-unavailable">
        {reason}
        {settings && (
          <>
            {" "}
            <Link href={settings}>Open its settings</Link>, or pick another app above.
          </>
        )}
      </p>
    </Callout>
  );
}
