import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";

// The gateway and the floor each run in a process of their own, started
// the way production starts them, so that the load generator's CPU and
// memory are not counted as theirs.

export interface Server {
  name: string;
  url: string;
  process: ChildProcess;
  /** The last lines the server wrote (stdout and stderr), for error reports. */
  output(): string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

async function waitUntilUp(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`The server exited with code ${child.exitCode} before answering:\n${output()}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`The server did not answer ${url} within 60 s:\n${output()}`);
}

/** Starts `node <args>` with extra environment and waits until `healthPath` answers 200. */
export async function startServer(name: string, nodeArgs: string[], env: Record<string, string>, port: number, healthPath: string): Promise<Server> {
  const child = spawn(process.execPath, nodeArgs, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString("utf8")).slice(-20_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const base = `http://127.0.0.1:${port}`;
  await waitUntilUp(`${base}${healthPath}`, child, () => log);
  return {
    name,
    url: base,
    process: child,
    output: () => log,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        // A server that does not finish within 20 s is not going to.
        setTimeout(() => child.kill("SIGKILL"), 20_000).unref();
      }),
  };
}

/** User plus system CPU time of a process so far, in ms (/proc/<pid>/stat, clock ticks of 10 ms). */
export function cpuMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** A process's resident memory (VmRSS) or its high-water mark (VmHWM) in MB, to a tenth. */
export function statusMb(pid: number, field: "VmHWM" | "VmRSS"): number {
  return Math.round(statusKb(pid, field) / 102.4) / 10;
}

function statusKb(pid: number, field: "VmHWM" | "VmRSS"): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) : 0;
}

/**
 * Peak resident memory of a process over one measured run: the kernel's
 * high-water mark (VmHWM), reset before the run through clear_refs where
 * the kernel allows it; otherwise VmRSS polled every 100 ms.
 */
export class PeakRss {
  private polled = 0;
  private timer: NodeJS.Timeout | null = null;
  private resettable = false;
  /** The highest peak of the runs measured so far: start() resets the kernel's high-water mark. */
  private highest = 0;

  constructor(private readonly pid: number) {}

  start(): void {
    try {
      fs.writeFileSync(`/proc/${this.pid}/clear_refs`, "5");
      this.resettable = true;
    } catch {
      this.resettable = false;
    }
    this.polled = statusKb(this.pid, "VmRSS");
    this.timer = setInterval(() => {
      this.polled = Math.max(this.polled, statusKb(this.pid, "VmRSS"));
    }, 100);
  }

  /** Peak in MB since start(). */
  stop(): number {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const kb = Math.max(this.polled, this.resettable ? statusKb(this.pid, "VmHWM") : 0);
    this.highest = Math.max(this.highest, kb);
    return Math.round(kb / 102.4) / 10;
  }

  /** Peak in MB over the process's whole life: the highest of the measured runs' peaks and of the mark since the last reset. */
  lifetime(): number {
    return Math.round(Math.max(this.highest, statusKb(this.pid, "VmHWM")) / 102.4) / 10;
  }
}
