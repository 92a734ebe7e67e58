import fs from "node:fs/promises";
import path from "node:path";
import type { DataSource } from "typeorm";
import { MAX_PAGE_BYTES, PageParseError, parsePage, parsePageBuffer } from "./parsePage";
import { ImportCache } from "./importCache";
import { writePage } from "./writePage";

export interface PageText {
  /** Shown in results and errors: a file name or the name a client gave. */
  name: string;
  text: string | Buffer;
}

export type PageStatus = "imported" | "updated" | "unchanged" | "failed";

export interface PageResult {
  name: string;
  status: PageStatus;
  /** The page's article (absent when the page failed). */
  articleId?: number;
  stubsCreated: number;
  stubsFilled: number;
  ambiguousTitles: string[];
  /** Why the page failed: "file:line: what was expected" for bad input. */
  error?: { message: string; file: string; line: number | null };
}

export interface ImportSummary {
  pages: number;
  imported: number;
  updated: number;
  unchanged: number;
  failed: number;
  stubsCreated: number;
  stubsFilled: number;
  ambiguousTitles: number;
}

export interface ImportReport {
  results: PageResult[];
  summary: ImportSummary;
  ms: number;
}

export type ImportProgress = (done: number, total: number, result: PageResult) => void;

export function emptySummary(): ImportSummary {
  return { pages: 0, imported: 0, updated: 0, unchanged: 0, failed: 0, stubsCreated: 0, stubsFilled: 0, ambiguousTitles: 0 };
}

export function addToSummary(summary: ImportSummary, r: PageResult): void {
  summary.pages++;
  summary[r.status]++;
  summary.stubsCreated += r.stubsCreated;
  summary.stubsFilled += r.stubsFilled;
  summary.ambiguousTitles += r.ambiguousTitles.length;
}

/**
 * A failure that is not the page's fault is reported by its driver code
 * only: the message goes back to API clients, and a driver's own message
 * can carry SQL and host names.
 */
function failureCode(e: unknown): string {
  const code = typeof e === "object" && e !== null && "code" in e ? String((e as { code: unknown }).code) : "";
  return /^[A-Z0-9_]{2,64}$/.test(code) ? `database error ${code}` : "internal error";
}

/**
 * Parses and writes one page in its own transaction. A page that fails
 * leaves nothing of itself behind and is reported, never thrown, so one bad
 * page cannot stop an import.
 */
export async function importPage(dataSource: DataSource, page: PageText, cache = new ImportCache(), by: string | null = null): Promise<PageResult> {
  try {
    const record = typeof page.text === "string" ? parsePage(page.text, page.name) : parsePageBuffer(page.text, page.name);
    const w = await dataSource.transaction((m) => writePage(m, record, page.name, { source: page.text, cache, by }));
    cache.committed();
    return { name: page.name, ...w };
  } catch (e) {
    cache.rolledBack();
    const error =
      e instanceof PageParseError
        ? { message: e.message, file: e.file, line: e.line }
        : { message: `${page.name}: the page could not be written (${failureCode(e)}).`, file: page.name, line: null };
    return { name: page.name, status: "failed", stubsCreated: 0, stubsFilled: 0, ambiguousTitles: [], error };
  }
}

/** Imports pages one after another (a page may name articles an earlier one created). */
/** `by`: name of the API key importing, kept in the revisions the pages make. */
export async function importPageTexts(dataSource: DataSource, pages: readonly PageText[], onProgress?: ImportProgress, by: string | null = null): Promise<ImportReport> {
  const started = Date.now();
  const results: PageResult[] = [];
  const summary = emptySummary();
  const cache = new ImportCache();
  for (const page of pages) {
    const result = await importPage(dataSource, page, cache, by);
    results.push(result);
    addToSummary(summary, result);
    onProgress?.(results.length, pages.length, result);
  }
  return { results, summary, ms: Date.now() - started };
}

/** Every file under the given files and folders (recursively), sorted, so runs are repeatable; hidden files are skipped. */
export async function listPageFiles(paths: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  const walk = async (p: string): Promise<void> => {
    const stat = await fs.stat(p);
    if (!stat.isDirectory()) {
      found.push(p);
      return;
    }
    const entries = await fs.readdir(p, { withFileTypes: true });
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (e.name.startsWith(".")) continue;
      await walk(path.join(p, e.name));
    }
  };
  for (const p of paths) await walk(p);
  return found;
}

/**
 * Imports page files and folders. Files are read one at a time, so a
 * folder of any size fits in memory; a file that cannot be read fails as a
 * page of its own.
 */
export async function importPageFiles(dataSource: DataSource, paths: readonly string[], onProgress?: ImportProgress): Promise<ImportReport> {
  const started = Date.now();
  const files = await listPageFiles(paths);
  const results: PageResult[] = [];
  const summary = emptySummary();
  const cache = new ImportCache();
  for (const file of files) {
    let result: PageResult;
    try {
      result = await importPage(dataSource, { name: file, text: await readPageFile(file) }, cache);
    } catch (e) {
      const error =
        e instanceof PageParseError
          ? { message: e.message, file, line: e.line }
          : { message: `${file}: could not be read (${e instanceof Error ? e.message : String(e)})`, file, line: null };
      result = { name: file, status: "failed", stubsCreated: 0, stubsFilled: 0, ambiguousTitles: [], error };
    }
    results.push(result);
    addToSummary(summary, result);
    onProgress?.(results.length, files.length, result);
  }
  return { results, summary, ms: Date.now() - started };
}

/** Refuses an oversized file by its size, before reading it. */
async function readPageFile(file: string): Promise<Buffer> {
  const { size } = await fs.stat(file);
  if (size > MAX_PAGE_BYTES) throw new PageParseError(file, 0, `the file is ${size} bytes, over the ${MAX_PAGE_BYTES}-byte limit for a page`);
  return fs.readFile(file);
}
