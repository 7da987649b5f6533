// SIGUSR2 starts a V8 CPU profile, the next SIGUSR2 writes it to
// $LATCHKEY_BENCH_PROFILE/<name>-<n>.cpuprofile. Used by `npm run bench -- --profile`.
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import path from "node:path";

export function installProfileToggle(name: string): void {
  const dir = process.env.LATCHKEY_BENCH_PROFILE;
  if (!dir) return;
  let session: Session | null = null;
  let n = 0;
  process.on("SIGUSR2", () => {
    void (async () => {
      if (session === null) {
        session = new Session();
        session.connect();
        await session.post("Profiler.enable");
        await session.post("Profiler.setSamplingInterval", { interval: 200 });
        await session.post("Profiler.start");
        return;
      }
      const s = session;
      session = null;
      const { profile } = await s.post("Profiler.stop");
      writeFileSync(path.join(dir, `${name}-${++n}.cpuprofile`), JSON.stringify(profile));
      s.disconnect();
      console.log("profile written");
    })();
  });
}
