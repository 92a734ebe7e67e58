import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
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

test("the import's flags are node's, and a process started without them starts itself again with them, once", () => {
  for (const flag of IMPORT_NODE_FLAGS) expect(process.allowedNodeEnvironmentFlags.has(flag.split("=")[0])).toBe(true);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "newsgraph-flags-"));
  try {
    const script = path.join(dir, "relaunch.js");
    fs.writeFileSync(
      script,
      `const { IMPORT_NODE_FLAGS, relaunchWith } = require(${JSON.stringify(path.join(root, "src", "server", "nodeFlags.ts"))});
       const status = relaunchWith(IMPORT_NODE_FLAGS);
       if (status !== null) { console.log("child exited " + status); process.exit(status); }
       console.log("ran with " + JSON.stringify(process.execArgv.filter((a) => a.startsWith("--max-semi-space-size"))) + " and " + process.argv.slice(2).join(" "));
       process.exit(3);`,
    );
    // The bin's own flag first, as the newsgraph bin starts node with it.
    const r = spawnSync(process.execPath, ["-r", "@swc-node/register", ...GATEWAY_NODE_FLAGS, script, "import", "pages"], { cwd: root, encoding: "utf8" });
    expect(r.status).toBe(3);
    expect(r.stdout.trim().split("\n")).toEqual([`ran with ${JSON.stringify([...GATEWAY_NODE_FLAGS, ...IMPORT_NODE_FLAGS])} and import pages`, "child exited 3"]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
