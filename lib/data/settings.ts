// Settings an admin changes at run time. Each has its start value in the environment
// (lib/env.ts); once an admin saves one, the database value wins on every instance.
import { z } from "zod";
import { prisma } from "../db";
import { env, type RegistrationPolicy } from "../env";
import { onInvalidate } from "./cache-bus";
import { TtlCache } from "./ttl-cache";

/** Who may use a client ID metadata document: anyone, only listed hosts, nobody. */
export type MetadataDocumentPolicy = "all" | "listed" | "off";

export interface ServerSettings {
  registration: RegistrationPolicy;
  metadataDocuments: MetadataDocumentPolicy;
  /** Hosts (exact, or `*.example.com`) allowed when `metadataDocuments` is "listed". */
  metadataDocumentDomains: string[];
}

const shapes = {
  registration: z.enum(["off", "open", "public", "token"]),
  metadataDocuments: z.enum(["all", "listed", "off"]),
  metadataDocumentDomains: z.array(z.string().min(1).max(253)).max(200),
} satisfies { [K in keyof ServerSettings]: z.ZodType<ServerSettings[K]> };

function defaults(): ServerSettings {
  const e = env();
  return {
    registration: e.registration,
    metadataDocuments: e.clientMetadataDocuments ? "all" : "off",
    metadataDocumentDomains: [],
  };
}

const cache = new TtlCache<ServerSettings>(5_000);
onInvalidate("settings", () => cache.clear());

/** The current settings (cached for 5 s, dropped at once on any instance's change). */
export function serverSettings(): Promise<ServerSettings> {
  return cache.get("all", async () => {
    const result = defaults();
    const rows = await prisma.setting.findMany();
    for (const row of rows) {
      const key = row.key as keyof ServerSettings;
      const shape = shapes[key];
      if (shape === undefined) continue;
      try {
        const parsed = shape.safeParse(JSON.parse(row.value));
        if (parsed.success) (result as unknown as Record<string, unknown>)[key] = parsed.data;
      } catch {
        // an unreadable value keeps the default
      }
    }
    return result;
  });
}

export async function saveServerSetting<K extends keyof ServerSettings>(key: K, value: ServerSettings[K]): Promise<void> {
  const parsed = shapes[key].parse(value);
  const json = JSON.stringify(parsed);
  await prisma.setting.upsert({ where: { key }, create: { key, value: json }, update: { value: json } });
}

/** Whether a metadata document at `host` may be used under `settings`. */
export function metadataDocumentHostAllowed(settings: ServerSettings, host: string): boolean {
  if (settings.metadataDocuments === "off") return false;
  if (settings.metadataDocuments === "all") return true;
  const h = host.toLowerCase();
  return settings.metadataDocumentDomains.some((d) => {
    const domain = d.toLowerCase();
    return domain.startsWith("*.") ? h.endsWith(domain.slice(1)) : h === domain;
  });
}
