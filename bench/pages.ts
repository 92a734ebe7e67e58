import mysql from "mysql2/promise";
import { measured, startFloor, startGateway } from "./measure";
import { loadOperations } from "./operations";
import { checkFloorAnswers, checkStatements } from "./verify";

// Chosen contract operations against a database that is already there (no
// seed, no drop), at concurrency 1 and 32, with the variables `npm run bench`
// uses; with --floor, FrontPage and ArticlePage also against the hand-written
// floor, whose answers are first compared with the gateway's. For before/after
// figures of one change on one corpus:
//   node dist/bench/pages.js mysql://root@127.0.0.1:3306/DB FrontPage,RubricPage [--floor]

const FLOOR_OPERATIONS = new Set(["ArticlePage", "FrontPage"]);

async function main(): Promise<void> {
  const [url, only = "FrontPage,RubricPage", ...flags] = process.argv.slice(2);
  if (!url) throw new Error("usage: node dist/bench/pages.js mysql://HOST/DB [Op1,Op2] [--floor]");
  const names = only.split(",");
  const conn = await mysql.createConnection({ uri: url });
  const ops = (await loadOperations(conn, url)).filter((op) => names.includes(op.name));
  await conn.end();
  const gateway = await startGateway("gateway", url, {});
  const floor = flags.includes("--floor") ? await startFloor("hand-written", url) : null;
  const o = { warmup: 2, duration: 10 };
  try {
    for (const op of ops) {
      if (floor && FLOOR_OPERATIONS.has(op.name)) console.log(`${op.name}: the hand-written floor answered as the gateway for ${await checkFloorAnswers(gateway.url, floor.url, op, 12)} variable sets`);
      const statements = await checkStatements(gateway.url, op, 12);
      for (const connections of [1, 32]) {
        const r = await measured(gateway, op.bodies, connections, o, console.log);
        console.log(`${op.name} c=${connections} ${r.rps.toFixed(1)} req/s p50 ${r.p50} p99 ${r.p99} ms, ${statements.counts.join("/")} statements, ${r.failures} failed`);
        if (floor && FLOOR_OPERATIONS.has(op.name)) {
          const f = await measured(floor, op.bodies, connections, o, console.log);
          console.log(`  hand-written floor c=${connections} ${f.rps.toFixed(1)} req/s p50 ${f.p50} p99 ${f.p99} ms`);
        }
      }
    }
  } finally {
    await gateway.stop();
    await floor?.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
