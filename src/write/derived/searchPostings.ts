import { type DataSource, EntityManager } from "typeorm";
import { dialectOf, placeholders } from "../../db/dialect";
import { fromDbTime, toDbTime } from "../../db/time";
import { listedArticleSql } from "../../read/viewer";
import { insertMany, selectIn } from "../ingest/rows";

/*
 * Kept postings: the search's own index on MariaDB (src/read/search/
 * searchArticles.ts). For every token of the normalised search text
 * (article_search), search_posting lists the listed articles that hold it
 * by publication time, newest first, and search_term says how far back
 * that list reaches:
 *
 *   search_posting = every listed article holding `term` published at or
 *                    after search_term.covered_from (all of them when it
 *                    is NULL: the list is complete).
 *
 * A list is cut back to its newest KEPT_POSTINGS entries once it holds
 * TRIM_AT, so it never grows with the archive: a common word keeps its
 * newest matches, a rare word all of them. A search reads one list (its
 * rarest word's) as far as the cap and checks the other words in those
 * articles' text, so its cost is bounded whatever a word matches, which
 * InnoDB's FULLTEXT index could not do (it reads every match of a word).
 *
 * Writers queue the articles they wrote (queueSearchPostings, inside their
 * transaction); the SearchPostingWorker in the serving process posts them
 * a batch at a time (refreshQueuedPostings). Until then the search finds
 * the newest articles through its window (recentWindow.ts) and reports its
 * count as not exact. Bulk loads and the migration build every list at
 * once (PostingCollector, rebuildSearchPostings). SQLite keeps none: FTS5
 * is its index.
 */

/** Postings a list keeps: more than the search ranks (SEARCH_CANDIDATE_CAP). */
export const KEPT_POSTINGS = 2000;
/** A list is cut back to KEPT_POSTINGS once it holds this many. */
export const TRIM_AT = 2200;
/** Queued articles posted per batch. */
const QUEUE_BATCH = 500;
/** Rows held before a write, and rows per upsert of list counts. */
const ROWS_PER_WRITE = 1000;
/** Only one process posts at a time (MariaDB's named lock, held by one connection). */
const LOCK = "newsgraph.search_postings";

export interface PostingLimits {
  kept: number;
  trimAt: number;
}
const LIMITS: PostingLimits = { kept: KEPT_POSTINGS, trimAt: TRIM_AT };

/** How a title occurrence weighs against a body one in a posting's weight (the search's ranking, src/read/search). */
export const TITLE_WEIGHT = 10;

/** What a posting says of its article besides the date: is the term in the title, and how much it weighs there. */
export interface TermUse {
  inTitle: boolean;
  /** TITLE_WEIGHT per title occurrence plus one per body occurrence, at most 65,535. */
  weight: number;
}

/**
 * Occurrences of each token as the search's SQL counts them (non-overlapping
 * " token " in " text "): a run of k equal tokens counts ceil(k / 2).
 */
function occurrences(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  const tokens = text.split(" ").filter((t) => t !== "");
  for (let i = 0; i < tokens.length; ) {
    let j = i;
    while (j < tokens.length && tokens[j] === tokens[i]) j++;
    counts.set(tokens[i], (counts.get(tokens[i]) ?? 0) + Math.ceil((j - i) / 2));
    i = j;
  }
  return counts;
}

/** Every token of an article's normalised title and text (article_search) with its use, as the search ranks it. */
export function termsOf(title: string, body: string): Map<string, TermUse> {
  const inTitle = occurrences(title);
  const inBody = occurrences(body);
  const terms = new Map<string, TermUse>();
  for (const term of new Set([...inTitle.keys(), ...inBody.keys()])) {
    const t = inTitle.get(term) ?? 0;
    terms.set(term, { inTitle: t > 0, weight: Math.min(65_535, TITLE_WEIGHT * t + (inBody.get(term) ?? 0)) });
  }
  return terms;
}

/** Queues the written articles for posting; called by articlesChanged in the writer's transaction (MariaDB). */
export async function queueSearchPostings(manager: EntityManager, ids: readonly number[]): Promise<void> {
  if (dialectOf(manager) !== "mysql") return;
  await insertMany(manager, "search_posting_queue", ["article_id"], ids.map((id) => [id]));
}

/**
 * Every term's kept list computed from articles seen in any order: each
 * list is cut to its newest `kept` whenever it doubles, remembering the
 * time it then reaches back to. Used by the seed (articles as generated)
 * and by rebuildSearchPostings (articles as read).
 */
interface List {
  times: number[];
  ids: number[];
  /** in_title * 65536 + weight: a number, not an object, per posting (a million articles hold tens of millions). */
  uses: number[];
  coveredFrom: number | null;
}

export class PostingCollector {
  private readonly lists = new Map<string, List>();

  constructor(private readonly limits: PostingLimits = LIMITS) {}

  add(id: number, publishedAt: Date, terms: ReadonlyMap<string, TermUse>): void {
    const time = publishedAt.getTime();
    for (const [term, use] of terms) {
      let list = this.lists.get(term);
      if (!list) this.lists.set(term, (list = { times: [], ids: [], uses: [], coveredFrom: null }));
      if (list.coveredFrom !== null && time < list.coveredFrom) continue;
      list.times.push(time);
      list.ids.push(id);
      list.uses.push((use.inTitle ? 65536 : 0) + use.weight);
      if (list.times.length >= 2 * this.limits.kept) this.cut(list);
    }
  }

  private cut(list: List): void {
    if (list.times.length <= this.limits.kept) return;
    const order = list.times.map((_, i) => i).sort((a, b) => list.times[b] - list.times[a] || list.ids[b] - list.ids[a]);
    const boundary = list.times[order[this.limits.kept - 1]];
    // Everything at the boundary time stays, so that "every match at or after covered_from" holds.
    const keep = order.filter((i) => list.times[i] >= boundary);
    list.times = keep.map((i) => list.times[i]);
    list.ids = keep.map((i) => list.ids[i]);
    list.uses = keep.map((i) => list.uses[i]);
    list.coveredFrom = boundary;
  }

  /** The rows of search_term and search_posting, each list cut to its newest `kept`. */
  *rows(): Generator<{ term: string; kept: number; coveredFrom: Date | null; postings: { publishedAt: Date; id: number; use: TermUse }[] }> {
    for (const [term, list] of this.lists) {
      if (list.times.length > this.limits.kept) this.cut(list);
      yield {
        term,
        kept: list.times.length,
        coveredFrom: list.coveredFrom === null ? null : new Date(list.coveredFrom),
        postings: list.times.map((t, i) => ({ publishedAt: new Date(t), id: list.ids[i], use: { inTitle: list.uses[i] >= 65536, weight: list.uses[i] % 65536 } })),
      };
    }
  }
}

/** search_posting's columns, in the order postingRow gives them. */
export const POSTING_COLUMNS = ["term", "published_at", "article_id", "in_title", "weight"] as const;

export function postingRow(term: string, publishedAt: Date, id: number, use: TermUse): unknown[] {
  return [term, toDbTime(publishedAt), id, use.inTitle ? 1 : 0, use.weight];
}

/** Writes a collector's lists into empty tables, a few thousand rows held at a time. */
async function writeCollected(m: EntityManager, collector: PostingCollector): Promise<void> {
  let terms: unknown[][] = [];
  let postings: unknown[][] = [];
  const flush = async (force: boolean) => {
    if (terms.length > 0 && (force || terms.length >= ROWS_PER_WRITE)) {
      await insertMany(m, "search_term", ["term", "kept", "covered_from"], terms);
      terms = [];
    }
    if (postings.length > 0 && (force || postings.length >= ROWS_PER_WRITE)) {
      await insertMany(m, "search_posting", [...POSTING_COLUMNS], postings);
      postings = [];
    }
  };
  for (const r of collector.rows()) {
    terms.push([r.term, r.kept, r.coveredFrom && toDbTime(r.coveredFrom)]);
    for (const p of r.postings) postings.push(postingRow(r.term, p.publishedAt, p.id, p.use));
    await flush(false);
  }
  await flush(true);
}

/** Rebuilds every kept list from the search text of the listed articles, a batch of articles per read (keyset by id). */
export async function rebuildSearchPostings(db: DataSource | EntityManager, limits: PostingLimits = LIMITS): Promise<void> {
  if (dialectOf(db) !== "mysql") return;
  await db.query("DELETE FROM search_posting_queue");
  await db.query("DELETE FROM search_posting");
  await db.query("DELETE FROM search_term");
  const collector = new PostingCollector(limits);
  let after = 0;
  for (;;) {
    const rows: { id: unknown; published_at: unknown; title: string; body: string }[] = await db.query(
      `SELECT a.id, a.published_at, s.title, s.body FROM article a JOIN article_search s ON s.article_id = a.id
       WHERE a.id > ? AND ${listedArticleSql("a")} AND a.published_at IS NOT NULL ORDER BY a.id LIMIT ${QUEUE_BATCH}`,
      [after],
    );
    if (rows.length === 0) break;
    for (const r of rows) collector.add(Number(r.id), fromDbTime(r.published_at) as Date, termsOf(r.title, r.body));
    after = Number(rows[rows.length - 1].id);
  }
  await writeCollected(db instanceof EntityManager ? db : db.manager, collector);
}

/**
 * Posts one batch of queued articles: their old postings go, the listed
 * ones get a posting for each token whose list reaches back to them, and
 * lists grown to trimAt are cut back to their newest `kept`. Returns the
 * number of queue rows worked off (0 when the queue was empty or another
 * process holds the lock).
 */
export async function refreshQueuedPostings(ds: DataSource, limits: PostingLimits = LIMITS): Promise<number> {
  const q = ds.createQueryRunner("master");
  await q.connect();
  try {
    const [{ got }] = await q.query("SELECT GET_LOCK(?, 0) AS got", [LOCK]);
    if (Number(got) !== 1) return 0;
    try {
      const queued: { id: unknown; article_id: unknown }[] = await q.query(`SELECT id, article_id FROM search_posting_queue ORDER BY id LIMIT ${QUEUE_BATCH}`);
      if (queued.length === 0) return 0;
      const ids = [...new Set(queued.map((r) => Number(r.article_id)))];
      // By id, not "up to the last one": a row a slower writer committed since, with a lower id, stays for the next batch.
      const taken = queued.map((r) => Number(r.id));
      await q.startTransaction();
      try {
        await postArticles(q.manager, ids, limits);
        await q.query(`DELETE FROM search_posting_queue WHERE id IN (${placeholders(taken.length)})`, taken);
        await q.commitTransaction();
      } catch (e) {
        await q.rollbackTransaction();
        throw e;
      }
      return queued.length;
    } finally {
      await q.query("SELECT RELEASE_LOCK(?)", [LOCK]);
    }
  } finally {
    await q.release();
  }
}

/**
 * Works off the whole queue (tests, and commands that write without a
 * serving process); when another process holds the lock, waits for it to
 * empty the queue.
 */
export async function drainSearchPostings(ds: DataSource, limits: PostingLimits = LIMITS): Promise<void> {
  if (dialectOf(ds) !== "mysql") return;
  for (;;) {
    if ((await refreshQueuedPostings(ds, limits)) > 0) continue;
    const [{ n }] = await ds.query("SELECT COUNT(*) AS n FROM search_posting_queue");
    if (Number(n) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function postArticles(m: EntityManager, ids: number[], limits: PostingLimits): Promise<void> {
  // Old postings out, each list's count down by what it lost.
  const lost: { term: string; n: unknown }[] = await m.query(
    `SELECT term, COUNT(*) AS n FROM search_posting WHERE article_id IN (${placeholders(ids.length)}) GROUP BY term`,
    ids,
  );
  await m.query(`DELETE FROM search_posting WHERE article_id IN (${placeholders(ids.length)})`, ids);
  for (let i = 0; i < lost.length; i += ROWS_PER_WRITE) {
    const chunk = lost.slice(i, i + ROWS_PER_WRITE);
    await m.query(
      `INSERT INTO search_term (term, kept, covered_from) VALUES ${chunk.map(() => "(?, ?, NULL)").join(", ")}
       ON DUPLICATE KEY UPDATE kept = kept - VALUES(kept)`,
      chunk.flatMap((r) => [r.term, Number(r.n)]),
    );
  }
  // The listed ones back in, for the tokens whose lists reach back to them.
  const articles: { id: unknown; published_at: unknown; title: string; body: string }[] = await m.query(
    `SELECT a.id, a.published_at, s.title, s.body FROM article a JOIN article_search s ON s.article_id = a.id
     WHERE a.id IN (${placeholders(ids.length)}) AND ${listedArticleSql("a")} AND a.published_at IS NOT NULL`,
    ids,
  );
  const byTerm = new Map<string, { at: Date; id: number; use: TermUse }[]>();
  for (const a of articles) {
    const at = fromDbTime(a.published_at) as Date;
    for (const [term, use] of termsOf(a.title, a.body)) {
      let list = byTerm.get(term);
      if (!list) byTerm.set(term, (list = []));
      list.push({ at, id: Number(a.id), use });
    }
  }
  const terms = [...byTerm.keys()];
  const covered = await selectIn<{ term: string; covered_from: unknown }>(
    m,
    (marks) => `SELECT term, covered_from FROM search_term WHERE term IN (${marks}) AND covered_from IS NOT NULL`,
    terms,
  );
  const coveredFrom = new Map(covered.map((r) => [r.term, (fromDbTime(r.covered_from) as Date).getTime()]));
  const postings: unknown[][] = [];
  const added = new Map<string, number>();
  for (const [term, list] of byTerm) {
    const from = coveredFrom.get(term);
    for (const p of list) {
      if (from !== undefined && p.at.getTime() < from) continue;
      postings.push(postingRow(term, p.at, p.id, p.use));
      added.set(term, (added.get(term) ?? 0) + 1);
    }
  }
  await insertMany(m, "search_posting", [...POSTING_COLUMNS], postings);
  const counts = [...added];
  for (let i = 0; i < counts.length; i += ROWS_PER_WRITE) {
    const chunk = counts.slice(i, i + ROWS_PER_WRITE);
    await m.query(
      `INSERT INTO search_term (term, kept, covered_from) VALUES ${chunk.map(() => "(?, ?, NULL)").join(", ")}
       ON DUPLICATE KEY UPDATE kept = kept + VALUES(kept)`,
      chunk.flat(),
    );
  }
  // Lists grown past trimAt: cut back to their newest `kept` (ties at the boundary stay).
  const grown = await selectIn<{ term: string }>(m, (marks) => `SELECT term FROM search_term WHERE term IN (${marks}) AND kept >= ?`, terms, [limits.trimAt]);
  for (const { term } of grown) {
    const [edge] = await m.query(
      `SELECT published_at FROM search_posting WHERE term = ? ORDER BY published_at DESC, article_id DESC LIMIT 1 OFFSET ${limits.kept - 1}`,
      [term],
    );
    if (!edge) continue;
    await m.query("DELETE FROM search_posting WHERE term = ? AND published_at < ?", [term, edge.published_at]);
    await m.query(
      "UPDATE search_term SET covered_from = ?, kept = (SELECT COUNT(*) FROM search_posting WHERE term = ?) WHERE term = ?",
      [edge.published_at, term, term],
    );
  }
  // Terms no article holds any more (and whose lists are complete) need no row.
  if (lost.length > 0) {
    const gone = lost.map((r) => r.term);
    await m.query(`DELETE FROM search_term WHERE term IN (${placeholders(gone.length)}) AND kept <= 0 AND covered_from IS NULL`, gone);
  }
}
