// The admin command line: `npm run latchkey -- <command>`.
import { parseArgs, type ParseArgsConfig } from "node:util";
import { ApiExistsError, createApi, deleteApi, listApis, type ApiSummary } from "../lib/data/apis";
import { AccountError, deleteAccount } from "../lib/data/account-deletion";
import { cliActor, recordAudit } from "../lib/data/audit";
import { createInitialAccessToken, listInitialAccessTokens, revokeInitialAccessToken } from "../lib/data/initial-access-tokens";
import { saveServerSetting, serverSettings, type ServerSettings } from "../lib/data/settings";
import { createApp, getApp, listAllApps, RevokedAppError, rotateClientSecret, setAppStatus, UnknownScopeError, updateApp, type AppSummary } from "../lib/data/clients";
import { rotateSigningKey, listSigningKeys, type RotationResult, type SigningKeyInfo } from "../lib/data/signing-keys";
import { blockUser, createUser, EmailTakenError, getUserByEmail, listUsers, resetUserPassword, setUserRole, unblockUser, UserAdminError } from "../lib/data/users";
import { apiSchema, canonicalApiIdentifier } from "../lib/validation/api";
import { appSchema } from "../lib/validation/app";
import { domainListSchema, metadataDocumentPolicySchema, registrationPolicySchema, registrationTokenSchema } from "../lib/validation/settings";
import { disconnectDatabase, prisma } from "../lib/db";

class UsageError extends Error {}

type Options = NonNullable<ParseArgsConfig["options"]>;
interface Command {
  usage: string;
  summary: string;
  options: Options;
  run(values: Record<string, unknown>, positionals: string[]): Promise<unknown>;
  print(result: unknown): string;
}

const json = { json: { type: "boolean" as const } };

const commands: Record<string, Command> = {
  "users create": {
    usage: "users create --email E --password P [--name N] [--admin] [--email-verified] [--json]",
    summary: "Create a portal user (an admin with --admin; --email-verified: you vouch for the address, as its owner's own verification would).",
    options: { email: { type: "string" }, password: { type: "string" }, name: { type: "string" }, admin: { type: "boolean" }, "email-verified": { type: "boolean" }, ...json },
    async run(v) {
      const email = required(v, "email");
      const password = required(v, "password");
      if (!/^[^@\s]+@[^@\s]+$/.test(email)) throw new UsageError(`--email: "${email}" is not an email address`);
      if (password.length < 8) throw new UsageError("--password: use at least 8 characters");
      try {
        return await createUser({ email, password, name: v.name as string | undefined, role: v.admin ? "admin" : "user", emailVerified: v["email-verified"] === true });
      } catch (err) {
        if (err instanceof EmailTakenError) throw new UsageError(`a user with email ${email} already exists`);
        throw err;
      }
    },
    print: (r) => {
      const u = r as { id: string; email: string; role: string };
      return `Created ${u.role} ${u.email} (id ${u.id})`;
    },
  },
  "users list": {
    usage: "users list [--search Q] [--json]",
    summary: "List users (newest first), with their role, last sign-in and apps; --search matches email or name.",
    options: { search: { type: "string" }, ...json },
    async run(v) {
      const users = [];
      for (let page = 1, pageCount = 1; page <= pageCount; page++) {
        const result = await listUsers({ search: v.search as string | undefined, page, pageSize: 200 });
        pageCount = result.pageCount;
        users.push(...result.users);
      }
      return users.map((u) => ({ id: u.id, email: u.email, name: u.name, role: u.role, created_at: u.createdAt.toISOString(), last_sign_in_at: u.lastSignInAt?.toISOString() ?? null, apps: u.apps.map((a) => a.id) }));
    },
    print: (r) => {
      const rows = r as { email: string; role: string; last_sign_in_at: string | null; apps: string[] }[];
      if (!rows.length) return "No users.";
      return rows.map((u) => `${u.email}  ${u.role.padEnd(7)}  last sign-in ${u.last_sign_in_at ?? "never"}  ${u.apps.length} app(s)`).join("\n");
    },
  },
  "users block": userCommand("block", "Block a user: no sign-in, sessions end, every grant and token of theirs is revoked.", async (id) => {
    const r = await blockUser(id, cliActor);
    return { email: r.user.email, role: r.user.role, grants_revoked: r.grantsRevoked, token_families_revoked: r.familiesRevoked };
  }),
  "users unblock": userCommand("unblock", "Let a blocked user sign in again (as an ordinary user).", async (id) => pick(await unblockUser(id, cliActor))),
  "users promote": userCommand("promote", "Make a user an admin.", async (id) => pick(await setUserRole(id, "admin", cliActor))),
  "users demote": userCommand("demote", "Make an admin an ordinary user (never the last admin).", async (id) => pick(await setUserRole(id, "user", cliActor))),
  "users delete": {
    usage: "users delete EMAIL [--delete-shared-apps] [--json]",
    summary: "Delete a user: sessions end (apps get logout tokens), grants and tokens end, apps only they are on are deleted. Apps with a team need --delete-shared-apps (or a transfer in the admin console).",
    options: { ...json, "delete-shared-apps": { type: "boolean" as const } },
    async run(v, pos) {
      const email = pos[0];
      if (!email) throw new UsageError("EMAIL is required");
      const user = await getUserByEmail(email);
      if (!user) throw new UsageError(`no user with email ${email}`);
      try {
        const plan = await deleteAccount(user.id, cliActor, { deleteAllApps: v["delete-shared-apps"] === true });
        return { email: plan.email, deleted: true, apps_deleted: [...plan.shared, ...plan.solo].map((a) => a.id) };
      } catch (err) {
        if (err instanceof AccountError) throw new UsageError(err.message);
        throw err;
      }
    },
    print: (r) => {
      const u = r as { email: string; apps_deleted: string[] };
      return `${u.email} is deleted${u.apps_deleted.length ? ` with ${u.apps_deleted.length} app(s): ${u.apps_deleted.join(", ")}` : ""}`;
    },
  },
  "users reset-password": {
    ...userCommand("reset-password", "Set a new random password and print it (once).", async (id) => {
      const r = await resetUserPassword(id, cliActor);
      return { email: r.user.email, password: r.password };
    }),
    print: (r) => {
      const u = r as { email: string; password: string };
      return [`New password for ${u.email}: ${u.password}`, "It is shown only once: hand it over now."].join("\n");
    },
  },
  "clients create": {
    usage:
      "clients create --name N --owner EMAIL --redirect-uri URI [--redirect-uri URI …] [--web-origin URL …] --scope \"a b\" --grant-types authorization_code,refresh_token,client_credentials,urn:ietf:params:oauth:grant-type:device_code --type confidential|public [--post-logout-redirect-uri URI …] [--backchannel-logout-uri URI] [--id-token-alg RS256|ES256] [--description D] [--website URL] [--json]",
    summary: "Register an app; prints its client_id and, for confidential clients, its secret (once).",
    options: {
      name: { type: "string" }, owner: { type: "string" }, "redirect-uri": { type: "string", multiple: true },
      "web-origin": { type: "string", multiple: true },
      scope: { type: "string" }, "grant-types": { type: "string" }, type: { type: "string" },
      description: { type: "string" }, website: { type: "string" },
      "post-logout-redirect-uri": { type: "string", multiple: true }, "backchannel-logout-uri": { type: "string" }, "id-token-alg": { type: "string" },
      ...json,
    },
    async run(v) {
      const alg = v["id-token-alg"] as string | undefined;
      if (alg !== undefined && alg !== "RS256" && alg !== "ES256") throw new UsageError("--id-token-alg: RS256 or ES256");
      const ownerEmail = required(v, "owner");
      const owner = await getUserByEmail(ownerEmail);
      if (!owner) throw new UsageError(`--owner: no user with email ${ownerEmail} (create one with "users create")`);
      const parsed = appSchema.safeParse({
        name: required(v, "name"),
        description: (v.description as string) ?? "",
        websiteUrl: (v.website as string) ?? "",
        logoUrl: "",
        type: required(v, "type"),
        redirectUris: (v["redirect-uri"] as string[] | undefined) ?? [],
        webOrigins: (v["web-origin"] as string[] | undefined) ?? [],
        grantTypes: String(v["grant-types"] ?? "authorization_code,refresh_token").split(",").map((s) => s.trim()).filter(Boolean),
        scopes: String(v.scope ?? "").split(/\s+/).filter(Boolean),
        postLogoutRedirectUris: (v["post-logout-redirect-uri"] as string[] | undefined) ?? [],
        backchannelLogoutUri: (v["backchannel-logout-uri"] as string | undefined) ?? "",
        idTokenSignedResponseAlg: alg ?? "",
      });
      if (!parsed.success) {
        throw new UsageError(parsed.error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("\n"));
      }
      try {
        const { app, clientSecret } = await createApp(owner.id, parsed.data, cliActor, { byAdmin: true });
        return { client_id: app.id, client_secret: clientSecret ?? undefined, name: app.name, type: app.type, grant_types: app.grantTypes, scope: app.scopes.join(" "), redirect_uris: app.redirectUris, web_origins: app.webOrigins };
      } catch (err) {
        if (err instanceof UnknownScopeError) throw new UsageError(`--scope: ${err.message}`);
        throw err;
      }
    },
    print: (r) => {
      const c = r as { client_id: string; client_secret?: string; name: string };
      const lines = [`Created app "${c.name}"`, `client_id:     ${c.client_id}`];
      if (c.client_secret) lines.push(`client_secret: ${c.client_secret}`, "Store the secret now: it is shown only once.");
      return lines.join("\n");
    },
  },
  "clients update": {
    usage:
      "clients update CLIENT_ID [--grant-types a,b,…] [--scope \"a b\"] [--scopes \"a b\"] [--redirect-uri URI …] [--web-origin URL …] [--web-origins \"URL URL\"] [--post-logout-redirect-uri URI …] [--backchannel-logout-uri URI|\"\"] [--id-token-alg RS256|ES256|default] [--name N] [--json]",
    summary:
      "Change an app's settings, validated as in the portal (an admin may enable implicit, password and the device grant); lists replace the current ones; audited.",
    options: {
      name: { type: "string" }, "grant-types": { type: "string" }, scope: { type: "string" }, scopes: { type: "string" },
      "redirect-uri": { type: "string", multiple: true }, "web-origin": { type: "string", multiple: true }, "web-origins": { type: "string" },
      "post-logout-redirect-uri": { type: "string", multiple: true }, "backchannel-logout-uri": { type: "string" },
      "id-token-alg": { type: "string" }, ...json,
    },
    async run(v, pos) {
      const clientId = pos[0];
      if (!clientId) throw new UsageError("CLIENT_ID is required");
      const app = await getApp(clientId);
      if (!app) throw new UsageError(`no app with client_id ${clientId}`);
      const list = (value: unknown, separator: RegExp) => String(value).split(separator).map((s) => s.trim()).filter(Boolean);
      const alg = v["id-token-alg"] as string | undefined;
      if (alg !== undefined && !["RS256", "ES256", "default"].includes(alg)) throw new UsageError("--id-token-alg: RS256, ES256 or default");
      const scopes = v.scopes ?? v.scope;
      const webOrigins = v["web-origins"] !== undefined ? list(v["web-origins"], /[\s,]+/) : (v["web-origin"] as string[] | undefined);
      const parsed = appSchema.safeParse({
        name: (v.name as string | undefined) ?? app.name,
        description: app.description,
        websiteUrl: app.websiteUrl ?? "",
        logoUrl: app.logoUrl ?? "",
        type: app.type,
        redirectUris: (v["redirect-uri"] as string[] | undefined) ?? app.redirectUris,
        webOrigins: webOrigins ?? app.webOrigins,
        grantTypes: v["grant-types"] === undefined ? app.grantTypes : list(v["grant-types"], /[\s,]+/),
        scopes: scopes === undefined ? [...app.scopes, ...app.pendingScopes] : list(scopes, /\s+/),
        defaultScopes: app.defaultScopes,
        postLogoutRedirectUris: (v["post-logout-redirect-uri"] as string[] | undefined) ?? app.postLogoutRedirectUris,
        backchannelLogoutUri: (v["backchannel-logout-uri"] as string | undefined) ?? app.backchannelLogoutUri ?? "",
        backchannelLogoutSessionRequired: app.backchannelLogoutSessionRequired,
        idTokenSignedResponseAlg: alg === undefined ? app.idTokenSignedResponseAlg : alg === "default" ? "" : alg,
        policyUrl: app.policyUrl ?? "",
        termsUrl: app.termsUrl ?? "",
      });
      if (!parsed.success) {
        throw new UsageError(issuesOf(parsed.error, CLIENT_FLAGS));
      }
      try {
        const updated = await updateApp(clientId, parsed.data, cliActor, true);
        return clientJson(updated);
      } catch (err) {
        if (err instanceof UnknownScopeError) throw new UsageError(`--scope: ${err.message}`);
        throw err;
      }
    },
    print: (r) => {
      const c = r as ReturnType<typeof clientJson>;
      return [
        `Updated app "${c.name}" (${c.client_id})`,
        `grant types:   ${c.grant_types.join(" ")}`,
        `scope:         ${c.scope || "(none)"}`,
        `web origins:   ${c.web_origins.join(" ") || "(those of the redirect URIs)"}`,
        `ID token alg:  ${c.id_token_signed_response_alg ?? "server default (RS256)"}`,
      ].join("\n");
    },
  },
  "clients list": {
    usage: "clients list [--json]",
    summary: "List every app.",
    options: json,
    async run() {
      return (await listAllApps()).map((a) => ({ client_id: a.id, name: a.name, type: a.type, status: a.status, owner: a.ownerEmail, source: a.source, grant_types: a.grantTypes, scope: a.scopes.join(" "), created_at: a.createdAt.toISOString() }));
    },
    print: (r) => {
      const rows = r as { client_id: string; name: string; type: string; status: string; owner: string | null }[];
      if (!rows.length) return "No apps.";
      return rows.map((a) => `${a.client_id}  ${a.status.padEnd(9)} ${a.type.padEnd(12)} ${a.name}  (${a.owner ?? "no owner"})`).join("\n");
    },
  },
  "clients suspend": statusCommand("suspended"),
  "clients revoke": statusCommand("revoked"),
  "clients activate": statusCommand("active"),
  "secrets rotate": {
    usage: "secrets rotate CLIENT_ID [--grace SECONDS] [--json]",
    summary: "Issue a new client secret; old secrets keep working for --grace seconds (default 0: they stop now).",
    options: { grace: { type: "string" }, ...json },
    async run(v, pos) {
      const clientId = pos[0];
      if (!clientId) throw new UsageError("CLIENT_ID is required");
      const grace = Number(v.grace ?? 0);
      if (!Number.isInteger(grace) || grace < 0) throw new UsageError("--grace: a whole number of seconds");
      const app = await prisma.client.findUnique({ where: { id: clientId }, select: { type: true } });
      if (!app) throw new UsageError(`no app with client_id ${clientId}`);
      if (app.type !== "confidential") throw new UsageError("public clients have no secret");
      const { secret } = await rotateClientSecret(clientId, grace, cliActor);
      return { client_id: clientId, client_secret: secret, old_secrets_valid_for_seconds: grace };
    },
    print: (r) => {
      const s = r as { client_id: string; client_secret: string };
      return `New secret for ${s.client_id}:\nclient_secret: ${s.client_secret}\nStore it now: it is shown only once.`;
    },
  },
  "apis create": {
    usage: "apis create --identifier URI --name NAME --scopes \"a b\" [--access-token-ttl SECONDS] [--json]",
    summary: "Register an API or MCP server (its identifier is the RFC 8707 resource); scopes missing from the catalog are added to it.",
    options: { identifier: { type: "string" }, name: { type: "string" }, scopes: { type: "string" }, "access-token-ttl": { type: "string" }, ...json },
    async run(v) {
      const parsed = apiSchema.safeParse({
        identifier: required(v, "identifier"),
        name: required(v, "name"),
        scopes: String(v.scopes ?? "").split(/\s+/).filter(Boolean),
        accessTokenTtl: v["access-token-ttl"] as string | undefined,
      });
      if (!parsed.success) throw new UsageError(issuesOf(parsed.error, { accessTokenTtl: "access-token-ttl" }));
      try {
        return apiJson(await createApi(parsed.data, cliActor, { createMissingScopes: true }));
      } catch (err) {
        if (err instanceof ApiExistsError) throw new UsageError(`--identifier: an API with identifier ${err.identifier} already exists`);
        throw err;
      }
    },
    print: (r) => `Created API\n${formatApi(r as ApiJson)}`,
  },
  "apis list": {
    usage: "apis list [--json]",
    summary: "List registered APIs and MCP servers.",
    options: json,
    run: async () => (await listApis()).map(apiJson),
    print: (r) => (r as ApiJson[]).map(formatApi).join("\n\n") || "No APIs.",
  },
  "apis delete": {
    usage: "apis delete --identifier URI [--json]",
    summary: "Remove an API: tokens can no longer be requested for it (tokens already issued run out).",
    options: { identifier: { type: "string" }, ...json },
    async run(v) {
      const identifier = canonicalApiIdentifier(required(v, "identifier"));
      if (!(await deleteApi(identifier, cliActor))) throw new UsageError(`--identifier: no API with identifier ${identifier}`);
      return { identifier, deleted: true };
    },
    print: (r) => `Deleted API ${(r as { identifier: string }).identifier}`,
  },
  "registration-tokens create": {
    usage: "registration-tokens create --label LABEL [--expires-in-days N] [--json]",
    summary: "Create an initial access token for dynamic client registration (RFC 7591 §3); prints it once.",
    options: { label: { type: "string" }, "expires-in-days": { type: "string" }, ...json },
    async run(v) {
      const parsed = registrationTokenSchema.safeParse({ label: required(v, "label"), expiresInDays: v["expires-in-days"] as string | undefined });
      if (!parsed.success) throw new UsageError(issuesOf(parsed.error, { expiresInDays: "expires-in-days" }));
      const { label, expiresInDays } = parsed.data;
      const expiresAt = expiresInDays === null ? null : new Date(Date.now() + expiresInDays * 86_400_000);
      const { token, id } = await createInitialAccessToken(label, expiresAt);
      await recordAudit(cliActor, "registration_token.created", id, { label, expiresAt });
      return { id, token, label, expiresAt: expiresAt?.toISOString() ?? null };
    },
    print: (r) => {
      const t = r as { id: string; token: string; label: string; expiresAt: string | null };
      return [
        `Created registration token "${t.label}" (id ${t.id}, ${t.expiresAt ? `expires ${t.expiresAt}` : "does not expire"})`,
        `token: ${t.token}`,
        "Store it now: it is shown only once. Registration accepts it when the policy is \"token\".",
      ].join("\n");
    },
  },
  "registration-tokens list": {
    usage: "registration-tokens list [--json]",
    summary: "List initial access tokens (never the tokens themselves).",
    options: json,
    async run() {
      const now = Date.now();
      return (await listInitialAccessTokens()).map((t) => ({
        id: t.id,
        label: t.label,
        status: t.revokedAt ? "revoked" : t.expiresAt && t.expiresAt.getTime() <= now ? "expired" : "active",
        createdAt: t.createdAt.toISOString(),
        expiresAt: t.expiresAt?.toISOString() ?? null,
        revokedAt: t.revokedAt?.toISOString() ?? null,
        lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
      }));
    },
    print: (r) => {
      const rows = r as { id: string; label: string; status: string; expiresAt: string | null }[];
      if (!rows.length) return "No registration tokens.";
      return rows.map((t) => `${t.id}  ${t.status.padEnd(8)} ${t.expiresAt ? `expires ${t.expiresAt}` : "no expiry"}  ${t.label}`).join("\n");
    },
  },
  "registration-tokens revoke": {
    usage: "registration-tokens revoke ID [--json]",
    summary: "Revoke an initial access token: registration refuses it from now on.",
    options: json,
    async run(_v, pos) {
      const id = pos[0];
      if (!id) throw new UsageError("ID is required (see registration-tokens list)");
      const known = (await listInitialAccessTokens()).find((t) => t.id === id);
      if (!known) throw new UsageError(`no registration token with id ${id}`);
      if (known.revokedAt) throw new UsageError(`registration token ${id} is already revoked`);
      await revokeInitialAccessToken(id);
      await recordAudit(cliActor, "registration_token.revoked", id, { label: known.label });
      return { id, revoked: true };
    },
    print: (r) => `Revoked registration token ${(r as { id: string }).id}`,
  },
  "settings set": {
    usage: "settings set registration off|open|public|token  |  metadata-documents all|listed|off  |  metadata-document-domains \"a.com *.b.com\"",
    summary: "Change a run-time setting on every instance: who may register clients (RFC 7591), which client ID metadata documents are accepted, and the domains \"listed\" allows (\"\" clears them).",
    options: json,
    async run(_v, pos) {
      const [name, value, ...extra] = pos;
      if (!name) throw new UsageError("name a setting: registration, metadata-documents or metadata-document-domains");
      if (value === undefined) throw new UsageError(`give a value for ${name}`);
      if (extra.length) throw new UsageError(`one value only; quote a list: settings set ${name} "${[value, ...extra].join(" ")}"`);
      switch (name) {
        case "registration": {
          const parsed = registrationPolicySchema.safeParse(value);
          if (!parsed.success) throw new UsageError(`registration: "${value}" is not one of off, open, public, token`);
          await changeSetting("registration", parsed.data);
          break;
        }
        case "metadata-documents": {
          const parsed = metadataDocumentPolicySchema.safeParse(value);
          if (!parsed.success) throw new UsageError(`metadata-documents: "${value}" is not one of all, listed, off`);
          await changeSetting("metadataDocuments", parsed.data);
          break;
        }
        case "metadata-document-domains": {
          const parsed = domainListSchema.safeParse(value);
          if (!parsed.success) throw new UsageError(`metadata-document-domains: ${parsed.error.issues[0]?.message}`);
          await changeSetting("metadataDocumentDomains", parsed.data);
          break;
        }
        default:
          throw new UsageError(`unknown setting "${name}": use registration, metadata-documents or metadata-document-domains`);
      }
      return serverSettings();
    },
    print: (r) => `Saved.\n${formatSettings(r as ServerSettings)}`,
  },
  "settings show": {
    usage: "settings show [--json]",
    summary: "Show the run-time settings.",
    options: json,
    run: () => serverSettings(),
    print: (r) => formatSettings(r as ServerSettings),
  },
  "keys rotate": {
    usage: "keys rotate [--now [--withdraw]] [--json]",
    summary:
      "New RS256 and ES256 keys: published in JWKS now, signing after LATCHKEY_KEY_ACTIVATION_DELAY seconds (default 600), " +
      "when the current ones retire; they keep verifying until their tokens expire. " +
      "--now: sign with the new keys at once (keys still waiting to sign are dropped); clients that cached the JWKS refuse them until they fetch it again. " +
      "--withdraw (a leaked key; implies --now): the old keys also leave JWKS and stop verifying at once, so access and ID tokens they signed stop working; refresh tokens keep working.",
    options: { now: { type: "boolean" }, withdraw: { type: "boolean" }, ...json },
    run: async (v) => rotateSigningKey(cliActor, { immediate: v.now === true || v.withdraw === true, withdraw: v.withdraw === true }),
    print: (r) => {
      const k = r as RotationResult;
      const lines = k.keys.map((key) => `${key.alg}  ${key.kid}  signs from ${key.activatesAt.toISOString()}`);
      if (k.retired.length) lines.push(`Retired now: ${k.retired.join(", ")}`);
      return lines.join("\n");
    },
  },
  "keys list": {
    usage: "keys list [--json]",
    summary: "List signing keys: algorithm, status (active, next or retired), when each signs and leaves JWKS.",
    options: json,
    run: () => listSigningKeys(),
    print: (r) =>
      (r as SigningKeyInfo[])
        .map((k) =>
          [
            k.alg.padEnd(6),
            k.status.padEnd(7),
            k.kid,
            `signs from ${k.activatedAt?.toISOString() ?? "-"}`,
            ...(k.retiredAt ? [`retired ${k.retiredAt.toISOString()}`] : []),
            ...(k.expiresAt ? [`published until ${k.expiresAt.toISOString()}`] : []),
          ].join("  "),
        )
        .join("\n") || "No keys.",
  },
};

function pick(u: { email: string; role: string }) {
  return { email: u.email, role: u.role };
}

function userCommand(verb: string, summary: string, act: (userId: string) => Promise<Record<string, unknown>>): Command {
  return {
    usage: `users ${verb} EMAIL [--json]`,
    summary,
    options: json,
    async run(_v, pos) {
      const email = pos[0];
      if (!email) throw new UsageError("EMAIL is required");
      const user = await getUserByEmail(email);
      if (!user) throw new UsageError(`no user with email ${email}`);
      try {
        return await act(user.id);
      } catch (err) {
        if (err instanceof UserAdminError) throw new UsageError(err.message);
        throw err;
      }
    },
    print: (r) => {
      const u = r as { email: string; role: string; grants_revoked?: number; token_families_revoked?: number };
      const revoked = u.grants_revoked === undefined ? "" : ` (${u.grants_revoked} grant(s) and ${u.token_families_revoked} token famil(ies) revoked)`;
      return `${u.email} is now ${u.role}${revoked}`;
    },
  };
}

/** Form field names as the flags that set them. */
const CLIENT_FLAGS: Record<string, string> = {
  grantTypes: "grant-types", scopes: "scope", redirectUris: "redirect-uri", webOrigins: "web-origins", defaultScopes: "scope",
  postLogoutRedirectUris: "post-logout-redirect-uri", backchannelLogoutUri: "backchannel-logout-uri", idTokenSignedResponseAlg: "id-token-alg",
};

function clientJson(app: AppSummary) {
  return {
    client_id: app.id,
    name: app.name,
    type: app.type,
    status: app.status,
    grant_types: app.grantTypes,
    scope: app.scopes.join(" "),
    pending_scope: app.pendingScopes.join(" "),
    redirect_uris: app.redirectUris,
    web_origins: app.webOrigins,
    post_logout_redirect_uris: app.postLogoutRedirectUris,
    backchannel_logout_uri: app.backchannelLogoutUri,
    id_token_signed_response_alg: app.idTokenSignedResponseAlg || null,
  };
}

function statusCommand(status: "active" | "suspended" | "revoked"): Command {
  const verb = { active: "activate", suspended: "suspend", revoked: "revoke" }[status];
  return {
    usage: status === "active" ? `clients ${verb} CLIENT_ID [--json]` : `clients ${verb} CLIENT_ID [--reason TEXT] [--json]`,
    summary: {
      active: "Reactivate a suspended app; tokens from before the suspension stay ended.",
      suspended: "Suspend an app: its tokens stop working at once. The reason is shown to its developers.",
      revoked: "Revoke an app for good: its tokens and grants end. The reason is shown to its developers.",
    }[status],
    options: { ...json, reason: { type: "string" as const } },
    async run(v, pos) {
      const id = pos[0];
      if (!id) throw new UsageError("CLIENT_ID is required");
      const reason = typeof v.reason === "string" ? v.reason.trim() : "";
      if (reason.length > 500) throw new UsageError("--reason is at most 500 characters");
      let app: AppSummary | null;
      try {
        app = await setAppStatus(id, status, cliActor, reason);
      } catch (err) {
        if (err instanceof RevokedAppError) throw new UsageError(err.message);
        throw err;
      }
      if (!app) throw new UsageError(`no app with client_id ${id}`);
      return { client_id: app.id, status: app.status, reason };
    },
    print: (r) => {
      const a = r as { client_id: string; status: string };
      return `${a.client_id} is now ${a.status}`;
    },
  };
}

interface ApiJson {
  identifier: string;
  name: string;
  scopes: string[];
  accessTokenTtl: number | null;
}

function apiJson(api: ApiSummary): ApiJson {
  return { identifier: api.identifier, name: api.name, scopes: api.scopes, accessTokenTtl: api.accessTokenTtl };
}

function formatApi(a: ApiJson): string {
  return [
    `${a.name}`,
    `  identifier:            ${a.identifier}`,
    `  scopes:                ${a.scopes.join(" ") || "(none)"}`,
    `  access token lifetime: ${a.accessTokenTtl === null ? "server default" : `${a.accessTokenTtl} s`}`,
  ].join("\n");
}

const REGISTRATION_LABELS: Record<ServerSettings["registration"], string> = {
  off: "off (only the portal and this CLI create apps)",
  open: "open (any client may register)",
  public: "public (any public client may register; confidential ones may not)",
  token: "token (an initial access token is required)",
};

function formatSettings(s: ServerSettings): string {
  const lines = [
    `registration:              ${REGISTRATION_LABELS[s.registration]}`,
    `metadata-documents:        ${s.metadataDocuments}`,
    `metadata-document-domains: ${s.metadataDocumentDomains.join(" ") || "(none)"}`,
  ];
  if (s.metadataDocuments === "listed" && s.metadataDocumentDomains.length === 0) {
    lines.push("Note: no domains are listed, so every metadata document is refused until you add some.");
  }
  return lines.join("\n");
}

async function changeSetting<K extends keyof ServerSettings>(key: K, value: ServerSettings[K]): Promise<void> {
  await saveServerSetting(key, value);
  await recordAudit(cliActor, "settings.changed", key, { value });
}

/** zod issues as `--flag: message` lines; `flags` maps field names to flag names that differ. */
function issuesOf(error: { issues: { path: PropertyKey[]; message: string }[] }, flags: Record<string, string> = {}): string {
  return error.issues.map((i) => {
    const field = String(i.path[0] ?? "input");
    return `--${flags[field] ?? field}: ${i.message}`;
  }).join("\n");
}

function required(values: Record<string, unknown>, name: string): string {
  const value = values[name];
  if (typeof value !== "string" || value === "") throw new UsageError(`--${name} is required`);
  return value;
}

function help(): string {
  const lines = ["Usage: npm run latchkey -- <command> [options]", "", "Commands:"];
  for (const c of Object.values(commands)) lines.push(`  ${c.usage}`, `      ${c.summary}`);
  lines.push("", "Every command takes --help.");
  return lines.join("\n");
}

async function main(argv: string[]): Promise<number> {
  const name = argv.slice(0, 2).join(" ");
  const command = commands[name];
  if (!command) {
    if (!argv.length || argv[0] === "--help" || argv[0] === "help" || argv[0] === "-h") {
      console.log(help());
      return 0;
    }
    console.error(`Unknown command: ${argv.join(" ")}\n\n${help()}`);
    return 2;
  }
  const rest = argv.slice(2);
  if (rest.includes("--help") || rest.includes("-h")) {
    console.log(`Usage: npm run latchkey -- ${command.usage}\n\n${command.summary}`);
    return 0;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: command.options, allowPositionals: true, strict: true });
  } catch (err) {
    console.error(`Error: ${(err as Error).message}\nUsage: npm run latchkey -- ${command.usage}`);
    return 2;
  }
  try {
    const result = await command.run(parsed.values, parsed.positionals);
    console.log(parsed.values.json ? JSON.stringify(result, null, 2) : command.print(result));
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`Error: ${err.message}\nUsage: npm run latchkey -- ${command.usage}`);
      return 2;
    }
    console.error(`Error: ${(err as Error).message}`);
    return 1;
  }
}

export async function runCli(argv: string[]): Promise<number> {
  try {
    return await main(argv);
  } finally {
    await disconnectDatabase();
  }
}
