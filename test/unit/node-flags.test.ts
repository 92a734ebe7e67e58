import fs from "node:fs";
import path from "node:path";
import { GATEWAY_NODE_FLAGS } from "../../src/server/nodeFlags";

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
