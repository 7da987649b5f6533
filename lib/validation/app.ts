import { z } from "zod";
import { isLoopbackHost, redirectUriListProblems } from "./redirect-uri";
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

/** ID token signing algorithms an app may ask for (OIDC Registration `id_token_signed_response_alg`); "": the server default. */
export const ID_TOKEN_ALGS = ["", "RS256", "ES256"] as const;

/** Back-Channel Logout 1.0 §2.2: https, or http to a loopback address while developing. */
export function backchannelLogoutUriProblem(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "Must be an absolute URL, such as https://app.example.com/backchannel-logout.";
  }
  if (raw.includes("#")) return "Must not contain a fragment (#…).";
  if (url.username || url.password) return "Must not contain a user name or password.";
  if (url.protocol === "https:") return null;
  if (url.protocol === "http:" && isLoopbackHost(url.hostname)) return null;
  return "Use https (plain http only for 127.0.0.1, [::1] or localhost).";
}

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
    /** RP-Initiated Logout 1.0 §3.1: registered like redirect URIs, compared exactly. */
    postLogoutRedirectUris: z.array(z.string()).default([]),
    backchannelLogoutUri: z.string().trim().max(500, "At most 500 characters.").default("").transform((v) => v || null),
    backchannelLogoutSessionRequired: z.boolean().default(true),
    idTokenSignedResponseAlg: z.enum(ID_TOKEN_ALGS, { message: "Choose the server default, RS256 or ES256." }).default(""),
    policyUrl: optionalUrl.default(""),
    termsUrl: optionalUrl.default(""),
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
    const logoutUris = app.postLogoutRedirectUris.map((u) => u.trim()).filter(Boolean);
    const logoutProblems = redirectUriListProblems(logoutUris, app.type);
    const firstLogoutProblem = logoutProblems.perUri.findIndex(Boolean);
    if (firstLogoutProblem !== -1) {
      ctx.addIssue({ code: "custom", path: ["postLogoutRedirectUris"], message: `${logoutUris[firstLogoutProblem]}: ${logoutProblems.perUri[firstLogoutProblem]}` });
    } else if (logoutProblems.list) {
      ctx.addIssue({ code: "custom", path: ["postLogoutRedirectUris"], message: logoutProblems.list.replace("redirect URIs", "post-logout redirect URIs") });
    }
    const backchannelProblem = app.backchannelLogoutUri === null ? null : backchannelLogoutUriProblem(app.backchannelLogoutUri);
    if (backchannelProblem) ctx.addIssue({ code: "custom", path: ["backchannelLogoutUri"], message: backchannelProblem });
    const needsRedirect = app.grantTypes.some((g) => g === "authorization_code" || g === "implicit");
    if (needsRedirect && uris.length === 0) {
      ctx.addIssue({ code: "custom", path: ["redirectUris"], message: "Add at least one redirect URI for the authorization code or implicit flow." });
    }
    if (app.type === "public" && app.grantTypes.includes("client_credentials")) {
      ctx.addIssue({ code: "custom", path: ["grantTypes"], message: "Public clients cannot use client credentials: they cannot keep a secret." });
    }
    if (app.type === "public" && app.grantTypes.includes("password")) {
      ctx.addIssue({ code: "custom", path: ["grantTypes"], message: "Public clients cannot use the password grant: without a secret, anyone could try passwords through them." });
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
    postLogoutRedirectUris: [...new Set(app.postLogoutRedirectUris.map((u) => u.trim()).filter(Boolean))],
  }));

export type AppInput = z.input<typeof appSchema>;
type AppOutput = z.output<typeof appSchema>;
/** Settings that callers building an app without the form (the seed, the CLI) may leave out. */
type OptionalSettings =
  | "defaultScopes" | "postLogoutRedirectUris" | "backchannelLogoutUri" | "backchannelLogoutSessionRequired"
  | "idTokenSignedResponseAlg" | "policyUrl" | "termsUrl";
export type AppData = Omit<AppOutput, OptionalSettings> & Partial<Pick<AppOutput, OptionalSettings>>;

export const SECRET_LABEL_MAX = 60;
export const secretLabelSchema = z.string().trim().max(SECRET_LABEL_MAX, `At most ${SECRET_LABEL_MAX} characters.`).default("");

/**
 * The app form beyond the app's settings: an uploaded logo (checked from its bytes in the
 * action, lib/validation/logo.ts), removing it, and the label of a new app's first secret.
 */
export const appFormSchema = z.intersection(
  appSchema,
  z.object({
    logo: z.unknown().optional(),
    removeLogo: z.boolean().default(false),
    secretLabel: secretLabelSchema,
  }),
);
