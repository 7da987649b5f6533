"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { claimRegisteredClient } from "@/lib/data/registered-clients";
import { CHECK_FIELDS, fieldErrorsOf } from "@/lib/form-state";
import { action, fail } from "@/lib/server/action";

const claimSchema = z.object({
  clientId: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[0-9a-f]{32}$/, "Enter the client_id the client received when it registered (32 hexadecimal characters)."),
  registrationAccessToken: z.string().trim().min(1, "Enter the client's registration access token.").max(200, "This is not a registration access token."),
});

export const claimAppAction = action(
  {
    access: "user",
    schema: claimSchema,
    input: (form) => ({ clientId: String(form.get("clientId") ?? ""), registrationAccessToken: String(form.get("registrationAccessToken") ?? "") }),
    signIn: () => "/apps/claim",
    invalid: (error) => ({ ...fieldErrorsOf(error), message: CHECK_FIELDS }),
  },
  async ({ clientId, registrationAccessToken }, { user }) => {
    if (!(await claimRegisteredClient(clientId, registrationAccessToken, { id: user.id, email: user.email }))) {
      return fail("No unclaimed registered client has this client ID and registration access token.");
    }
    redirect(`/apps/${clientId}`);
  },
);
