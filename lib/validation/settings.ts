// Run-time server settings as an admin enters them (admin console and CLI).
import { z } from "zod";
import { optionalWholeNumber } from "./optional-whole-number";

export const REGISTRATION_POLICIES = ["off", "open", "public", "token"] as const;
export const METADATA_DOCUMENT_POLICIES = ["all", "listed", "off"] as const;
export const MAX_METADATA_DOCUMENT_DOMAINS = 200;

const LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
const HOST = new RegExp(`^(?:\\*\\.)?(?:${LABEL}\\.)*${LABEL}$`);

/** Why `domain` cannot be listed, or null: a host name, or `*.` and a host name for its subdomains. */
export function domainProblem(domain: string): string | null {
  if (domain.length > 253) return `${domain}: at most 253 characters.`;
  if (domain.includes("://") || domain.includes("/")) return `${domain}: a host name only, without https:// or a path.`;
  if (!HOST.test(domain)) return `${domain}: not a host name (use example.com, or *.example.com for its subdomains).`;
  if (domain.startsWith("*.") && !domain.slice(2).includes(".")) return `${domain}: a wildcard needs at least two labels after it, such as *.example.com.`;
  return null;
}

/** Splits a list typed by an admin (spaces, commas or new lines), lowercased, without duplicates. */
export function splitDomainList(raw: string): string[] {
  return [...new Set(raw.split(/[\s,]+/).map((d) => d.trim().toLowerCase().replace(/\.$/, "")).filter(Boolean))];
}

export const domainListSchema = z
  .string()
  .max(20_000, "The list is too long.")
  .transform(splitDomainList)
  .superRefine((domains, ctx) => {
    if (domains.length > MAX_METADATA_DOCUMENT_DOMAINS) ctx.addIssue({ code: "custom", message: `At most ${MAX_METADATA_DOCUMENT_DOMAINS} domains.` });
    for (const d of domains) {
      const problem = domainProblem(d);
      if (problem) {
        ctx.addIssue({ code: "custom", message: problem });
        return;
      }
    }
  });

export const registrationPolicySchema = z.enum(REGISTRATION_POLICIES, { message: `Choose one of: ${REGISTRATION_POLICIES.join(", ")}.` });
export const metadataDocumentPolicySchema = z.enum(METADATA_DOCUMENT_POLICIES, { message: `Choose one of: ${METADATA_DOCUMENT_POLICIES.join(", ")}.` });

export const registrationTokenSchema = z.object({
  label: z.string().trim().min(1, "Give the token a label, such as who it is for.").max(100, "At most 100 characters."),
  expiresInDays: optionalWholeNumber(1, 3650, "A whole number of days from 1 to 3650, or empty for a token that does not expire."),
});
