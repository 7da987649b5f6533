"use server";

import { z } from "zod";
import { AccountError, confirmEmailChange, verifyEmailWithToken } from "@/lib/data/account";
import { action, done, fail } from "@/lib/server/action";

const EXPIRED = "This link has expired or was already used.";

export const confirmEmailAction = action(
  { access: "public", schema: z.object({ token: z.string().min(1).max(200), change: z.enum(["0", "1"]).default("0") }) },
  async ({ token, change }) => {
    try {
      const email = change === "1" ? await confirmEmailChange(token) : await verifyEmailWithToken(token);
      if (!email) return fail(EXPIRED);
      return done(change === "1" ? `Your email is now ${email}.` : `${email} is verified.`);
    } catch (err) {
      if (err instanceof AccountError) return fail(err.message);
      throw err;
    }
  },
);
