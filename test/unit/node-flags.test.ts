import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { GATEWAY_NODE_FLAGS, IMPORT_NODE_FLAGS } from "../../src/server/nodeFlags";

// V8 sizes the young generation when node starts, so the gateway's flags
// live on the command lines that start it; they must not drift apart.
const root = path.resolve(__dirname, "..", "..");

test("npm start and the newsgraph bin start node with the gateway's flags", () => {
  expect(GATEWAY_NODE_FLAGS.length).toBeGreaterThan(0);
  const start = (JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts.start;
  expect(start).toBe(`node ${GATEWAY_NODE_FLAGS.join(" ")} dist/src/cli.js serve`);
  const shebang = fs.readFileSync(path.join(root, "src", "cli.ts"), "utf8").split("\n")[0];
  expect(shebang).toBe(`#!/usr/bin/env -S node ${GATEWAY_NODE_FLAGS.join(" ")}`);
});

test("each flag is one node accepts in NODE_OPTIONS too, for deployments that start node themselves", () => {
  for (const flag of GATEWAY_NODE_FLAGS) expect(process.allowedNodeEnvironmentFlags.has(flag.split("=")[0])).toBe(true);
});

/**
 * A script that calls relaunchWith(IMPORT_NODE_FLAGS): the first process
 * prints how the second exited and exits so; the second runs `started`.
 */
async function withRelaunchScript<T>(started: string, fn: (script: string) => Promise<T> | T): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "newsgraph-flags-"));
  try {
    const script = path.join(dir, "relaunch.js");
    fs.writeFileSync(
      script,
      `const { IMPORT_NODE_FLAGS, relaunchWith } = require(${JSON.stringify(path.join(root, "src", "server", "nodeFlags.ts"))});
       relaunchWith(IMPORT_NODE_FLAGS).then((status) => {
         if (status !== null) { console.log("child exited " + status); process.exit(status); }
         ${started}
       });`,
    );
    return await fn(script);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test("the import's flags are node's, and a process started without them starts itself again with them, once", async () => {
  for (const flag of IMPORT_NODE_FLAGS) expect(process.allowedNodeEnvironmentFlags.has(flag.split("=")[0])).toBe(true);
  const started = `console.log("ran with " + JSON.stringify(process.execArgv.filter((a) => a.startsWith("--max-semi-space-size"))) + " and " + process.argv.slice(2).join(" "));
         process.exit(3);`;
  await withRelaunchScript(started, (script) => {
    // The bin's own flag first, as the newsgraph bin starts node with it.
    const r = spawnSync(process.execPath, ["-r", "@swc-node/register", ...GATEWAY_NODE_FLAGS, script, "import", "pages"], {
      cwd: root,
      encoding: "utf8",
    });
    expect(r.status).toBe(3);
    expect(r.stdout.trim().split("\n")).toEqual([
      `ran with ${JSON.stringify([...GATEWAY_NODE_FLAGS, ...IMPORT_NODE_FLAGS])} and import pages`,
      "child exited 3",
    ]);
  });
});

test("stopping the process that started the import again stops the import", async () => {
  const started = `console.log("ready " + process.pid);
         setInterval(() => {}, 1000);`;
  await withRelaunchScript(started, async (script) => {
    const parent = spawn(process.execPath, ["-r", "@swc-node/register", script], { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
    const exited = new Promise<number | null>((resolve) => parent.once("exit", (code) => resolve(code)));
    const seen: string[] = [];
    for await (const line of readline.createInterface({ input: parent.stdout })) {
      seen.push(line);
      if (line.startsWith("ready ")) parent.kill("SIGTERM");
    }
    expect(await exited).toBe(128 + os.constants.signals.SIGTERM);
    const child = Number(seen[0].split(" ")[1]);
    expect(seen).toEqual([`ready ${child}`, `child exited ${128 + os.constants.signals.SIGTERM}`]);
    expect(() => process.kill(child, 0)).toThrow(expect.objectContaining({ code: "ESRCH" }));
  });
});
