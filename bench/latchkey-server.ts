// The Latchkey production server as the benchmark runs it. The runner prepares the
// database first. LATCHKEY_BENCH_NEXT=0 leaves Next out (when no build is available);
// with LATCHKEY_BENCH_PROFILE=<dir>, SIGUSR2 starts a CPU profile and the next SIGUSR2
// writes it there.
import { startServer } from "../server";
import { installProfileToggle } from "./profile-toggle";

(process.env as Record<string, string>).NODE_ENV = "production";
process.env.NEXT_TELEMETRY_DISABLED = "1";
await startServer({ next: process.env.LATCHKEY_BENCH_NEXT !== "0" });
installProfileToggle("latchkey");
console.log("ready");
