import fs from "node:fs";
import { Session } from "node:inspector";

// Preloaded into the gateway (node -r) when the benchmark runs with
// --profile. `node --cpu-prof` writes its file only on a normal exit, which
// the gateway's shutdown does not always reach; this profiles from start-up
// and writes the file when the benchmark sends SIGUSR2.

const target = process.env.BENCH_CPU_PROFILE;
if (target) {
  const session = new Session();
  session.connect();
  session.post("Profiler.enable", () => session.post("Profiler.start"));
  process.on("SIGUSR2", () => {
    session.post("Profiler.stop", (err, result) => {
      if (!err) fs.writeFileSync(target, JSON.stringify(result.profile));
    });
  });
}
