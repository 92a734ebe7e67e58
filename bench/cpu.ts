import fs from "node:fs";
import path from "node:path";
import mysql from "mysql2/promise";
import { runLoad } from "./load";
import { medianBy, startFloor, startGateway } from "./measure";
import { loadOperations } from "./operations";
import { cpuMs, type Server } from "./processes";

// Where a page's time goes: the CPU a request costs the server process and
// MariaDB, for the gateway and both floors over one existing database (a
// corpus kept by `npm run bench -- --scale --keep`). Requests per second
// on a shared machine change with its load; the CPU each request costs
// changes much less. Each server is loaded in turn, round after round, and
// the median round of each is printed. The floors answer the article page
// and the front page only; other operations measure the gateway alone.
//
//   node dist/bench/cpu.js <mysql://.../database> [ArticlePage,FrontPage] [rounds] [seconds] [connections] [other build's dist] [its node flags]
//
// Given another build's compiled tree (its dist folder), its gateway is
// measured too, in the same rounds: two versions compared side by side.
// Given node flags after it ("none" for none), that gateway runs with them
// instead of the gateway's own (src/server/nodeFlags.ts): this build's dist
// with "none" measures what the flags do.

const USAGE = "Usage: node dist/bench/cpu.js <mysql://.../database> [ArticlePage,FrontPage] [rounds=5] [seconds=5] [connections=8] [other build's dist] [its node flags, or none]";

/** The MariaDB server's process id, from the pid file it writes. */
function mariadbPid(): number {
  for (const file of ["/run/mysqld/mysqld.pid", "/var/run/mysqld/mysqld.pid"]) {
    if (fs.existsSync(file)) return Number(fs.readFileSync(file, "utf8").trim());
  }
  throw new Error("No MariaDB pid file in /run/mysqld: this measure needs the server on this machine.");
}

interface Round {
  rps: number;
  serverMs: number;
  mariadbMs: number;
}

/** The operations the floors answer (bench/floor.ts). */
const FLOORED = new Set(["ArticlePage", "FrontPage"]);

async function main(): Promise<void> {
  const [url, only = "ArticlePage,FrontPage", roundsArg = "5", secondsArg = "5", connectionsArg = "8", other, otherFlags] = process.argv.slice(2);
  if (!url?.startsWith("mysql://")) {
    console.error(USAGE);
    process.exit(2);
  }
  const [rounds, seconds, connections] = [roundsArg, secondsArg, connectionsArg].map(Number);
  const conn = await mysql.createConnection({ uri: url });
  const operations = (await loadOperations(conn, url)).filter((op) => only.split(",").includes(op.name));
  await conn.end();
  const mariadb = mariadbPid();
  const servers: Server[] = [await startGateway("gateway", url, {})];
  const names = ["gateway"];
  if (other) {
    const flags = otherFlags === undefined ? undefined : otherFlags === "none" ? [] : otherFlags.split(" ");
    servers.push(await startGateway("other gateway", url, {}, [], path.resolve(other), flags));
    names.push(`gateway of ${other}${flags ? ` with node flags "${flags.join(" ")}"` : ""}`);
  }
  const gateways = servers.length;
  servers.push(await startFloor("gateway-sql", url), await startFloor("hand-written", url));
  names.push("GraphQL-overhead floor", "hand-written floor");
  try {
    console.log(`${url.replace(/.*\//, "")}: ${rounds} rounds of ${seconds} s per server, c=${connections}, ${new Date().toISOString()}, load ${fs.readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")}`);
    for (const op of operations) {
      const measuring = FLOORED.has(op.name) ? servers : servers.slice(0, gateways);
      const measured: Round[][] = measuring.map(() => []);
      for (const server of measuring) await runLoad(server.url, op.bodies, connections, 1);
      for (let round = 0; round < rounds; round++) {
        for (const [i, server] of measuring.entries()) {
          const pid = server.process.pid as number;
          const [s0, m0] = [cpuMs(pid), cpuMs(mariadb)];
          const load = await runLoad(server.url, op.bodies, connections, seconds);
          if (load.failures > 0) throw new Error(`${names[i]} failed ${load.failures} ${op.name} requests:\n${server.output().slice(-600)}`);
          measured[i].push({ rps: load.rps, serverMs: (cpuMs(pid) - s0) / load.requests, mariadbMs: (cpuMs(mariadb) - m0) / load.requests });
        }
      }
      console.log(`\n| ${op.name} | req/s | server process CPU ms/request | MariaDB CPU ms/request | both |`);
      console.log("| --- | ---: | ---: | ---: | ---: |");
      for (const [i, runs] of measured.entries()) {
        const median = (key: (r: Round) => number) => key(medianBy(runs, key));
        const [rps, server, db] = [median((r) => r.rps), median((r) => r.serverMs), median((r) => r.mariadbMs)];
        console.log(`| ${names[i]} | ${rps.toFixed(0)} | ${server.toFixed(2)} | ${db.toFixed(2)} | ${(server + db).toFixed(2)} |`);
      }
    }
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
