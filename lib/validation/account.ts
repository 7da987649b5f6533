import { z } from "zod";
import { signUpSchema } from "./sign-up";

const password = signUpSchema.shape.password;

export const changeNameSchema = z.object({ name: signUpSchema.shape.name.default("") });
export const changeEmailSchema = z.object({ email: signUpSchema.shape.email });
export const changePasswordSchema = z.object({
  currentPassword: z.string().min(1, "Enter your current password.").max(200),
  newPassword: password,
});
export const forgotPasswordSchema = z.object({ email: signUpSchema.shape.email });
export const resetPasswordSchema = z.object({ token: z.string().min(1).max(200), password });
export const deleteAccountSchema = z.object({ confirmEmail: z.string().trim().min(1, "Type your email to confirm.").max(200) });
