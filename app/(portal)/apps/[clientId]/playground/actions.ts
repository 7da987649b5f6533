"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { addRedirectUri } from "@/lib/data/clients";
import { action, done, fail } from "@/lib/server/action";
import { MAX_REDIRECT_URIS, redirectUriProblem } from "@/lib/validation/redirect-uri";

const schema = z.object({
  uri: z
    .string()
    .trim()
    .refine((u) => {
      try {
        return new URL(u).pathname === "/playground/callback";
      } catch {
        return false;
      }
    }, "Only the playground's callback can be added here."),
});

export const addPlaygroundRedirectAction = action(
  {
    access: { app: "developer" },
    schema,
    input: (form, clientId: string) => ({ clientId, uri: form.get("uri") }),
    invalid: (error) => ({ message: error.issues[0]?.message }),
  },
  async ({ uri }, { app, actor }) => {
    const problem = redirectUriProblem(uri, app.type);
    if (problem) return fail(problem);
    if (app.redirectUris.length >= MAX_REDIRECT_URIS) {
      return fail(`This app already has ${MAX_REDIRECT_URIS} redirect URIs. Remove one in Settings first.`);
    }
    await addRedirectUri(app.id, uri, actor);
    revalidatePath(`/apps/${app.id}`, "layout");
    return done("Added.");
  },
);
