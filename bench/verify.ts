import { isDeepStrictEqual } from "node:util";
import type { BenchOperation } from "./operations";

// Checks made before anything is timed: that every operation answers
// without errors, how many SQL statements it costs (and that the count
// does not grow with the page size), and that the floor answers exactly
// what the gateway answers, so that comparing their speed is fair.

export interface Answer {
  status: number;
  json: { data?: unknown; errors?: { message: string }[] };
  statements: number | null;
}

export async function post(url: string, body: string): Promise<Answer> {
  const res = await fetch(`${url}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body });
  const header = res.headers.get("x-sql-statements");
  return { status: res.status, json: (await res.json()) as Answer["json"], statements: header === null ? null : Number(header) };
}

function failed(name: string, a: Answer): string | null {
  if (a.status !== 200) return `${name} answered HTTP ${a.status}: ${JSON.stringify(a.json).slice(0, 300)}`;
  if (a.json.errors?.length) return `${name} answered with errors: ${a.json.errors.map((e) => e.message).join("; ")}`;
  return null;
}

export interface StatementCheck {
  /** Distinct statement counts seen over the sampled variable sets. */
  counts: number[];
  smallPage: number | null;
  largePage: number | null;
  samples: number;
}

/** Sends `samples` of the operation's bodies, and a small and a large page when it has pages; throws on any error. */
export async function checkStatements(url: string, op: BenchOperation, samples: number): Promise<StatementCheck> {
  const seen = new Set<number>();
  for (const body of op.bodies.slice(0, samples)) {
    let a = await post(url, body);
    // One retry: on a machine shared with other work a single statement can fail for reasons of its own (a temporary file gone, say).
    if (failed(op.name, a)) a = await post(url, body);
    const problem = failed(op.name, a);
    if (problem) throw new Error(problem);
    if (a.statements === null) throw new Error("The gateway sent no x-sql-statements header; was it started with BENCH_STATEMENT_HEADER=1?");
    seen.add(a.statements);
  }
  let smallPage: number | null = null;
  let largePage: number | null = null;
  if (op.pageSizes) {
    const { small, large } = op.pageSizes;
    const [s, l] = [await post(url, JSON.stringify({ operationName: op.name, query: op.query, variables: small })), await post(url, JSON.stringify({ operationName: op.name, query: op.query, variables: large }))];
    for (const a of [s, l]) {
      const problem = failed(op.name, a);
      if (problem) throw new Error(problem);
    }
    smallPage = s.statements;
    largePage = l.statements;
  }
  return { counts: [...seen].sort((a, b) => a - b), smallPage, largePage, samples: Math.min(samples, op.bodies.length) };
}

/** Where two JSON values first differ, as a path, or null when they are equal. */
export function firstDifference(a: unknown, b: unknown, at = "$"): string | null {
  if (isDeepStrictEqual(a, b)) return null;
  if (a && b && typeof a === "object" && typeof b === "object" && Array.isArray(a) === Array.isArray(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    if (ka.join() !== kb.join()) return `${at}: keys ${JSON.stringify(ka)} vs ${JSON.stringify(kb)}`;
    for (const k of ka) {
      const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${at}.${k}`);
      if (d) return d;
    }
  }
  return `${at}: ${JSON.stringify(a)?.slice(0, 200)} vs ${JSON.stringify(b)?.slice(0, 200)}`;
}

/** Compares the floor's and the gateway's answers for `samples` variable sets; throws on the first difference. */
export async function checkFloorAnswers(gatewayUrl: string, floorUrl: string, op: BenchOperation, samples: number): Promise<number> {
  const bodies = op.bodies.slice(0, samples);
  for (const body of bodies) {
    const [g, f] = [await post(gatewayUrl, body), await post(floorUrl, body)];
    const problem = failed(`The gateway's ${op.name}`, g) ?? failed(`The floor's ${op.name}`, f);
    if (problem) throw new Error(problem);
    // Only data: the gateway may add extensions (the query's cost) that a page never reads.
    const difference = firstDifference(g.json.data, f.json.data);
    if (difference) throw new Error(`The floor's ${op.name} answer differs from the gateway's (gateway vs floor) for ${body.slice(body.indexOf('"variables"'))}: ${difference}`);
  }
  return bodies.length;
}
