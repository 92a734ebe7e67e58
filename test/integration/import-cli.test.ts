import { REFERENCE_PAGE_FILE } from "../helpers/fixtures";
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { openDatabase } from "../../src/db/dataSource";

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, "../..");
const REFERENCE_FILE = REFERENCE_PAGE_FILE;

/** Runs the real command through the swc register hook, as `newsgraph import` would run once built. */
async function newsgraph(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ["-r", "@swc-node/register", "src/cli.ts", ...args], { cwd: ROOT, env: { ...process.env, ...env } });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe("newsgraph import", () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "newsgraph-import-"));
    fs.mkdirSync(path.join(dir, "pages", "2025"), { recursive: true });
    fs.copyFileSync(REFERENCE_FILE, path.join(dir, "pages", "2025", "reference.txt"));
    fs.writeFileSync(path.join(dir, "pages", "bad.txt"), " date 2025-13-40 Невозможная дата\n\nКультура\n0\nАвтор\n\nЛид\n");
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("imports a folder recursively, names the bad file and its line, prints the summary and exits 1", async () => {
    const db = path.join(dir, "db.sqlite");
    const r = await newsgraph(["import", path.join(dir, "pages")], { DATABASE_URL: `sqlite:${db}`, LOG_LEVEL: "silent" });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${path.join(dir, "pages", "bad.txt")}:1: expected a real calendar date after "date", got "2025-13-40"`);
    expect(r.stderr).toMatch(/importing 2\/2 pages/);
    expect(r.stdout).toMatch(/^2 pages in [\d.]+ s.*: 1 imported, 0 updated, 0 unchanged, 1 failed; 63 stubs created, 0 stubs filled, 0 ambiguous titles reported$/m);
    const { dataSource } = await openDatabase({ sqlitePath: db });
    try {
      const [{ n }] = await dataSource.query("SELECT COUNT(*) AS n FROM article WHERE status = 'PUBLISHED'");
      expect(Number(n)).toBe(1);
    } finally {
      await dataSource.destroy();
    }

    const again = await newsgraph(["import", path.join(dir, "pages", "2025", "reference.txt")], { DATABASE_URL: `sqlite:${db}`, LOG_LEVEL: "silent" });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^1 page in .*: 0 imported, 0 updated, 1 unchanged, 0 failed/);
  });
});
