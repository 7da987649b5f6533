import "server-only";
import { redirect } from "next/navigation";
import type { z } from "zod";
import { currentUser, type SignedInUser } from "../auth/session";
import { safeReturnUrl } from "../auth/safe-return-url";
import { roleOnApp, roleAtLeast, type AppRole } from "../data/app-members";
import type { Actor } from "../data/audit";
import { getApp, type AppSummary } from "../data/clients";
import { fieldErrorsOf, type FormState } from "../form-state";

/**
 * Who may run an action: anyone, a signed-in user, an admin, or a user whose role on the app
 * named by the input's `clientId` is at least the given one (viewer < developer < owner).
 */
export type Access = "public" | "user" | "admin" | { app: AppRole };

/** `raw`: the input as sent, before the schema. */
export type ActionContext<A extends Access> = A extends "public"
  ? { user: SignedInUser | null; actor: Actor | null; raw: Record<string, unknown> }
  : A extends { app: AppRole }
    ? { user: SignedInUser; actor: Actor; raw: Record<string, unknown>; app: AppSummary; role: AppRole }
    : { user: SignedInUser; actor: Actor; raw: Record<string, unknown> };

export interface ActionSpec<A extends Access, S extends z.ZodType, B extends unknown[]> {
  access: A;
  /** The schema the form shares (or one picked once access is known); its field errors come back as `fieldErrors`. */
  schema: S | ((ctx: ActionContext<A>) => S);
  /** The raw input from the form and any bound arguments; default: the form's single values. */
  input?: (form: FormData, ...bound: B) => Record<string, unknown>;
  /** A signed-out user is sent to sign in and back to this path instead of getting a message. */
  signIn?: (raw: Record<string, unknown>) => string;
  /** What an input that fails the schema returns; default: its field errors. */
  invalid?: (error: z.ZodError, raw: Record<string, unknown>) => Omit<FormState, "status">;
}

export type ActionHandler<A extends Access, S extends z.ZodType> = (data: z.output<S>, ctx: ActionContext<A>) => Promise<FormState>;

export const SIGNED_OUT = "Your session ended. Sign in again.";
export const ONLY_ADMINS = "Only admins can do this.";
export const NOT_YOURS = "This app does not exist or you do not have access to it.";

export function roleTooLow(role: AppRole): string {
  return `As ${role === "owner" ? "the owner" : `a ${role}`} of this app you cannot do this.`;
}

/** A refusal a handler can throw from deep inside; it becomes `{ status: "error", message }`. */
export class ActionError extends Error {}

export const fail = (message: string, extra: Omit<FormState, "status" | "message"> = {}): FormState => ({ status: "error", message, ...extra });
export const done = (message?: string, extra: Omit<FormState, "status" | "message"> = {}): FormState => ({ status: "ok", ...(message ? { message } : {}), ...extra });

function formValues(form: FormData): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const key of new Set(form.keys())) if (!key.startsWith("$ACTION")) raw[key] = form.get(key);
  return raw;
}

/**
 * Access alone, for the few actions that take no form (the playground's token exchange): the
 * context, or why not.
 */
export async function authorize(
  access: Access,
  user: SignedInUser | null,
  clientId?: unknown,
): Promise<{ context: { user: SignedInUser | null; actor: Actor | null; app?: AppSummary; role?: AppRole } } | { refused: string }> {
  if (access !== "public" && !user) return { refused: SIGNED_OUT };
  const actor: Actor | null = user ? { id: user.id, label: user.email } : null;
  if (access === "admin" && user!.role !== "admin") return { refused: ONLY_ADMINS };
  if (typeof access !== "object") return { context: { user, actor } };
  const role = typeof clientId === "string" && clientId ? await roleOnApp(user!.id, clientId) : null;
  if (!role) return { refused: NOT_YOURS };
  if (!roleAtLeast(role, access.app)) return { refused: roleTooLow(role) };
  const app = await getApp(clientId as string);
  return app ? { context: { user, actor, app, role } } : { refused: NOT_YOURS };
}

/**
 * The checks every action runs, in order: session, role, app membership, schema. Exported for
 * tests; actions use `action()`, which passes the session's user.
 */
export async function runAction<A extends Access, S extends z.ZodType, B extends unknown[]>(
  spec: ActionSpec<A, S, B>,
  handler: ActionHandler<A, S>,
  user: SignedInUser | null,
  form: FormData,
  bound: B,
): Promise<FormState> {
  const raw = spec.input ? spec.input(form, ...bound) : formValues(form);
  const { access } = spec;
  if (access !== "public" && !user) {
    if (spec.signIn) redirect(`/signin?${new URLSearchParams({ callbackUrl: safeReturnUrl(spec.signIn(raw), { fallback: "/apps" }) })}`);
    return fail(SIGNED_OUT);
  }
  const allowed = await authorize(access, user, raw.clientId);
  if ("refused" in allowed) return fail(allowed.refused);
  const context = { ...allowed.context, raw };
  const schema = typeof spec.schema === "function" ? spec.schema(context as ActionContext<A>) : spec.schema;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const invalid = spec.invalid ? spec.invalid(parsed.error, raw) : fieldErrorsOf(parsed.error);
    return { status: "error", ...invalid };
  }
  try {
    return await handler(parsed.data, context as ActionContext<A>);
  } catch (err) {
    if (err instanceof ActionError) return fail(err.message);
    throw err;
  }
}

/**
 * A server action for `useActionState`: `(…bound, previousState, form) → FormState`. Bound
 * arguments (`action.bind(null, clientId)`) come from the client like the form does, so they are
 * checked the same way.
 */
export function action<const A extends Access, S extends z.ZodType, B extends unknown[] = []>(
  spec: ActionSpec<A, S, B>,
  handler: ActionHandler<A, S>,
): (...args: [...B, FormState, FormData]) => Promise<FormState> {
  return async (...args) => {
    const form = args[args.length - 1];
    const bound = args.slice(0, -2) as unknown as B;
    if (!(form instanceof FormData)) return fail("Send the form again.");
    return runAction(spec, handler, await currentUser(), form, bound);
  };
}
