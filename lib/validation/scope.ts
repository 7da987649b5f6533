import { z } from "zod";

export const scopeSchema = z.object({
  // RFC 6749 §3.3 scope-token characters.
  name: z.string().trim().min(1, "Give the scope a name.").max(64, "At most 64 characters.")
    .regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/, "Letters, digits and punctuation only; no spaces, quotes or backslashes."),
  description: z.string().trim().min(1, "Describe what the scope allows, as users will read it.").max(300, "At most 300 characters."),
  category: z.string().trim().min(1, "Give it a category.").max(40, "At most 40 characters."),
  restricted: z.boolean(),
});
