"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { tooManyAttemptsMessage } from "@/lib/auth/too-many-attempts";
import { recordAudit } from "@/lib/data/audit";
import { recordSessionClient } from "@/lib/data/op-sessions";
import { action, fail } from "@/lib/server/action";
import { clientIp } from "@/lib/server/client-ip";
import { oauth } from "@/lib/server/provider";
import { deviceCodeBlocked, recordDeviceCodeFailure } from "@/lib/server/rate-limits";
import { userCodeProblem } from "./form-state";

const decisionSchema = z.object({
  userCode: z.string().trim().min(1, "Enter the code shown on your device.").max(32),
  decision: z.enum(["allow", "deny"]),
});

/** Allow or Deny on the device sign-in page (RFC 8628 §3.3). */
export const decideDeviceAction = action(
  {
    access: "user",
    schema: decisionSchema,
    input: (form) => ({ userCode: form.get("user_code") ?? "", decision: form.get("decision") ?? "" }),
    signIn: (raw) => `/device?${new URLSearchParams({ user_code: String(raw.userCode ?? "").trim().slice(0, 32) })}`,
    invalid: (error) => ({ message: error.issues[0]?.message ?? "Check the form." }),
  },
  async ({ userCode, decision }, { user, actor }) => {
    const ip = clientIp(await headers());
    const wait = await deviceCodeBlocked(user.id, ip);
    if (wait !== null) return fail(tooManyAttemptsMessage(wait));

    const result = await oauth().device.decide(
      userCode,
      decision === "allow" ? { allow: true, userId: user.id, authTime: user.authTime, sessionId: user.sessionId } : { allow: false },
    );
    if (!result.ok) {
      const blocked = await recordDeviceCodeFailure(user.id, ip);
      return fail(blocked !== null ? tooManyAttemptsMessage(blocked) : userCodeProblem(result.reason));
    }
    // The device's ID tokens carry this sign-in's sid, and its logout reaches the app.
    if (result.status === "approved" && user.sessionId) await recordSessionClient(user.sessionId, result.clientId);
    const action = result.status === "approved" ? "consent.granted" : "consent.denied";
    await recordAudit(actor, action, result.clientId, { scope: result.scope.join(" "), flow: "device" });
    // A page of its own: re-rendering /device?user_code=… would find the code already used.
    redirect(`/device?${new URLSearchParams({ done: result.status })}`);
  },
);
