import { setImmediate } from "node:timers/promises";
import fs from "node:fs/promises";
import path from "node:path";
import type { DataSource, EntityManager } from "typeorm";
import { MAX_PAGE_BYTES, PageParseError, parsePage, parsePageBuffer } from "./parsePage";
import { ImportCache } from "./importCache";
import type { PageRecord } from "./pageRecord";
import { writePage } from "./writePage";
import { type ArticleChange, articlesChanged } from "../derived/articleChanges";
import type { ArticleText } from "../derived/searchIndex";
import type { WebhookEvent } from "../../webhooks/events";
import { enqueueWebhookEvents } from "../../webhooks/outbox";
import { type GroupPage, PendingGroup } from "./pageGroup";
import { planPage } from "./pagePlan";

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

function failedResult(page: PageText, e: unknown): PageResult {
  const error =
    e instanceof PageParseError
      ? { message: e.message, file: e.file, line: e.line }
      : { message: `${page.name}: the page could not be written (${failureCode(e)}).`, file: page.name, line: null };
  return { name: page.name, status: "failed", stubsCreated: 0, stubsFilled: 0, ambiguousTitles: [], error };
}

function parsed(page: PageText): PageRecord {
  return typeof page.text === "string" ? parsePage(page.text, page.name) : parsePageBuffer(page.text, page.name);
}

/**
 * Parses and writes one page in its own transaction. A page that fails
 * leaves nothing of itself behind and is reported, never thrown, so one bad
 * page cannot stop an import.
 */
export async function importPage(dataSource: DataSource, page: PageText, cache = new ImportCache(), by: string | null = null): Promise<PageResult> {
  try {
    const record = parsed(page);
    const w = await dataSource.transaction((m) => writePage(m, record, page.name, { source: page.text, cache, by }));
    cache.committed();
    return { name: page.name, ...w };
  } catch (e) {
    cache.rolledBack();
    return failedResult(page, e);
  }
}

/**
 * Pages written in one transaction. Each commit waits for the database to
 * make its log durable (an fsync on MariaDB, about 17 ms on a busy disk),
 * and a page written statement by statement costs about 15 round trips:
 * a group is read and written set-wise (pageGroup.ts), a few statements per
 * table for all its pages.
 */
export const PAGES_PER_TRANSACTION = 1000;

/** Pages the group is read for again after a page written by writePage (re-imports write many pages that way). */
const WINDOW_AFTER_PAGE = 16;

/** The transaction cannot go on (its savepoint could not be rolled back to): the group is written again one page at a time. */
class GroupAborted extends Error {}

/**
 * Every page's ids and days in one change, for the derived tables (the
 * events are sent page by page). A text is kept only when the last page
 * that wrote the article gave it.
 */
function merged(changes: ArticleChange[]): ArticleChange {
  const texts = new Map<number, ArticleText>();
  for (const c of changes) {
    for (const id of c.ids) {
      const text = c.texts?.get(id);
      if (text) texts.set(id, text);
      else texts.delete(id);
    }
  }
  // A later page (written by writePage) may have replaced an article's tag rows: only what no later page rewrote is known to be written.
  const tagListingWritten = new Set<number>();
  for (const c of changes) {
    for (const id of c.ids) {
      if (c.tagListingWritten?.has(id)) tagListingWritten.add(id);
      else tagListingWritten.delete(id);
    }
  }
  return { ids: [...new Set(changes.flatMap((c) => [...c.ids]))], days: changes.flatMap((c) => [...c.days]), texts, tagListingWritten };
}

/** The page parsed and checked, or why it cannot be written: known before anything is. */
function planned(page: PageText): GroupPage | Error {
  try {
    const record = parsed(page);
    return { name: page.name, record, plan: planPage(record, page.name, page.text) };
  } catch (e) {
    return e instanceof Error ? e : new Error(String(e));
  }
}

/**
 * Writes several pages in one transaction, each still all or nothing.
 * Every page is parsed and checked first, so a page that cannot be written
 * fails before the group writes anything. The others are resolved in page
 * order against what the group has read and written so far and written
 * together (PendingGroup); a page that updates an article, merges stubs or
 * links translations is written by writePage under a savepoint of its own
 * once the pages before it are written, so it is rolled back alone if it
 * fails. What every page changed is brought up to date (articlesChanged)
 * once, before the commit. When the transaction itself fails (a database
 * error in the set-wise writes, a deadlock, a lost connection, a failed
 * commit), the group is written again one page per transaction, so each
 * page gets the result it would have had alone.
 */
async function importGroup(
  dataSource: DataSource,
  group: ReadGroup,
  cache: ImportCache,
  by: string | null,
  started: LeadingRun | null,
  following: (() => Promise<ReadGroup>) | null,
): Promise<{ results: PageResult[]; leading: LeadingRun | null }> {
  const { pages, plans } = group;
  if (pages.length === 1) return { results: [await importPage(dataSource, pages[0], cache, by)], leading: null };
  let leading: LeadingRun | null = null;
  try {
    const results = await dataSource.transaction(async (m) => {
      const out: PageResult[] = [];
      const changes: ArticleChange[] = [];
      /** Pages added and not yet written. */
      let group: PendingGroup | null = started?.group ?? null;
      /** The last group read, still good for telling which pages update an article (see leavesToWritePage). */
      let seen: PendingGroup | null = group;
      /** How many pages the next read is for: all at first; after a page written alone, a few, growing again. */
      let window = pages.length;
      const read = (from: number) => {
        const covered = plans.slice(from, from + window).filter((p): p is GroupPage => !(p instanceof Error));
        window = Math.min(window * 2, pages.length);
        return PendingGroup.load(m, covered, by);
      };
      /** Where the pages added to the group stand in `pages`. */
      let added: number[] = started ? [...started.added] : [];
      /** Writes the pages added; the rows linked to their articles too, unless the caller takes them to write later. */
      const flush = async (linkedLater = false): Promise<(() => Promise<void>) | null> => {
        if (!group) return null;
        const { written, linked } = await group.flush(m, cache);
        written.forEach((w, j) => {
          out[added[j]] = { name: pages[added[j]].name, ...w.write };
          changes.push(w.change);
        });
        group = null;
        added = [];
        if (linkedLater) return linked;
        await linked();
        return null;
      };
      for (const [i, page] of pages.entries()) {
        const plan = plans[i];
        if (started && i < started.next && !(plan instanceof Error)) continue;
        if (plan instanceof Error) {
          out[i] = failedResult(page, plan);
          continue;
        }
        if (!seen) group = seen = await read(i);
        if (!seen.leavesToWritePage(plan)) {
          if (!group?.covers(plan)) {
            await flush();
            group = seen = await read(i);
          }
          if (await group.add(plan)) {
            added.push(i);
            continue;
          }
        }
        // Written alone, on what the pages before it wrote; the group is read again after it, for a few pages at first.
        await flush();
        window = WINDOW_AFTER_PAGE;
        const pending: ArticleChange[] = [];
        try {
          const w = await m.transaction((inner) => writePage(inner, plan.record, page.name, { source: page.text, cache, by, deferChange: (c) => pending.push(c) }));
          cache.pageDone();
          changes.push(...pending);
          out[i] = { name: page.name, ...w };
        } catch (e) {
          cache.pageRolledBack();
          // A failed ROLLBACK TO SAVEPOINT leaves the savepoint open: the transaction cannot be trusted.
          if (depth(m) !== 1) throw new GroupAborted();
          out[i] = failedResult(page, e);
        }
      }
      const linked = await flush(true);
      // Every article, author, tag and popular row of the group is written: the next group is read for now, and its
      // first pages resolved while the database writes the rows linked to the articles and brings the derived tables
      // up to date, which neither read nor write any of those.
      const upcoming = following ? await following().catch(() => null) : null;
      const next = upcoming ? await readAhead(m, upcoming, by) : null;
      const run = upcoming && next ? leadingRun(next, upcoming).catch(() => null) : Promise.resolve(null);
      await linked?.();
      if (changes.length > 0) {
        await articlesChanged(m, merged(changes));
        // Webhook endpoints hear of each page on its own, as when it had its own transaction.
        await enqueueWebhookEvents(m, changes.filter((c) => c.event).map((c) => ({ event: c.event as WebhookEvent, articleIds: c.ids })));
      }
      leading = await run;
      return out;
    });
    cache.committed();
    return { results, leading };
  } catch {
    cache.rolledBack();
    const out: PageResult[] = [];
    for (const page of pages) out.push(await importPage(dataSource, page, cache, by));
    // What was read for the next group saw this group's rolled-back rows: it reads for itself.
    return { results: out, leading: null };
  }
}

/**
 * The first pages of a group, read for and applied in memory (PendingGroup)
 * before its transaction starts, up to the first page the group cannot take
 * set-wise: `next` is where the group goes on, with `group` still to flush.
 */
interface LeadingRun {
  group: PendingGroup;
  added: number[];
  next: number;
}

/**
 * What a group's pages need read, read inside the transaction of the group
 * before once that group's articles, authors, tags and popular list are
 * written: what the group's own transaction would read when it starts (the
 * rows written after it are not read). Null for a group of one page, or
 * when the read fails (the group then reads for itself).
 */
async function readAhead(m: EntityManager, group: ReadGroup, by: string | null): Promise<PendingGroup | null> {
  if (group.pages.length <= 1) return null;
  return PendingGroup.load(
    m,
    group.plans.filter((p): p is GroupPage => !(p instanceof Error)),
    by,
  ).catch(() => null);
}

/**
 * Applies a group's pages to what was read ahead for them, in page order,
 * until one must be written otherwise (by writePage, or after a flush).
 * Yields to the event loop now and then, so that the statements of the
 * group before go on meanwhile.
 */
async function leadingRun(pending: PendingGroup, group: ReadGroup): Promise<LeadingRun> {
  const { pages, plans } = group;
  const added: number[] = [];
  let i = 0;
  for (; i < pages.length; i++) {
    const plan = plans[i];
    if (plan instanceof Error) continue;
    if (pending.leavesToWritePage(plan) || !pending.covers(plan) || !(await pending.add(plan))) break;
    added.push(i);
    if (added.length % PAGES_PER_TURN === 0) await setImmediate();
  }
  return { group: pending, added, next: i };
}

/** How many transactions and savepoints the runner has open (TypeORM keeps it on every query runner, outside its interface). */
function depth(m: EntityManager): number | undefined {
  return (m.queryRunner as unknown as { transactionDepth?: number } | undefined)?.transactionDepth;
}

/** A group's items as loaded (a page, or the result of one that could not be read) and its pages parsed and checked. */
interface ReadGroup {
  loaded: (PageText | PageResult)[];
  pages: PageText[];
  plans: (GroupPage | Error)[];
}

/**
 * Pages parsed, or resolved by a leading run, between turns of the event
 * loop, so that the statements of the group being written go on meanwhile.
 */
const PAGES_PER_TURN = 25;

/**
 * A group's items loaded and its pages parsed and checked, on this thread.
 * (On a worker thread it cost more than it saved: the records copied back
 * outlive the young generation here, and this thread's collector copied
 * them instead of the parser making them.)
 */
async function readGroup<T>(items: readonly T[], load: (item: T) => Promise<PageText | PageResult>): Promise<ReadGroup> {
  const loaded = await Promise.all(items.map(load));
  const pages = loaded.filter((x): x is PageText => "text" in x);
  const plans: (GroupPage | Error)[] = [];
  for (const [i, page] of pages.entries()) {
    if (i > 0 && i % PAGES_PER_TURN === 0) await setImmediate();
    plans.push(planned(page));
  }
  return { loaded, pages, plans };
}

/**
 * Imports pages in order (a page may name articles an earlier one created),
 * `perTransaction` at a time. `load` gives a group's pages, or for an
 * item that cannot be read, the result that reports it.
 */
async function importInGroups<T>(
  dataSource: DataSource,
  items: readonly T[],
  load: (item: T) => Promise<PageText | PageResult>,
  onProgress?: ImportProgress,
  by: string | null = null,
  perTransaction = PAGES_PER_TRANSACTION,
): Promise<ImportReport> {
  const started = Date.now();
  const results: PageResult[] = [];
  const summary = emptySummary();
  const cache = new ImportCache();
  const read = (from: number) => {
    const group = readGroup(items.slice(from, from + perTransaction), load);
    // Awaited when its turn comes; until then a failure must not count as unhandled.
    group.catch(() => undefined);
    return group;
  };
  let next = read(0);
  let leading: LeadingRun | null = null;
  for (let i = 0; i < items.length; i += perTransaction) {
    const group = await next;
    // The next group is read and parsed while this one waits for the database.
    const more = i + perTransaction < items.length;
    if (more) next = read(i + perTransaction);
    const following = more ? () => next : null;
    const done = await importGroup(dataSource, group, cache, by, leading, following);
    leading = done.leading;
    const written = done.results;
    for (const x of group.loaded) {
      const result = "text" in x ? (written.shift() as PageResult) : x;
      results.push(result);
      addToSummary(summary, result);
      onProgress?.(results.length, items.length, result);
    }
  }
  return { results, summary, ms: Date.now() - started };
}

/**
 * Imports pages one group after another (see importInGroups). `by`: name of
 * the API key importing, kept in the revisions the pages make;
 * `perTransaction`: pages per transaction (PAGES_PER_TRANSACTION).
 */
export async function importPageTexts(
  dataSource: DataSource,
  pages: readonly PageText[],
  onProgress?: ImportProgress,
  by: string | null = null,
  perTransaction = PAGES_PER_TRANSACTION,
): Promise<ImportReport> {
  return importInGroups(dataSource, pages, async (page) => page, onProgress, by, perTransaction);
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
 * Imports page files and folders. Files are read a group at a time, so a
 * folder of any size fits in memory; a file that cannot be read fails as a
 * page of its own.
 */
export async function importPageFiles(dataSource: DataSource, paths: readonly string[], onProgress?: ImportProgress): Promise<ImportReport> {
  const files = await listPageFiles(paths);
  const read = async (file: string): Promise<PageText | PageResult> => {
    try {
      return { name: file, text: await readPageFile(file) };
    } catch (e) {
      const error =
        e instanceof PageParseError
          ? { message: e.message, file, line: e.line }
          : { message: `${file}: could not be read (${e instanceof Error ? e.message : String(e)})`, file, line: null };
      return { name: file, status: "failed", stubsCreated: 0, stubsFilled: 0, ambiguousTitles: [], error };
    }
  };
  return importInGroups(dataSource, files, read, onProgress);
}

/** Refuses an oversized file by its size, before reading it. */
async function readPageFile(file: string): Promise<Buffer> {
  const { size } = await fs.stat(file);
  if (size > MAX_PAGE_BYTES) throw new PageParseError(file, 0, `the file is ${size} bytes, over the ${MAX_PAGE_BYTES}-byte limit for a page`);
  return fs.readFile(file);
}
