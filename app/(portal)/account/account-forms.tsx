"use client";

import { signOut } from "next-auth/react";
import { useActionState, useEffect } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { IDLE, type FormState } from "@/lib/form-state";
import type { ProfileInput } from "@/lib/validation/profile";
import { FormMessage } from "../../reset-password/reset-forms";
import {
  changeEmailAction,
  changeNameAction,
  changePasswordAction,
  deleteAccountAction,
  sendVerificationAction,
  updateProfileAction,
} from "./actions";

const useForm = (fn: (state: FormState, form: FormData) => Promise<FormState>) => useActionState<FormState, FormData>(fn, IDLE);

export function NameForm({ name }: { name: string }) {
  const [state, formAction, pending] = useForm(changeNameAction);
  return (
    <form action={formAction} className="space-y-3" aria-label="Name">
      <Field label="Name" name="name" autoComplete="name" defaultValue={name} error={state.fieldErrors?.name} />
      <FormMessage state={state} />
      <Button type="submit" variant="secondary" disabled={pending}>{pending ? "Saving…" : "Save name"}</Button>
    </form>
  );
}

export function VerifyEmailButton() {
  const [state, formAction, pending] = useForm(sendVerificationAction);
  return (
    <form action={formAction} className="space-y-2">
      <Button type="submit" variant="secondary" disabled={pending}>{pending ? "Sending…" : "Send verification email"}</Button>
      <FormMessage state={state} />
    </form>
  );
}

export function EmailForm() {
  const [state, formAction, pending] = useForm(changeEmailAction);
  return (
    <form action={formAction} className="space-y-3" aria-label="Change email">
      <Field label="New email" name="email" type="email" autoComplete="email" required error={state.fieldErrors?.email} />
      <FormMessage state={state} />
      <Button type="submit" variant="secondary" disabled={pending}>{pending ? "Sending…" : "Change email"}</Button>
    </form>
  );
}

export function PasswordForm({ email }: { email: string }) {
  const [state, formAction, pending] = useForm(changePasswordAction);
  return (
    <form action={formAction} className="space-y-3" aria-label="Change password">
      <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
      <Field label="Current password" name="currentPassword" type="password" autoComplete="current-password" required error={state.fieldErrors?.currentPassword} />
      <Field label="New password" name="newPassword" type="password" autoComplete="new-password" required hint="At least 8 characters." error={state.fieldErrors?.newPassword} />
      <FormMessage state={state} />
      <Button type="submit" variant="secondary" disabled={pending}>{pending ? "Saving…" : "Change password"}</Button>
    </form>
  );
}

const PROFILE_LAYOUT: { legend: string; fields: [keyof ProfileInput, string, Record<string, string>?][] }[] = [
  {
    legend: "Name",
    fields: [
      ["givenName", "Given name", { autoComplete: "given-name" }],
      ["middleName", "Middle name", { autoComplete: "additional-name" }],
      ["familyName", "Family name", { autoComplete: "family-name" }],
      ["nickname", "Nickname", { autoComplete: "nickname" }],
      ["preferredUsername", "Preferred username", { autoComplete: "username" }],
    ],
  },
  {
    legend: "Links",
    fields: [
      ["profileUrl", "Profile page URL", { type: "url", placeholder: "https://" }],
      ["image", "Picture URL", { type: "url", placeholder: "https://" }],
      ["website", "Website", { type: "url", autoComplete: "url", placeholder: "https://" }],
    ],
  },
  {
    legend: "About you",
    fields: [
      ["gender", "Gender", { autoComplete: "sex" }],
      ["birthdate", "Birthdate", { placeholder: "YYYY-MM-DD or YYYY", hint: "YYYY-MM-DD, or just the year." }],
      ["zoneinfo", "Time zone", { placeholder: "Europe/Paris" }],
      ["locale", "Locale", { placeholder: "en-US", autoComplete: "language" }],
      ["phoneNumber", "Phone number", { type: "tel", autoComplete: "tel", placeholder: "+1 555 0100", hint: "E.164 recommended, e.g. +15550100." }],
    ],
  },
  {
    legend: "Address",
    fields: [
      ["addressFormatted", "Full address (as printed)"],
      ["addressStreet", "Street address", { autoComplete: "street-address" }],
      ["addressLocality", "City or locality", { autoComplete: "address-level2" }],
      ["addressRegion", "Region", { autoComplete: "address-level1" }],
      ["addressPostalCode", "Postal code", { autoComplete: "postal-code" }],
      ["addressCountry", "Country", { autoComplete: "country-name" }],
    ],
  },
];

export function ProfileForm({ profile }: { profile: ProfileInput }) {
  const [state, formAction, pending] = useForm(updateProfileAction);
  const values = state.status === "error" && state.values ? state.values : profile;
  return (
    <form action={formAction} className="space-y-5" aria-label="Profile">
      {PROFILE_LAYOUT.map((group) => (
        <fieldset key={group.legend} className="grid gap-3 sm:grid-cols-2">
          <legend className="mb-2 text-sm font-semibold text-slate-800 dark:text-slate-200">{group.legend}</legend>
          {group.fields.map(([name, label, extra]) => {
            const { hint, ...input } = extra ?? {};
            return (
              <Field
                key={`${name}-${state.status}-${values[name as keyof typeof values] ?? ""}`}
                label={label}
                name={name}
                defaultValue={values[name as keyof typeof values] ?? ""}
                error={state.fieldErrors?.[name]}
                hint={hint}
                {...input}
              />
            );
          })}
        </fieldset>
      ))}
      <FormMessage state={state} />
      <Button type="submit" disabled={pending}>{pending ? "Saving…" : "Save profile"}</Button>
    </form>
  );
}

export function DeleteAccountForm({ email, blocked }: { email: string; blocked: boolean }) {
  const [state, formAction, pending] = useForm(deleteAccountAction);
  useEffect(() => {
    if (state.status === "ok") void signOut({ callbackUrl: "/signin" });
  }, [state.status]);
  return (
    <form action={formAction} className="space-y-3" aria-label="Delete account">
      <Field label={`Type ${email} to confirm`} name="confirmEmail" autoComplete="off" required disabled={blocked} error={state.fieldErrors?.confirmEmail} />
      <FormMessage state={state} />
      <Button type="submit" variant="danger" disabled={pending || blocked || state.status === "ok"}>
        {pending ? "Deleting…" : "Delete my account"}
      </Button>
    </form>
  );
}
