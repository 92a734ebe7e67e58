import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { PoolStats } from "./poolStats";

/**
 * The process's Prometheus metrics, served at /metrics. One registry per
 * process: counters are process-wide, so other modules import the ones they
 * feed (the response cache increments cacheHits/cacheMisses).
 */
export const registry = new Registry();
registry.setDefaultLabels({ service: "newsgraph" });
collectDefaultMetrics({ register: registry });

export const httpRequests = new Counter({
  name: "newsgraph_http_requests_total",
  help: "HTTP requests by route and status code.",
  labelNames: ["route", "status"] as const,
  registers: [registry],
});

export const operationRequests = new Counter({
  name: "newsgraph_graphql_operations_total",
  help: "GraphQL operations by operation name and outcome (ok: no errors; error: at least one).",
  labelNames: ["operation", "outcome"] as const,
  registers: [registry],
});

export const operationDuration = new Histogram({
  name: "newsgraph_graphql_operation_duration_seconds",
  help: "Time from Apollo receiving a GraphQL operation to its response being ready, by operation name.",
  labelNames: ["operation"] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

export const operationStatements = new Histogram({
  name: "newsgraph_graphql_operation_sql_statements",
  help: "SQL statements one GraphQL operation sent, by operation name (depends on the query's shape, not its row counts).",
  labelNames: ["operation"] as const,
  buckets: [0, 1, 2, 3, 5, 8, 13, 21, 34, 55],
  registers: [registry],
});

export const loaderBatchSize = new Histogram({
  name: "newsgraph_dataloader_batch_size",
  help: "Keys per DataLoader batch (one SQL statement each), by loader.",
  labelNames: ["loader"] as const,
  buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500],
  registers: [registry],
});

export const cacheHits = new Counter({
  name: "newsgraph_cache_hits_total",
  help: "Cache lookups answered from the cache, by cache (response, apq, ...).",
  labelNames: ["cache"] as const,
  registers: [registry],
});

export const cacheMisses = new Counter({
  name: "newsgraph_cache_misses_total",
  help: "Cache lookups that found nothing, by cache (response, apq, ...).",
  labelNames: ["cache"] as const,
  registers: [registry],
});

// Pools of the databases this process has open; several in tests, one in production.
const pools = new Set<() => PoolStats>();

/** Reports a database pool's state on /metrics until the returned function is called. */
export function watchPool(stats: () => PoolStats): () => void {
  pools.add(stats);
  return () => pools.delete(stats);
}

function poolGauge(name: string, help: string, pick: (s: PoolStats) => number): Gauge {
  return new Gauge({
    name,
    help,
    registers: [registry],
    collect() {
      let sum = 0;
      for (const stats of pools) sum += pick(stats());
      this.set(sum);
    },
  });
}

poolGauge("newsgraph_db_pool_size", "Connections the database pool may open (SQLite: its one connection).", (s) => s.size);
poolGauge("newsgraph_db_pool_in_use", "Database connections currently running a statement or transaction.", (s) => s.inUse);
poolGauge("newsgraph_db_pool_idle", "Open database connections waiting for work.", (s) => s.idle);
poolGauge("newsgraph_db_pool_waiting", "Requests queued for a database connection.", (s) => s.waiting);
