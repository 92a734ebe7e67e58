import { SingleBar, Presets } from "cli-progress";
import type { Command } from "commander";
import type { DataSource } from "typeorm";
import { type ImportReport, type ImportSummary, importPageFiles, type PageResult } from "./importPages";

export interface ImportCommandDeps {
  /** Opens the migrated database for one action and closes it after. */
  withDatabase<T>(fn: (ds: DataSource) => Promise<T>): Promise<T>;
  /** Where progress and failures go: a progress bar when it is a terminal, periodic lines otherwise. */
  progress: NodeJS.WriteStream;
  print(line: string): void;
  /** Runs the command again under the import's node flags unless this process has them: its exit status, or null to go on here. */
  relaunch?: () => Promise<number | null>;
}

const PLAIN_EVERY_MS = 2000;

export function summaryLine(s: ImportSummary, ms: number): string {
  const rate = ms > 0 ? ` (${Math.round((s.pages * 1000) / ms)} pages/s)` : "";
  return (
    `${s.pages} page${s.pages === 1 ? "" : "s"} in ${(ms / 1000).toFixed(1)} s${rate}: ${s.imported} imported, ${s.updated} updated, ${s.unchanged} unchanged, ` +
    `${s.failed} failed; ${s.stubsCreated} stubs created, ${s.stubsFilled} stubs filled, ${s.ambiguousTitles} ambiguous titles reported`
  );
}

/** Reports progress on a terminal with a bar, elsewhere (CI logs, pipes) with a line every few seconds. */
function progressReporter(out: NodeJS.WriteStream) {
  const notes: string[] = [];
  const note = (r: PageResult) => {
    if (r.error) notes.push(`failed: ${r.error.message}`);
    for (const t of r.ambiguousTitles) notes.push(`ambiguous: ${r.name}: "${t}" matches more than one article; left on its stub`);
  };
  if (out.isTTY) {
    const bar = new SingleBar({ format: "importing [{bar}] {value}/{total} pages | {failed} failed | ETA {eta}s", stream: out }, Presets.shades_classic);
    let failed = 0;
    return {
      onProgress(done: number, total: number, r: PageResult) {
        if (done === 1) bar.start(total, 0, { failed });
        if (r.status === "failed") failed++;
        note(r);
        bar.update(done, { failed });
      },
      finish() {
        bar.stop();
        for (const n of notes) out.write(`${n}\n`);
      },
    };
  }
  let last = Date.now();
  return {
    onProgress(done: number, total: number, r: PageResult) {
      note(r);
      for (const n of notes.splice(0)) out.write(`${n}\n`);
      if (Date.now() - last >= PLAIN_EVERY_MS || done === total) {
        last = Date.now();
        out.write(`importing ${done}/${total} pages\n`);
      }
    },
    finish() {},
  };
}

/** `newsgraph import PATH...`: exit status 1 when any page failed. */
export function registerImportCommand(program: Command, deps: ImportCommandDeps): void {
  program
    .command("import")
    .description("Import crawled article pages (files, or folders searched recursively); each page all or nothing.")
    .argument("<paths...>", "page files or folders")
    .action(async (paths: string[]) => {
      const relaunched = await deps.relaunch?.();
      if (relaunched !== undefined && relaunched !== null) {
        process.exitCode = relaunched;
        return;
      }
      const report: ImportReport = await deps.withDatabase(async (ds) => {
        const progress = progressReporter(deps.progress);
        try {
          return await importPageFiles(ds, paths, progress.onProgress);
        } finally {
          progress.finish();
        }
      });
      deps.print(summaryLine(report.summary, report.ms));
      if (report.summary.failed > 0) process.exitCode = 1;
    });
}
