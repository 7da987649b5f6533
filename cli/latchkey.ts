// Entry of `npm run latchkey -- <command>`: makes sure the database is ready, then runs the command.
import { exportEnv } from "../lib/env";
import { generateClient, migrate } from "../scripts/prepare";

async function start() {
  exportEnv();
  const args = process.argv.slice(2);
  const wantsHelp = args.length === 0 || args.includes("--help") || args.includes("-h") || args[0] === "help";
  generateClient();
  if (!wantsHelp) {
    await migrate();
    const { setPragmas } = await import("../lib/data/pragmas");
    await setPragmas();
    const { ensureScopeCatalog } = await import("../lib/data/seed");
    await ensureScopeCatalog();
  }
  const { runCli } = await import("./commands");
  process.exit(await runCli(args));
}

start().catch((err) => {
  console.error(`Error: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
