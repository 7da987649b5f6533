// A protected resource's registration: an API or an MCP server (RFC 8707, RFC 9728).
import { z } from "zod";
import { optionalWholeNumber } from "./optional-whole-number";
import { isLoopbackHost } from "./redirect-uri";

export const MAX_API_IDENTIFIER_LENGTH = 500;
export const API_TOKEN_TTL_MIN = 60;
export const API_TOKEN_TTL_MAX = 86_400;
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/** Why `raw` cannot identify an API, or null. */
export function apiIdentifierProblem(raw: string): string | null {
  const value = raw.trim();
  if (!value) return "Give the API's identifier, such as https://mcp.example.com/mcp.";
  if (value.length > MAX_API_IDENTIFIER_LENGTH) return `At most ${MAX_API_IDENTIFIER_LENGTH} characters.`;
  if (/[\u0000-\u0020\u007f\\]/.test(value)) return "No spaces, control characters or backslashes.";
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "Must be an absolute URI, such as https://mcp.example.com/mcp.";
  }
  // RFC 8707 §2: an absolute URI that must not include a fragment.
  if (value.includes("#")) return "Must not contain a fragment (#…).";
  if (url.username || url.password) return "Must not contain a user name or password.";
  if (url.protocol === "http:") {
    if (!isLoopbackHost(url.hostname)) return "Use https://; plain http is only allowed for loopback hosts (localhost, 127.0.0.1, [::1]).";
  } else if (url.protocol !== "https:") {
    return "Must start with https:// (or http:// for a loopback host).";
  }
  if (!url.hostname) return "Must name a host.";
  return null;
}

/**
 * The stored form of an identifier: its WHATWG URL serialization (lowercase scheme and host,
 * no default port, "/" for an empty path), which is what MCP clients send as `resource`.
 */
export function canonicalApiIdentifier(raw: string): string {
  const value = raw.trim();
  try {
    return new URL(value).href;
  } catch {
    return value;
  }
}

const optionalTtl = optionalWholeNumber(
  API_TOKEN_TTL_MIN,
  API_TOKEN_TTL_MAX,
  `A whole number of seconds from ${API_TOKEN_TTL_MIN} to ${API_TOKEN_TTL_MAX}, or empty for the server default.`,
);

export const apiSchema = z.object({
  identifier: z
    .string()
    .superRefine((v, ctx) => {
      const problem = apiIdentifierProblem(v);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    })
    .transform(canonicalApiIdentifier),
  name: z.string().trim().min(1, "Give the API a name.").max(80, "At most 80 characters."),
  scopes: z
    .array(z.string().trim().regex(SCOPE_TOKEN, "Scope names are letters, digits and punctuation, with no spaces, quotes or backslashes.").max(64, "A scope name has at most 64 characters."))
    .max(100, "At most 100 scopes.")
    .default([])
    .transform((s) => [...new Set(s.filter(Boolean))]),
  accessTokenTtl: optionalTtl,
});

export type ApiInput = z.input<typeof apiSchema>;
export type ApiData = z.output<typeof apiSchema>;
