import { z } from "zod";

/** A whole number from `min` to `max` typed in a form or passed on the CLI; empty is null. */
export function optionalWholeNumber(min: number, max: number, message: string) {
  return z
    .union([z.number(), z.string()])
    .optional()
    .nullable()
    .transform((v, ctx) => {
      if (v === undefined || v === null || (typeof v === "string" && v.trim() === "")) return null;
      const n = typeof v === "number" ? v : Number(v.trim());
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: "custom", message });
        return z.NEVER;
      }
      return n;
    });
}
