// The admin command line: `npm run latchkey -- <command>`.
import { parseArgs, type ParseArgsConfig } from "node:util";
import { cliActor } from "../lib/data/audit";
import { createApp, listAllApps, rotateClientSecret, setAppStatus, UnknownScopeError } from "../lib/data/clients";
import { rotateSigningKey, listSigningKeys } from "../lib/data/signing-keys";
import { createUser, EmailTakenError, getUserByEmail } from "../lib/data/users";
import { appSchema } from "../lib/validation/app";
import { prisma } from "../lib/db";

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
    usage: "users create --email E --password P [--name N] [--admin] [--json]",
    summary: "Create a portal user (an admin with --admin).",
    options: { email: { type: "string" }, password: { type: "string" }, name: { type: "string" }, admin: { type: "boolean" }, ...json },
    async run(v) {
      const email = required(v, "email");
      const password = required(v, "password");
      if (!/^[^@\s]+@[^@\s]+$/.test(email)) throw new UsageError(`--email: "${email}" is not an email address`);
      if (password.length < 8) throw new UsageError("--password: use at least 8 characters");
      try {
        return await createUser({ email, password, name: v.name as string | undefined, role: v.admin ? "admin" : "user" });
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
  "clients create": {
    usage:
      "clients create --name N --owner EMAIL --redirect-uri URI [--redirect-uri URI …] [--web-origin URL …] --scope \"a b\" --grant-types authorization_code,refresh_token,client_credentials --type confidential|public [--description D] [--website URL] [--json]",
    summary: "Register an app; prints its client_id and, for confidential clients, its secret (once).",
    options: {
      name: { type: "string" }, owner: { type: "string" }, "redirect-uri": { type: "string", multiple: true },
      "web-origin": { type: "string", multiple: true },
      scope: { type: "string" }, "grant-types": { type: "string" }, type: { type: "string" },
      description: { type: "string" }, website: { type: "string" }, ...json,
    },
    async run(v) {
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
  "clients list": {
    usage: "clients list [--json]",
    summary: "List every app.",
    options: json,
    async run() {
      return (await listAllApps()).map((a) => ({ client_id: a.id, name: a.name, type: a.type, status: a.status, owner: a.ownerEmail, grant_types: a.grantTypes, scope: a.scopes.join(" "), created_at: a.createdAt.toISOString() }));
    },
    print: (r) => {
      const rows = r as { client_id: string; name: string; type: string; status: string; owner: string }[];
      if (!rows.length) return "No apps.";
      return rows.map((a) => `${a.client_id}  ${a.status.padEnd(9)} ${a.type.padEnd(12)} ${a.name}  (${a.owner})`).join("\n");
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
  "keys rotate": {
    usage: "keys rotate [--json]",
    summary: "Start signing with a new key; the old one keeps verifying until its tokens expire.",
    options: json,
    run: async () => rotateSigningKey(cliActor),
    print: (r) => {
      const k = r as { kid: string; retired: string[] };
      return `Now signing with ${k.kid}${k.retired.length ? `; retiring ${k.retired.join(", ")}` : ""}`;
    },
  },
  "keys list": {
    usage: "keys list [--json]",
    summary: "List signing keys.",
    options: json,
    run: () => listSigningKeys(),
    print: (r) => (r as { kid: string; status: string }[]).map((k) => `${k.kid}  ${k.status}`).join("\n") || "No keys.",
  },
};

function statusCommand(status: "active" | "suspended" | "revoked"): Command {
  const verb = { active: "activate", suspended: "suspend", revoked: "revoke" }[status];
  return {
    usage: `clients ${verb} CLIENT_ID [--json]`,
    summary: { active: "Reactivate a suspended app.", suspended: "Suspend an app: its tokens stop working at once.", revoked: "Revoke an app for good: its tokens and grants end." }[status],
    options: json,
    async run(_v, pos) {
      const id = pos[0];
      if (!id) throw new UsageError("CLIENT_ID is required");
      const app = await setAppStatus(id, status, cliActor);
      if (!app) throw new UsageError(`no app with client_id ${id}`);
      return { client_id: app.id, status: app.status };
    },
    print: (r) => {
      const a = r as { client_id: string; status: string };
      return `${a.client_id} is now ${a.status}`;
    },
  };
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
    await prisma.$disconnect();
  }
}
