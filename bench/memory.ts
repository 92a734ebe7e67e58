import path from "node:path";
import mysql from "mysql2/promise";
import { runLoad } from "./load";
import { startGateway } from "./measure";
import { loadOperations } from "./operations";
import { type Server, statusMb } from "./processes";

// Where the gateway's peak memory goes: one gateway process, as production
// runs one, serves every contract read operation in turn at concurrency
// 32 over an existing database (a corpus kept by `npm run bench -- --scale
// --keep`), and after each operation its resident memory and the kernel's
// high-water mark of it are printed. The peak of a long-lived process is
// what a memory limit meets; a fresh process serving one operation
// understates it. Given node flags, each set runs a gateway of its own in
// turn over the same operations, so that V8 flags (the young generation's
// size, src/server/nodeFlags.ts) can be compared side by side.
//
//   node dist/bench/memory.js <mysql://.../database> [seconds=8] [connections=32] ["node flags" | none]...

const USAGE = 'Usage: node dist/bench/memory.js <mysql://.../database> [seconds=8] [connections=32] ["node flags" | none]...';

async function main(): Promise<void> {
  const [url, secondsArg = "8", connectionsArg = "32", ...flagSets] = process.argv.slice(2);
  if (!url?.startsWith("mysql://")) {
    console.error(USAGE);
    process.exit(2);
  }
  const [seconds, connections] = [secondsArg, connectionsArg].map(Number);
  const conn = await mysql.createConnection({ uri: url });
  const operations = (await loadOperations(conn, url)).filter((op) => !op.writes);
  await conn.end();
  const sets = flagSets.length ? flagSets.map((f) => (f === "none" ? [] : f.split(" "))) : [undefined];
  console.log(`${url.replace(/.*\//, "")}: every read operation for ${seconds} s at c=${connections}, ${new Date().toISOString()}`);
  for (const flags of sets) {
    const server: Server = await startGateway("gateway", url, {}, [], path.resolve(__dirname, ".."), flags);
    const pid = server.process.pid as number;
    try {
      const cells: string[] = [];
      for (const op of operations) {
        const load = await runLoad(server.url, op.bodies, connections, seconds);
        if (load.failures > 0) throw new Error(`${op.name}: ${load.failures} requests failed:\n${server.output().slice(-600)}`);
        cells.push(`${op.name} ${load.rps.toFixed(0)} req/s, RSS ${statusMb(pid, "VmRSS")} MB, peak ${statusMb(pid, "VmHWM")} MB`);
      }
      console.log(`\nnode flags: ${flags ? flags.join(" ") || "(none)" : "the gateway's (src/server/nodeFlags.ts)"}; peak RSS ${statusMb(pid, "VmHWM")} MB`);
      for (const cell of cells) console.log(`  ${cell}`);
    } finally {
      await server.stop();
    }
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
