"use server";

import { z } from "zod";
import { currentUser } from "@/lib/auth/session";
import { env } from "@/lib/env";
import { authorize } from "@/lib/server/action";
import { OAUTH_PATHS, oauth } from "@/lib/server/provider";

const schema = z.discriminatedUnion("grantType", [
  z.object({
    grantType: z.literal("authorization_code"),
    clientId: z.string().min(1),
    clientSecret: z.string().min(1, "Paste one of the app's client secrets."),
    code: z.string().min(1),
    redirectUri: z.string().min(1),
    codeVerifier: z.string().optional(),
  }),
  z.object({
    grantType: z.literal("refresh_token"),
    clientId: z.string().min(1),
    clientSecret: z.string().min(1, "Paste one of the app's client secrets."),
    refreshToken: z.string().min(1),
  }),
]);

export type PlaygroundTokenRequest = z.input<typeof schema>;

export interface PlaygroundTokenResult {
  status: number;
  body: unknown;
  message?: string;
}

/**
 * What a confidential app's backend does: calls the token endpoint with its secret.
 * The secret is used for this one request and never stored or logged.
 */
export async function exchangeWithSecretAction(input: PlaygroundTokenRequest): Promise<PlaygroundTokenResult> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) return { status: 0, body: null, message: parsed.error.issues[0]?.message ?? "Invalid request." };
  const data = parsed.data;
  if ("refused" in (await authorize({ app: "viewer" }, await currentUser(), data.clientId))) {
    return { status: 0, body: null, message: "Sign in as a member of the app's team to use the playground." };
  }
  const form = new URLSearchParams({ grant_type: data.grantType });
  if (data.grantType === "authorization_code") {
    form.set("code", data.code);
    form.set("redirect_uri", data.redirectUri);
    if (data.codeVerifier) form.set("code_verifier", data.codeVerifier);
  } else {
    form.set("refresh_token", data.refreshToken);
  }
  const basic = Buffer.from(`${encodeURIComponent(data.clientId)}:${encodeURIComponent(data.clientSecret)}`).toString("base64");
  const headers: Record<string, string> = {
    authorization: `Basic ${basic}`,
    "content-type": "application/x-www-form-urlencoded",
  };
  const response = await oauth().token({
    method: "POST",
    url: new URL(OAUTH_PATHS.token, env().issuer),
    headers: { get: (name) => headers[name.toLowerCase()] ?? null },
    body: form,
  });
  let body: unknown = null;
  try {
    body = JSON.parse(response.body);
  } catch {
    body = response.body;
  }
  return { status: response.status, body };
}
