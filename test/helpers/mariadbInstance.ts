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
 *
 * Everything the server writes stays under its own folder: data, socket,
 * pid file, error log and, above all, its tmpdir. A server (and the
 * bootstrap of mariadb-install-db) removes the "#sql" files it finds in its
 * tmpdir when it starts, so two servers sharing /tmp delete each other's
 * temporary tables; with a tmpdir each, any number may start at once.
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
  /** Stops the server and removes its folder. */
  destroy(): Promise<void>;
}

/**
 * Servers of this process that are still running or whose folder is still
 * there. If a test dies before its afterAll, the exit hook kills them and
 * removes their folders; jest's global teardown (test/helpers/globalTeardown.ts)
 * catches what even that misses.
 */
const live = new Map<string, () => ChildProcess | null>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const [dir, child] of live) {
      const running = child();
      if (running && running.exitCode === null && running.signalCode === null) running.kill("SIGKILL");
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
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

class StartFailure extends Error {
  constructor(
    message: string,
    readonly portTaken: boolean,
  ) {
    super(message);
  }
}

async function waitUntilAnswering(port: number, child: ChildProcess, errorLog: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  for (;;) {
    if (exited()) {
      const log = fs.existsSync(errorLog) ? fs.readFileSync(errorLog, "utf8").slice(-2000) : "(no error log)";
      throw new StartFailure(`mariadbd exited with ${child.exitCode ?? child.signalCode}: ${log}`, /Address already in use|Can't start server: Bind/i.test(log));
    }
    let conn: mysql.Connection | null = null;
    try {
      conn = await mysql.createConnection({ host: "127.0.0.1", port, user: "root", connectTimeout: 2000 });
      // Another process may hold this port; only our server knows our data directory.
      const [rows] = await conn.query("SELECT @@datadir AS datadir");
      const datadir = String((rows as Array<{ datadir: string }>)[0].datadir);
      if (path.resolve(datadir) !== path.resolve(path.dirname(errorLog), "data")) throw new StartFailure(`port ${port} is another server's`, true);
      return;
    } catch (err) {
      if (err instanceof StartFailure) throw err;
      if (Date.now() > deadline) throw new StartFailure(`mariadbd on port ${port} did not answer within ${timeoutMs} ms`, false);
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      await conn?.end().catch(() => undefined);
    }
  }
}

/** Creates a data directory (root without a password) and starts mariadbd on a free port; `serverArgs` adds options (server-id, log-bin ...). */
export async function startMariaDbInstance(serverArgs: readonly string[] = []): Promise<MariaDbInstance> {
  installExitHook();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "newsgraph-mariadb-"));
  let child: ChildProcess | null = null;
  live.set(dir, () => child);
  const dataDir = path.join(dir, "data");
  const tmpDir = path.join(dir, "tmp");
  const errorLog = path.join(dir, "error.log");
  fs.mkdirSync(tmpDir);
  const user = `--user=${os.userInfo().username}`;
  const own = [`--tmpdir=${tmpDir}`, `--socket=${path.join(dir, "mariadb.sock")}`, `--pid-file=${path.join(dir, "mariadb.pid")}`];
  const argsFor = (port: number) => [
    "--no-defaults",
    `--datadir=${dataDir}`,
    ...own,
    `--port=${port}`,
    `--log-error=${errorLog}`,
    "--bind-address=127.0.0.1",
    user,
    "--skip-name-resolve",
    // Small enough for several test servers on a shared machine.
    "--innodb-buffer-pool-size=32M",
    "--innodb-log-file-size=16M",
    ...serverArgs,
  ];

  const removeAll = () => {
    live.delete(dir);
    fs.rmSync(dir, { recursive: true, force: true });
  };

  async function spawnAndWait(port: number): Promise<void> {
    const started = spawn("mariadbd", argsFor(port), { stdio: "ignore" });
    child = started;
    try {
      await waitUntilAnswering(port, started, errorLog);
    } catch (err) {
      // A server that did not come up is never left behind.
      if (started.exitCode === null && started.signalCode === null) {
        const exited = new Promise((r) => started.once("exit", r));
        started.kill("SIGKILL");
        await exited;
      }
      child = null;
      throw err;
    }
  }

  let port = 0;
  try {
    await run("mariadb-install-db", ["--no-defaults", `--datadir=${dataDir}`, "--auth-root-authentication-method=normal", "--skip-test-db", user, ...own]);
    // The free port may be taken by someone else before mariadbd binds it: then try another.
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      try {
        await spawnAndWait(port);
        break;
      } catch (err) {
        if (!(err instanceof StartFailure && err.portTaken) || attempt >= 5) throw err;
      }
    }
  } catch (err) {
    removeAll();
    throw err;
  }

  const instance: MariaDbInstance = {
    port,
    dataDir,
    url: (database = "") => `mysql://root@127.0.0.1:${port}/${database}`,
    async start() {
      if (child && child.exitCode === null && child.signalCode === null) return;
      await spawnAndWait(port);
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
      removeAll();
    },
  };
  return instance;
}

/** Starts several servers at once; if one fails, the others are destroyed before the error is thrown. */
export async function startMariaDbInstances(...serverArgs: ReadonlyArray<readonly string[]>): Promise<MariaDbInstance[]> {
  const started = await Promise.allSettled(serverArgs.map((args) => startMariaDbInstance(args)));
  const failed = started.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (!failed) return started.map((s) => (s as PromiseFulfilledResult<MariaDbInstance>).value);
  await Promise.all(started.map((s) => (s.status === "fulfilled" ? s.value.destroy() : undefined)));
  throw failed.reason;
}
