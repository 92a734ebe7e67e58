import type { LoadResult } from "./load";
import type { StatementCheck } from "./verify";

export interface OperationResult {
  operation: string;
  statements: StatementCheck;
  runs: {
    connections: number;
    gateway: LoadResult & { peakRssMb: number };
    floor: LoadResult | null;
    /** Gateway requests/s divided by the floor's, measured back to back. */
    ratioToFloor: number | null;
  }[];
}

const fixed = (n: number, digits = 0) => n.toFixed(digits);

export function statementsCell(s: StatementCheck): string {
  const seen = s.counts.join("/");
  if (s.smallPage === null || s.largePage === null) return seen;
  return `${seen} (first 5: ${s.smallPage}, first 50: ${s.largePage})`;
}

/** The results as a Markdown table, the form BENCHMARKS.md keeps them in. */
export function table(results: OperationResult[]): string {
  const lines = [
    "| operation | conc. | gateway req/s | floor req/s | ratio | p50 ms | p90 ms | p99 ms | SQL statements per request | peak RSS MB |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |",
  ];
  for (const r of results) {
    for (const run of r.runs) {
      const g = run.gateway;
      const f = run.floor;
      lines.push(
        `| ${r.operation} | ${run.connections} | ${fixed(g.rps)}${g.failures ? ` (${g.failures} failed)` : ""} | ${f ? `${fixed(f.rps)}${f.failures ? ` (${f.failures} failed)` : ""}` : "–"} | ${
          run.ratioToFloor === null ? "–" : fixed(run.ratioToFloor, 2)
        } | ${g.p50} | ${g.p90} | ${g.p99} | ${statementsCell(r.statements)} | ${fixed(g.peakRssMb, 1)} |`,
      );
    }
  }
  const floorLatency = results.flatMap((r) => r.runs.filter((run) => run.floor).map((run) => `${r.operation} c=${run.connections}: ${run.floor?.p50}/${run.floor?.p90}/${run.floor?.p99}`));
  if (floorLatency.length) lines.push("", `Floor latency p50/p90/p99 ms: ${floorLatency.join("; ")}.`);
  return lines.join("\n");
}
