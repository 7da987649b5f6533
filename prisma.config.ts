import { existsSync, mkdirSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "prisma/config";

// The directory holding this file (the project root), however the CLI loads it.
const root =
  typeof __dirname === "string" ? __dirname : path.dirname(fileURLToPath(import.meta.url));

/**
 * Where the Prisma CLI looks for the native schema engine
 * (`schema-engine-<platform>`, see `resolveBinary` in the CLI bundle): next to
 * @prisma/engines (where its postinstall downloads it), then in and around the
 * `prisma` package.
 */
function nativeSchemaEngineInstalled(): boolean {
  const dirs = [
    path.join(root, "node_modules", "@prisma", "engines"),
    path.join(root, "node_modules", "prisma"),
    path.join(root, "node_modules"),
    path.join(root, "node_modules", "prisma", "runtime"),
  ];
  return dirs.some((dir) => {
    try {
      return readdirSync(dir).some((name) => /^schema-engine-/.test(name) && !name.endsWith(".gz"));
    } catch {
      return false;
    }
  });
}

// Offline fallback: without the native binary (it is downloaded from Prisma's own
// host, unreachable here), the CLI runs prisma/schema-engine.mjs instead, which
// forwards to @prisma/schema-engine-wasm. With PRISMA_SCHEMA_ENGINE_BINARY set, the
// CLI also skips its engine download.
if (!process.env.PRISMA_SCHEMA_ENGINE_BINARY && !nativeSchemaEngineInstalled()) {
  process.env.PRISMA_SCHEMA_ENGINE_BINARY = path.join(root, "prisma", "schema-engine.mjs");
}

function defaultDatabaseUrl(): string {
  const dataDir = path.join(root, "data");
  if (!existsSync(dataDir)) mkdirSync(dataDir, { recursive: true });
  return `file:${path.join(dataDir, "latchkey.db")}`;
}

const url = process.env.DATABASE_URL || defaultDatabaseUrl();
// One schema folder (generator + datasource + the shared models.prisma) and one
// migrations history per provider: a Prisma schema names a single provider.
const provider = /^postgres(ql)?:\/\//.test(url) ? "postgresql" : "sqlite";

export default defineConfig({
  schema: path.join(root, "prisma", provider),
  migrations: {
    path: path.join(root, "prisma", provider, "migrations"),
  },
  datasource: {
    url,
    ...(process.env.SHADOW_DATABASE_URL ? { shadowDatabaseUrl: process.env.SHADOW_DATABASE_URL } : {}),
  },
});
