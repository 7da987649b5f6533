import { z } from "zod";
import { redirectUriListProblems } from "./redirect-uri";
import { webOriginListProblems } from "./web-origin";

export const CLIENT_TYPES = ["confidential", "public"] as const;
/** Grant types a developer may pick; "password" is admin-only. */
export const DEVELOPER_GRANT_TYPES = [
  "authorization_code",
  "refresh_token",
  "client_credentials",
  "implicit",
  "urn:ietf:params:oauth:grant-type:device_code",
] as const;
export const ALL_GRANT_TYPES = [...DEVELOPER_GRANT_TYPES, "password"] as const;

const optionalUrl = z
  .string()
  .trim()
  .max(500)
  .transform((v) => v || null)
  .refine((v) => v === null || /^https?:\/\//i.test(v), "Must start with https:// or http://")
  .refine((v) => {
    if (v === null) return true;
    try {
      new URL(v);
      return true;
    } catch {
      return false;
    }
  }, "Must be a valid URL");

export const appSchema = z
  .object({
    name: z.string().trim().min(1, "Give the app a name.").max(80, "At most 80 characters."),
    description: z.string().trim().max(500, "At most 500 characters.").default(""),
    websiteUrl: optionalUrl.default(""),
    logoUrl: optionalUrl.default(""),
    type: z.enum(CLIENT_TYPES, { message: "Choose confidential or public." }),
    redirectUris: z.array(z.string()).default([]),
    /** Empty: the origins of the redirect URIs (lib/oauth/web-origins.ts). */
    webOrigins: z.array(z.string()).default([]),
    grantTypes: z.array(z.enum(ALL_GRANT_TYPES)).min(1, "Pick at least one grant type."),
    scopes: z.array(z.string().regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/)).default([]),
    /** Granted when an authorization request names no scope (RFC 6749 §3.3); a subset of `scopes`. */
    defaultScopes: z.array(z.string().regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/)).default([]),
  })
  .superRefine((app, ctx) => {
    const uris = app.redirectUris.map((u) => u.trim()).filter(Boolean);
    const { perUri, list } = redirectUriListProblems(uris, app.type);
    perUri.forEach((problem, i) => {
      if (problem) ctx.addIssue({ code: "custom", path: ["redirectUris", i], message: `${uris[i]}: ${problem}` });
    });
    if (list) ctx.addIssue({ code: "custom", path: ["redirectUris"], message: list });
    const origins = app.webOrigins.map((o) => o.trim()).filter(Boolean);
    const originProblems = webOriginListProblems(origins);
    originProblems.perOrigin.forEach((problem, i) => {
      if (problem) ctx.addIssue({ code: "custom", path: ["webOrigins", i], message: `${origins[i]}: ${problem}` });
    });
    if (originProblems.list) ctx.addIssue({ code: "custom", path: ["webOrigins"], message: originProblems.list });
    const needsRedirect = app.grantTypes.some((g) => g === "authorization_code" || g === "implicit");
    if (needsRedirect && uris.length === 0) {
      ctx.addIssue({ code: "custom", path: ["redirectUris"], message: "Add at least one redirect URI for the authorization code or implicit flow." });
    }
    if (app.type === "public" && app.grantTypes.includes("client_credentials")) {
      ctx.addIssue({ code: "custom", path: ["grantTypes"], message: "Public clients cannot use client credentials: they cannot keep a secret." });
    }
    if (app.grantTypes.includes("refresh_token") && !app.grantTypes.some((g) => g === "authorization_code" || g === "password" || g === "urn:ietf:params:oauth:grant-type:device_code")) {
      ctx.addIssue({ code: "custom", path: ["grantTypes"], message: "Refresh tokens need the authorization code or device grant." });
    }
    const outside = app.defaultScopes.filter((s) => !app.scopes.includes(s));
    if (outside.length) {
      ctx.addIssue({ code: "custom", path: ["defaultScopes"], message: `Default scopes must be among the app's scopes; not selected: ${[...new Set(outside)].join(", ")}.` });
    }
  })
  .transform((app) => ({
    ...app,
    redirectUris: [...new Set(app.redirectUris.map((u) => u.trim()).filter(Boolean))],
    webOrigins: app.webOrigins.map((o) => o.trim()).filter(Boolean),
    grantTypes: [...new Set(app.grantTypes)],
    scopes: [...new Set(app.scopes)],
    defaultScopes: [...new Set(app.defaultScopes)],
  }));

export type AppInput = z.input<typeof appSchema>;
/** `defaultScopes` may be left out by callers that build an app without the form (the seed). */
export type AppData = Omit<z.output<typeof appSchema>, "defaultScopes"> & { defaultScopes?: string[] };
