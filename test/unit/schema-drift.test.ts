import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { printSdl } from "../../src/graphql/schema";

const root = path.resolve(__dirname, "../..");

// The committed SDL and typed documents are what clients and codegen see;
// they must be what the code builds. `npm run generate` refreshes both.
test("schema/schema.graphql matches the schema the code builds", () => {
  expect(fs.readFileSync(path.join(root, "schema/schema.graphql"), "utf8")).toBe(printSdl());
});

test("src/graphql/generated/graphql.ts matches codegen's output for the committed schema and operations", () => {
  // Same config, written elsewhere: codegen's CLI is ESM-only, so it runs as a child process.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "newsgraph-codegen-"));
  const out = path.join(dir, "graphql.ts");
  const config = fs.readFileSync(path.join(root, "codegen.yml"), "utf8").replace("src/graphql/generated/graphql.ts:", `${JSON.stringify(out)}:`);
  fs.writeFileSync(path.join(dir, "codegen.yml"), config);
  try {
    execFileSync(path.join(root, "node_modules/.bin/graphql-codegen"), ["--config", path.join(dir, "codegen.yml"), "--silent"], { cwd: root, stdio: "pipe" });
    expect(fs.readFileSync(path.join(root, "src/graphql/generated/graphql.ts"), "utf8")).toBe(fs.readFileSync(out, "utf8"));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
