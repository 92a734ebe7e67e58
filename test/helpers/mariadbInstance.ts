import { type ChildProcess, execFile, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import mysql from "mysql2/promise";

const run = promisify(execFile);

/**
 * A MariaDB server of the test's own (own data directory, own port), so a
 * test may stop, kill and restart it, or make it a replica, without
 * touching the shared development server.
 */
export interface MariaDbInstance {
  readonly port: number;
  readonly dataDir: string;
  /** mysql://root@127.0.0.1:<port>/<database> */
  url(database?: string): string;
  /** Starts the server (again) on the same data directory and port; resolves when it answers. */
  start(): Promise<void>;
  /** Stops the server: SIGTERM shuts it down cleanly, SIGKILL is a crash. */
  stop(signal?: "SIGTERM" | "SIGKILL"): Promise<void>;
  /** One statement over a connection of its own. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Stops the server and removes its data directory. */
  destroy(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilAnswering(port: number, child: ChildProcess, errorLog: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`mariadbd exited with ${child.exitCode}: ${fs.readFileSync(errorLog, "utf8").slice(-2000)}`);
    try {
      const conn = await mysql.createConnection({ host: "127.0.0.1", port, user: "root", connectTimeout: 1000 });
      await conn.end();
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`mariadbd on port ${port} did not answer within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** Creates a data directory (root without a password) and starts mariadbd on a free port; `serverArgs` adds options (server-id, log-bin ...). */
export async function startMariaDbInstance(serverArgs: readonly string[] = []): Promise<MariaDbInstance> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "newsgraph-mariadb-"));
  const port = await freePort();
  const errorLog = path.join(dataDir, "error.log");
  await run("mariadb-install-db", [
    "--no-defaults",
    `--datadir=${path.join(dataDir, "data")}`,
    "--auth-root-authentication-method=normal",
    "--skip-test-db",
    `--user=${os.userInfo().username}`,
  ]);
  const args = [
    "--no-defaults",
    `--datadir=${path.join(dataDir, "data")}`,
    `--port=${port}`,
    `--socket=${path.join(dataDir, "mariadb.sock")}`,
    `--pid-file=${path.join(dataDir, "mariadb.pid")}`,
    `--log-error=${errorLog}`,
    "--bind-address=127.0.0.1",
    `--user=${os.userInfo().username}`,
    "--skip-name-resolve",
    // Small enough for several test servers on a shared machine.
    "--innodb-buffer-pool-size=32M",
    "--innodb-log-file-size=16M",
    ...serverArgs,
  ];
  let child: ChildProcess | null = null;

  const instance: MariaDbInstance = {
    port,
    dataDir,
    url: (database = "") => `mysql://root@127.0.0.1:${port}/${database}`,
    async start() {
      if (child && child.exitCode === null) return;
      child = spawn("mariadbd", args, { stdio: "ignore" });
      await waitUntilAnswering(port, child, errorLog);
    },
    async stop(signal = "SIGTERM") {
      const running = child;
      child = null;
      if (!running || running.exitCode !== null || running.signalCode !== null) return;
      const exited = new Promise((r) => running.once("exit", r));
      running.kill(signal);
      await exited;
    },
    async query<T>(sql: string, params: unknown[] = []) {
      const conn = await mysql.createConnection({ host: "127.0.0.1", port, user: "root", multipleStatements: false });
      try {
        const [rows] = await conn.query(sql, params);
        return rows as T[];
      } finally {
        await conn.end();
      }
    },
    async destroy() {
      await instance.stop("SIGKILL");
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  await instance.start();
  return instance;
}
