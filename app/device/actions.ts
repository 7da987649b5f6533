"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { currentUser } from "@/lib/auth/session";
import { safeReturnUrl } from "@/lib/auth/safe-return-url";
import { tooManyAttemptsMessage } from "@/lib/auth/too-many-attempts";
import { recordAudit } from "@/lib/data/audit";
import { clientIp } from "@/lib/server/client-ip";
import { oauth } from "@/lib/server/provider";
import { deviceCodeBlocked, recordDeviceCodeFailure } from "@/lib/server/rate-limits";
import { userCodeProblem, type DeviceFormState } from "./form-state";

const decisionSchema = z.object({
  userCode: z.string().trim().min(1, "Enter the code shown on your device.").max(32),
  decision: z.enum(["allow", "deny"]),
});

/** Allow or Deny on the device sign-in page (RFC 8628 §3.3). */
export async function decideDeviceAction(_prev: DeviceFormState, form: FormData): Promise<DeviceFormState> {
  const parsed = decisionSchema.safeParse({ userCode: form.get("user_code") ?? "", decision: form.get("decision") ?? "" });
  const user = await currentUser();
  if (!user) {
    const back = `/device?${new URLSearchParams({ user_code: parsed.success ? parsed.data.userCode : "" })}`;
    redirect(`/signin?${new URLSearchParams({ callbackUrl: safeReturnUrl(back, { fallback: "/device" }) })}`);
  }
  if (!parsed.success) return { message: parsed.error.issues[0]?.message ?? "Check the form." };
  const { userCode, decision } = parsed.data;
  const ip = clientIp(await headers());
  const wait = await deviceCodeBlocked(user.id, ip);
  if (wait !== null) return { message: tooManyAttemptsMessage(wait) };

  const result = await oauth().device.decide(
    userCode,
    decision === "allow" ? { allow: true, userId: user.id, authTime: user.authTime } : { allow: false },
  );
  if (!result.ok) {
    const blocked = await recordDeviceCodeFailure(user.id, ip);
    return { message: blocked !== null ? tooManyAttemptsMessage(blocked) : userCodeProblem(result.reason) };
  }
  const action = result.status === "approved" ? "consent.granted" : "consent.denied";
  await recordAudit({ id: user.id, label: user.email }, action, result.clientId, { scope: result.scope.join(" "), flow: "device" });
  // A page of its own: re-rendering /device?user_code=… would find the code already used.
  redirect(`/device?${new URLSearchParams({ done: result.status })}`);
}
