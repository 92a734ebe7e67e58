import "reflect-metadata";
import os from "node:os";
import { openDatabase } from "../src/db/dataSource";
import { rebuildNeighbours, refreshQueuedNeighbours } from "../src/write/derived/keptNeighbours";

// The kept read-also neighbours' bulk speed on a seeded database:
//   DATABASE_URL=mysql://... node dist/bench/neighbours.js [--refresh N]
// times rebuildNeighbours (what a seed runs), then, with --refresh N, queues
// N articles spread over the archive (as an import of N pages would) and
// times the background refresh working them off. Prints articles per second.

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL names the seeded database");
  const i = process.argv.indexOf("--refresh");
  const refresh = i > 0 ? Number(process.argv[i + 1]) : 0;
  const db = await openDatabase({ url });
  const ds = db.dataSource;
  try {
    console.log(`load average at start: ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}`);
    let t = Date.now();
    const ranked = await ds.transaction((m) => rebuildNeighbours(m));
    let ms = Date.now() - t;
    console.log(`rebuild: ${ranked} articles ranked in ${(ms / 1000).toFixed(1)} s = ${Math.round(ranked / (ms / 1000))} articles/s`);
    if (refresh > 0) {
      const [{ n }] = await ds.query("SELECT COUNT(*) AS n FROM article");
      const step = Math.max(1, Math.floor(Number(n) / refresh));
      await ds.query(`INSERT INTO neighbour_refresh (article_id) SELECT id FROM article WHERE MOD(id, ${step}) = 0 LIMIT ${refresh}`);
      t = Date.now();
      let queued = 0;
      for (let k = await refreshQueuedNeighbours(ds); k > 0; k = await refreshQueuedNeighbours(ds)) queued += k;
      ms = Date.now() - t;
      console.log(`refresh of ${queued} queued articles spread over the archive: ${(ms / 1000).toFixed(1)} s`);
    }
    console.log(`load average at end: ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}`);
  } finally {
    await ds.destroy();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
