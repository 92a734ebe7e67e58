import { execFileSync } from "node:child_process";
import fs from "node:fs";

/** The pids of mariadbd processes whose command line names a folder inside `dir`. */
function serversUnder(dir: string): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let cmdline: string;
    try {
      cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, "utf8");
    } catch {
      continue; // gone meanwhile
    }
    const args = cmdline.split("\0");
    if (/mariadbd$/.test(args[0]) && args.some((a) => a.startsWith("--datadir=") && a.slice("--datadir=".length).startsWith(dir))) pids.push(Number(entry));
  }
  return pids;
}

/**
 * Ends the run: a private MariaDB server that outlived its test (its
 * process was killed before the exit hook ran) is killed here, and the
 * run's temporary folder (test/helpers/globalSetup.ts) is removed.
 */
export default function globalTeardown(): void {
  const runDir = process.env.NEWSGRAPH_TEST_RUN_DIR;
  if (!runDir) return;
  const leftover = serversUnder(runDir);
  for (const pid of leftover) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  if (leftover.length > 0) {
    // Wait until they are gone before removing the folders they write to.
    for (let i = 0; i < 50 && serversUnder(runDir).length > 0; i++) execFileSync("sleep", ["0.1"]);
    process.stderr.write(`global teardown: killed ${leftover.length} private mariadbd left running by a test\n`);
  }
  fs.rmSync(runDir, { recursive: true, force: true });
}
