import "server-only";
import type { z } from "zod";
import { currentUser } from "@/lib/auth/session";
import type { Actor } from "@/lib/data/audit";

/** The one state shape of every admin form (useActionState). */
export interface AdminActionState {
  ok?: boolean;
  message?: string;
  fieldErrors?: Record<string, string>;
  /** A secret shown once (a new initial access token). */
  secret?: string;
}

export const ONLY_ADMINS: AdminActionState = { message: "Only admins can do this." };

/** The signed-in admin as an audit actor, or null for anyone else. */
export async function adminActor(): Promise<Actor | null> {
  const user = await currentUser();
  if (!user || user.role !== "admin") return null;
  return { id: user.id, label: user.email };
}

/** The first message per field. */
export function fieldErrorsOf(error: z.ZodError): Record<string, string> {
  const fieldErrors: Record<string, string> = {};
  for (const issue of error.issues) fieldErrors[String(issue.path[0] ?? "form")] ??= issue.message;
  return fieldErrors;
}
