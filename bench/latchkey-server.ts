// The Latchkey production server as the benchmark runs it (the runner prepares the
// database first). When Next has no usable build (LATCHKEY_BENCH_NEXT=0, or the build
// in .next is missing), it serves the machine endpoints only: they never reach Next,
// but the peak RSS is then without Next's. With LATCHKEY_BENCH_PROFILE=<dir>, SIGUSR2
// starts a CPU profile and the next SIGUSR2 writes it there.
import { startServer } from "../server";
import { installProfileToggle } from "./profile-toggle.mjs";

(process.env as Record<string, string>).NODE_ENV = "production";
process.env.NEXT_TELEMETRY_DISABLED = "1";
let withNext = process.env.LATCHKEY_BENCH_NEXT !== "0";
try {
  await startServer({ next: withNext });
} catch (err) {
  if (!withNext) throw err;
  console.error(`[bench] Next did not start (${(err as Error).message.split("\n")[0]}); machine endpoints only`);
  withNext = false;
  await startServer({ next: false });
}
installProfileToggle("latchkey");
console.log(`next=${withNext ? 1 : 0}`);
console.log("ready");
