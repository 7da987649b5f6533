#!/usr/bin/env node
// Stand-in for Prisma's native `schema-engine` binary, for machines that cannot
// download it (see RECIPES.md, "Prisma without its binary download").
//
// prisma.config.ts points PRISMA_SCHEMA_ENGINE_BINARY here when the native engine is
// not installed. The Prisma CLI then runs this script exactly like the binary:
//
//   schema-engine [--datamodels <file>]... [--datasource '<json>'] [...]
//       line-delimited JSON-RPC 2.0 on stdin/stdout, forwarded to
//       @prisma/schema-engine-wasm with a driver adapter
//       (@prisma/adapter-better-sqlite3 for file: URLs, @prisma/adapter-pg for postgres).
//   schema-engine --datasource '{"url":...}' cli can-connect-to-database|create-database|drop-database
//       one-shot commands; errors as JSON log lines on stderr.
import { readFileSync } from "node:fs";
import path from "node:path";
import { cliCommands } from "./engine/cli-commands.mjs";
import { SchemaEngineServer, logLine } from "./engine/rpc.mjs";
import { schemaEngineWasmDir } from "./engine/wasm.mjs";

function parseArgs(argv) {
  const args = { datamodels: [], datasource: undefined, cli: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => argv[++i];
    if (arg === "--datamodels" || arg === "-d") args.datamodels.push(value());
    else if (arg.startsWith("--datamodels=")) args.datamodels.push(arg.slice("--datamodels=".length));
    else if (arg === "--datasource") args.datasource = JSON.parse(value());
    else if (arg.startsWith("--datasource=")) args.datasource = JSON.parse(arg.slice("--datasource=".length));
    else if (arg === "--enabled-preview-features" || arg === "--extension-types") value();
    else if (arg === "--version" || arg === "-V") args.version = true;
    else if (arg === "cli") {
      args.cli = argv[i + 1];
      break;
    }
  }
  return args;
}

async function runCli(command, datasource) {
  // The CLI drops the first stderr line before parsing the rest as JSON.
  logLine("INFO", `Running \`${command}\` with the WASM schema engine stand-in`);
  const handler = cliCommands[command];
  try {
    if (!handler) throw new Error(`Unknown cli command: ${command}`);
    if (!datasource?.url) throw new Error("The `cli` commands need --datasource with a url.");
    const result = await handler(datasource.url);
    if (result) process.stdout.write(JSON.stringify(result) + "\n");
    process.exit(0);
  } catch (error) {
    const fields = { error_code: error?.code && /^P\d{4}$/.test(error.code) ? error.code : undefined };
    logLine("ERROR", error?.message ?? String(error), fields);
    process.exit(1);
  }
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.version) {
    const pkg = JSON.parse(readFileSync(path.join(schemaEngineWasmDir(), "package.json"), "utf8"));
    process.stdout.write(`schema-engine-cli ${pkg.version.split(".").pop()} (wasm stand-in)\n`);
    return;
  }
  if (args.cli) return runCli(args.cli, args.datasource);
  const datamodels = args.datamodels.map((file) => [file, readFileSync(file, "utf8")]);
  const server = new SchemaEngineServer({ datasource: args.datasource, datamodels });
  await server.serve();
}

main().catch((error) => {
  logLine("ERROR", error?.stack ?? String(error));
  process.exit(1);
});
