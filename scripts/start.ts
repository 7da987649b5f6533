// `npm start`: prepare everything, then serve.
import { exportEnv } from "../lib/env";
import { buildIfStale, prepareDatabase } from "./prepare";

async function main() {
  (process.env as Record<string, string>).NODE_ENV = "production";
  process.env.NEXT_TELEMETRY_DISABLED = "1";
  const e = exportEnv();
  const seeded = await prepareDatabase();
  if (seeded) {
    console.log("\nDemo data created (first start of an empty database):");
    for (const u of seeded.users) console.log(`  ${u.role.padEnd(5)}  ${u.email.padEnd(24)} password: ${u.password}`);
    console.log(`  demo app  client_id: ${seeded.demoClientId}`);
    console.log(`            client_secret: ${seeded.demoClientSecret}   (shown once; rotate it in the portal)\n`);
  }
  buildIfStale();
  const { startServer } = await import("../server");
  await startServer();
  console.log(`Latchkey is running at ${e.issuer} (port ${e.port})`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
