import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * Gives this run of the suite a temporary folder of its own: every file a
 * test makes with os.tmpdir() (SQLite files, private MariaDB servers, import
 * folders) lands inside it, so two copies of the suite running at once on
 * one machine never meet in /tmp, and the global teardown removes it whole.
 * Jest starts its workers after this, so they inherit TMPDIR.
 */
export default function globalSetup(): void {
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), "newsgraph-test-run-"));
  process.env.NEWSGRAPH_TEST_RUN_DIR = runDir;
  process.env.TMPDIR = runDir;
}
