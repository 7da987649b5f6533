import { prisma } from "../db";
import { env } from "../env";
import { systemActor } from "./audit";
import { createApp } from "./clients";
import { upsertScope, type ScopeEntry } from "./scopes";
import { createUser } from "./users";

export const DEFAULT_SCOPES: ScopeEntry[] = [
  { name: "openid", category: "Identity", restricted: false, description: "Sign you in with your Latchkey account and tell the app who you are." },
  { name: "profile", category: "Identity", restricted: false, description: "See your name, username, picture, website, birthdate, locale and time zone from your profile." },
  { name: "email", category: "Identity", restricted: false, description: "See your email address and whether it is verified." },
  { name: "address", category: "Identity", restricted: false, description: "See the postal address in your profile." },
  { name: "phone", category: "Identity", restricted: false, description: "See the phone number in your profile and whether it is verified." },
  { name: "offline_access", category: "Identity", restricted: false, description: "Keep access while you are away, using refresh tokens." },
  { name: "account:read", category: "Account API", restricted: false, description: "Read your account details through the Latchkey API." },
  { name: "notes:read", category: "Notes API", restricted: false, description: "Read your notes." },
  { name: "notes:write", category: "Notes API", restricted: false, description: "Create, change and delete your notes." },
  { name: "admin:audit", category: "Administration", restricted: true, description: "Read the server's audit log. Restricted: an admin must approve it for each app." },
];

export const DEMO_USERS = [
  { email: "admin@latchkey.local", password: "latchkey-admin", name: "Ada Admin", role: "admin" as const },
  { email: "dev@latchkey.local", password: "latchkey-dev", name: "Devon Developer", role: "user" as const },
  { email: "user@latchkey.local", password: "latchkey-user", name: "Uma User", role: "user" as const },
];

export const DEMO_CLIENT_ID = "latchkey-demo";

export interface SeedResult {
  users: typeof DEMO_USERS;
  demoClientId: string;
  demoClientSecret: string | null;
}

/** OIDC Core §5.4's scopes: every catalog has them, also one created before some existed. */
const STANDARD_SCOPES = ["openid", "profile", "email", "address", "phone"];

/**
 * The default scope catalog on a database that has none yet; on one that has, adds the
 * standard scopes it lacks (never changing an existing entry). Safe to run concurrently.
 */
export async function ensureScopeCatalog(): Promise<void> {
  if ((await prisma.scope.count()) === 0) {
    for (const scope of DEFAULT_SCOPES) await upsertScope(scope);
    return;
  }
  const present = await prisma.scope.findMany({ where: { name: { in: STANDARD_SCOPES } }, select: { name: true } });
  const missing = DEFAULT_SCOPES.filter((s) => STANDARD_SCOPES.includes(s.name) && !present.some((p) => p.name === s.name));
  for (const scope of missing) {
    await prisma.scope.create({ data: scope }).catch((err: unknown) => {
      // Another instance or CLI run added it first.
      if ((err as { code?: string }).code !== "P2002") throw err;
    });
  }
}

/** Fills an empty database with demo data; does nothing when any user exists. */
export async function seedIfEmpty(): Promise<SeedResult | null> {
  await ensureScopeCatalog();
  if ((await prisma.user.count()) > 0 || (await prisma.client.count()) > 0) return null;
  const created = [];
  // Demo addresses cannot receive mail: they count as verified (team invitations need that).
  for (const u of DEMO_USERS) created.push(await createUser({ ...u, emailVerified: true }));
  const developer = created[1]!;
  const { clientSecret } = await createApp(
    developer.id,
    {
      name: "Latchkey Demo App",
      description: "A confidential demo client to try every flow against this server.",
      websiteUrl: env().issuer,
      logoUrl: null,
      type: "confidential",
      redirectUris: ["http://127.0.0.1/callback", "http://localhost/callback", "http://localhost/playground/callback"],
      webOrigins: [],
      grantTypes: ["authorization_code", "refresh_token", "client_credentials"],
      scopes: ["openid", "profile", "email", "offline_access", "account:read", "notes:read", "notes:write"],
    },
    systemActor,
    { byAdmin: true, clientId: DEMO_CLIENT_ID },
  );
  return { users: DEMO_USERS, demoClientId: DEMO_CLIENT_ID, demoClientSecret: clientSecret };
}
