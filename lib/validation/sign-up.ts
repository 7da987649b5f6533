import { z } from "zod";

export const signUpSchema = z.object({
  name: z.string().trim().max(80, "At most 80 characters.").optional(),
  email: z.email("Enter a valid email address.").trim().max(200),
  password: z.string().min(8, "Use at least 8 characters.").max(200, "At most 200 characters."),
});
