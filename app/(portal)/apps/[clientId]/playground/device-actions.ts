"use server";

import { z } from "zod";
import { currentUser } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { DEVICE_CODE_GRANT_TYPE } from "@/lib/oauth/device-authorization";
import { authorize } from "@/lib/server/action";
import { OAUTH_PATHS, oauth } from "@/lib/server/provider";

const schema = z.discriminatedUnion("step", [
  z.object({ step: z.literal("start"), clientId: z.string().min(1), clientSecret: z.string().optional(), scope: z.string() }),
  z.object({ step: z.literal("poll"), clientId: z.string().min(1), clientSecret: z.string().optional(), deviceCode: z.string().min(1) }),
]);

export type DevicePlaygroundRequest = z.input<typeof schema>;

export interface DevicePlaygroundResult {
  status: number;
  body: Record<string, unknown> | null;
  message?: string;
}

/**
 * The device's side of RFC 8628 for the playground: the device authorization request and one
 * poll of the token endpoint. A confidential app's secret is used for the request only.
 */
export async function devicePlaygroundAction(input: DevicePlaygroundRequest): Promise<DevicePlaygroundResult> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) return { status: 0, body: null, message: parsed.error.issues[0]?.message ?? "Invalid request." };
  const data = parsed.data;
  if ("refused" in (await authorize({ app: "viewer" }, await currentUser(), data.clientId))) {
    return { status: 0, body: null, message: "Sign in as a member of the app's team to use the playground." };
  }
  const form =
    data.step === "start"
      ? new URLSearchParams({ scope: data.scope })
      : new URLSearchParams({ grant_type: DEVICE_CODE_GRANT_TYPE, device_code: data.deviceCode });
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded" };
  if (data.clientSecret) {
    headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(data.clientId)}:${encodeURIComponent(data.clientSecret)}`).toString("base64")}`;
  } else {
    form.set("client_id", data.clientId);
  }
  const request = {
    method: "POST",
    url: new URL(data.step === "start" ? OAUTH_PATHS.deviceAuthorization : OAUTH_PATHS.token, env().issuer),
    headers: { get: (name: string) => headers[name.toLowerCase()] ?? null },
    body: form,
  };
  const response = data.step === "start" ? await oauth().deviceAuthorization(request) : await oauth().token(request);
  try {
    return { status: response.status, body: JSON.parse(response.body) as Record<string, unknown> };
  } catch {
    return { status: response.status, body: null, message: response.body };
  }
}
