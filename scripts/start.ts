// `npm start`: prepare everything, then serve. `npm run dev` (`--dev`): the same server
// and front door, with Next in development mode (no build, hot reload).
import { exportEnv } from "../lib/env";
import { buildIfStale, prepareDatabase } from "./prepare";

const dev = process.argv.includes("--dev");

async function main() {
  (process.env as Record<string, string>).NODE_ENV = dev ? "development" : "production";
  process.env.NEXT_TELEMETRY_DISABLED = "1";
  const e = exportEnv();
  const seeded = await prepareDatabase();
  if (seeded) {
    console.log("\nDemo data created (first start of an empty database):");
    for (const u of seeded.users) console.log(`  ${u.role.padEnd(5)}  ${u.email.padEnd(24)} password: ${u.password}`);
    console.log(`  demo app  client_id: ${seeded.demoClientId}`);
    console.log(`            client_secret: ${seeded.demoClientSecret}   (shown once; rotate it in the portal)\n`);
  }
  if (!dev) buildIfStale();
  const { startServer } = await import("../server");
  await startServer({ dev });
  console.log(`Latchkey is running at ${e.issuer} (port ${e.port}, pid ${process.pid})${dev ? " in development mode" : ""}`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
