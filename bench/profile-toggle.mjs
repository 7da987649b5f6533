// SIGUSR2 toggles a V8 CPU profile (`npm run bench -- --profile`); shared by all three bench servers.
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import path from "node:path";

export function installProfileToggle(name) {
  const dir = process.env.LATCHKEY_BENCH_PROFILE;
  if (!dir) return;
  let session = null;
  let n = 0;
  process.on("SIGUSR2", async () => {
    if (session === null) {
      session = new Session();
      session.connect();
      await session.post("Profiler.enable");
      await session.post("Profiler.start");
      return;
    }
    const s = session;
    session = null;
    const { profile } = await s.post("Profiler.stop");
    writeFileSync(path.join(dir, `${name}-${++n}.cpuprofile`), JSON.stringify(profile));
    s.disconnect();
  });
}
