import type { DataSource } from "typeorm";

export interface PoolStats {
  size: number;
  inUse: number;
  idle: number;
  waiting: number;
}

// mysql2's Pool keeps its connections and its wait queue in these queues;
// it has no public accessor for them.
interface Mysql2Pool {
  config: { connectionLimit: number };
  _allConnections: { length: number };
  _freeConnections: { length: number };
  _connectionQueue: { length: number };
}

interface Mysql2PoolCluster {
  _nodes: Record<string, { pool: Mysql2Pool }>;
}

function ofPool(pool: Mysql2Pool): PoolStats {
  const open = pool._allConnections.length;
  const idle = pool._freeConnections.length;
  return { size: pool.config.connectionLimit, inUse: open - idle, idle, waiting: pool._connectionQueue.length };
}

function sum(stats: PoolStats[]): PoolStats {
  return stats.reduce((a, b) => ({ size: a.size + b.size, inUse: a.inUse + b.inUse, idle: a.idle + b.idle, waiting: a.waiting + b.waiting }), {
    size: 0,
    inUse: 0,
    idle: 0,
    waiting: 0,
  });
}

/**
 * The connection pool's state. MySQL/MariaDB: mysql2's pool (primary and
 * replicas summed when TypeORM replication is on). SQLite has one
 * connection and no pool: a pool of one, never shown as waiting.
 */
export function poolStats(dataSource: DataSource): PoolStats {
  if (!dataSource.isInitialized) return { size: 0, inUse: 0, idle: 0, waiting: 0 };
  if (dataSource.options.type !== "mysql" && dataSource.options.type !== "mariadb") return { size: 1, inUse: 0, idle: 1, waiting: 0 };
  const driver = dataSource.driver as unknown as { pool?: Mysql2Pool; poolCluster?: Mysql2PoolCluster };
  const pools: Mysql2Pool[] = [];
  if (driver.pool) pools.push(driver.pool);
  if (driver.poolCluster) pools.push(...Object.values(driver.poolCluster._nodes).map((n) => n.pool));
  return sum(pools.map(ofPool));
}
