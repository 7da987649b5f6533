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
  finish(await runCli(args));
}

/**
 * Ends the CLI by letting the event loop run out instead of calling process.exit at once: on the
 * way out of a natural exit Node waits for V8's background threads (Prisma's query compiler is
 * WebAssembly, compiled further in the background), while process.exit tears the engine down
 * under them; one CLI call in a CI run died with SIGSEGV (exit 139), most likely that way. Every
 * command closes its database connections, so the loop does run out; should a handle stay open,
 * the CLI still exits after a grace period (through process.exit, the path this avoids).
 */
function finish(code: number): void {
  process.exitCode = code;
  setTimeout(() => process.exit(code), 3000).unref();
}

start().catch((err) => {
  console.error(`Error: ${err instanceof Error ? err.message : String(err)}`);
  finish(1);
});
