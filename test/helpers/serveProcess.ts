import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import readline from "node:readline";

const root = path.resolve(__dirname, "../..");

export interface Served {
  child: ChildProcess;
  port: number;
  lines: Record<string, unknown>[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves with the first log line whose msg matches. */
  line(msg: RegExp): Promise<Record<string, unknown>>;
}

/**
 * `newsgraph serve` as operators run it: its own process, its JSON logs on
 * stdout. `database` is a test database's location: a SQLite file or a
 * mysql:// URL.
 */
export async function serve(database: string, env: Record<string, string>): Promise<Served> {
  const child = spawn(process.execPath, ["-r", "@swc-node/register", "src/cli.ts", "serve"], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? "",
      DATABASE_URL: /^mysql:/.test(database) ? database : `sqlite:${database}`,
      HOST: "127.0.0.1",
      PORT: "0",
      LOG_LEVEL: "info",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: Record<string, unknown>[] = [];
  const waiters: { msg: RegExp; resolve: (l: Record<string, unknown>) => void }[] = [];
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  readline.createInterface({ input: child.stdout! }).on("line", (text) => {
    let line: Record<string, unknown>;
    try {
      line = JSON.parse(text);
    } catch {
      return;
    }
    lines.push(line);
    for (const w of waiters.filter((w) => w.msg.test(String(line.msg)))) w.resolve(line);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  const line = (msg: RegExp) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const seen = lines.find((l) => msg.test(String(l.msg)));
      if (seen) return resolve(seen);
      waiters.push({ msg, resolve });
      void exited.then(({ code }) => reject(new Error(`newsgraph exited (${code}) before logging ${msg}: ${stderr.slice(-2000)}`)));
    });
  const listening = await line(/listening/);
  return { child, port: Number(new URL(String(listening.url)).port), lines, exited, line };
}
