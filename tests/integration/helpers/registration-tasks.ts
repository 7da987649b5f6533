// Database-side steps of the dynamic registration tests, run with the server's environment
// (`tsx tests/integration/helpers/registration-tasks.ts <task> …`): prints JSON.
import { expireRegisteredClients } from "../../../lib/server/housekeeping";
import { claimRegisteredClient, registrationStore } from "../../../lib/data/registered-clients";
import { createInitialAccessToken, revokeInitialAccessToken } from "../../../lib/data/initial-access-tokens";
import { saveServerSetting } from "../../../lib/data/settings";
import { getUserByEmail } from "../../../lib/data/users";
import { handleRegistrationRequest, type RegistrationPolicy } from "../../../lib/oauth/registration";
import { prisma } from "../../../lib/db";
import { env } from "../../../lib/env";

const DAY = 86_400_000;
const daysAgo = (days: string) => (days === "null" ? null : new Date(Date.now() - Number(days) * DAY));

const tasks: Record<string, (...args: string[]) => Promise<unknown>> = {
  async policy(value) {
    await saveServerSetting("registration", value as RegistrationPolicy);
    return { registration: value };
  },
  /** expiresInDays may be negative (already expired) or "none". */
  "initial-token": (label, expiresInDays = "none") =>
    createInitialAccessToken(label!, expiresInDays === "none" ? null : new Date(Date.now() + Number(expiresInDays) * DAY)),
  "revoke-initial-token": async (id) => ({ revoked: await revokeInitialAccessToken(id!) }),
  /** Registers a client through the protocol core, whatever the server's policy. */
  async register(metadataJson) {
    const res = await handleRegistrationRequest(
      { store: registrationStore, issuer: env().issuer, path: "/oauth/register", policy: async () => "open" },
      {
        method: "POST",
        url: new URL("/oauth/register", env().issuer),
        headers: new Headers({ "content-type": "application/json" }),
        body: null,
      },
      metadataJson!,
    );
    return JSON.parse(res.body);
  },
  async age(clientId, createdDaysAgo, lastTokenDaysAgo = "null") {
    await prisma.client.update({
      where: { id: clientId },
      data: { createdAt: daysAgo(createdDaysAgo!)!, lastTokenAt: daysAgo(lastTokenDaysAgo) },
    });
    return { aged: clientId };
  },
  async claim(clientId, token, email) {
    const user = await getUserByEmail(email!);
    return { claimed: await claimRegisteredClient(clientId!, token!, { id: user!.id, email: user!.email }) };
  },
  expire: async () => ({ deleted: await expireRegisteredClients() }),
};

const [name, ...args] = process.argv.slice(2);
const task = tasks[name ?? ""];
if (!task) throw new Error(`unknown task ${name}`);
console.log(JSON.stringify(await task(...args)));
process.exit(0);
