// Every web origin some active app allows: what a CORS preflight to the token or
// revocation endpoint is answered for (a preflight carries no client credentials).
import { prisma } from "../db";
import { allowedWebOrigins } from "../oauth/web-origins";
import { onInvalidate } from "./cache-bus";
import { TtlCache } from "./ttl-cache";

const split = (s: string) => s.split(" ").filter(Boolean);
const cache = new TtlCache<string[]>(5_000);
onInvalidate("clients", () => cache.clear());

export function knownWebOrigins(): Promise<string[]> {
  return cache.get("all", async () => {
    const clients = await prisma.client.findMany({
      where: { status: "active" },
      select: { webOrigins: true, redirectUris: { select: { uri: true } } },
    });
    const origins = clients.flatMap((c) =>
      allowedWebOrigins({ webOrigins: split(c.webOrigins), redirectUris: c.redirectUris.map((r) => r.uri) }),
    );
    return [...new Set(origins)];
  });
}
