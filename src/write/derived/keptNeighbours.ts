import { setImmediate } from "node:timers/promises";
import { randomBytes } from "node:crypto";
import os from "node:os";
import type { DataSource, EntityManager } from "typeorm";
import { config } from "../../config";
import { dialectOf, placeholders } from "../../db/dialect";
import { fromDbTime, toDbTime } from "../../db/time";
import { listedArticleSql } from "../../read/viewer";
import { NEIGHBOUR_WINDOW_MS, NeighbourRanker, NeighbourSpan, type SpanArticle } from "./neighbourRanking";

// The computed half of "read also" (src/read/loaders/related.ts), kept per
// article in article_neighbours instead of ranked per request. Writers
// queue the articles they wrote (queueNeighbourRefresh, inside their
// transaction); the refresh (refreshQueuedNeighbours, run by the
// NeighbourWorker in the serving process) recomputes, in batches, every
// list those articles were or are now part of; bulk loads rebuild the whole
// table (rebuildNeighbours). Both rank in memory, streaming over the
// archive by date with the articles of the window at hand.

type Db = DataSource | EntityManager;

/** Neighbours kept per article: enough for the largest `first` related accepts. */
export const KEPT_NEIGHBOURS = config.maxPageSize;

/** Parents ranked per step of the stream: a month of articles, with a month either side loaded. */
const CORE_MS = NEIGHBOUR_WINDOW_MS;
const ROWS_PER_WRITE = 500;
/**
 * Writes of ranked lists sent and not yet answered while the next lists are
 * ranked: two on a rebuild's one connection, where they queue; one for the
 * background refresh, whose upserts would otherwise run at once on two
 * pooled connections and could deadlock on each other's gap locks.
 */
const WRITES_IN_FLIGHT = { rebuild: 2, refresh: 1 } as const;
const IDS_PER_READ = 500;
/** Queued articles taken per refresh batch: a big import is worked off in few passes over the archive. */
const QUEUE_BATCH = 50_000;

/** Queues the written articles for the neighbour refresh; called by articlesChanged in the writer's transaction. */
export async function queueNeighbourRefresh(manager: EntityManager, ids: readonly number[]): Promise<void> {
  for (let i = 0; i < ids.length; i += ROWS_PER_WRITE) {
    const chunk = ids.slice(i, i + ROWS_PER_WRITE);
    await manager.query(`INSERT INTO neighbour_refresh (article_id) VALUES ${chunk.map(() => "(?)").join(", ")}`, chunk);
  }
}

interface Loaded extends SpanArticle {
  tagIds: number[];
}

/** Articles (not deleted, dated) of [from, to), in publication order, with their tags. Two index ranges: listed, then the rest. */
async function loadSpan(db: Db, from: number, to: number): Promise<Loaded[]> {
  const byId = new Map<number, Loaded>();
  const range = [toDbTime(new Date(from)), toDbTime(new Date(to))];
  for (const [listed, where] of [
    [true, listedArticleSql()],
    [false, "a.deleted_at IS NULL AND a.status <> 'PUBLISHED'"],
  ] as const) {
    const rows: { id: unknown; published_at: unknown; tag_id: unknown }[] = await db.query(
      `SELECT a.id, a.published_at, t.tag_id FROM article a LEFT JOIN article_tag t ON t.article_id = a.id
       WHERE ${where} AND a.published_at >= ? AND a.published_at < ?`,
      range,
    );
    for (const r of rows) {
      const id = Number(r.id);
      let a = byId.get(id);
      if (!a) byId.set(id, (a = { id, time: (fromDbTime(r.published_at) as Date).getTime(), listed, tagIds: [] }));
      if (r.tag_id !== null && r.tag_id !== undefined) a.tagIds.push(Number(r.tag_id));
    }
  }
  return [...byId.values()].sort((a, b) => a.time - b.time || a.id - b.id);
}

interface KeptRow {
  articleId: number;
  neighbourIds: number[];
  /** The state to remember as propagated (queued articles and rebuilds), or undefined to leave it. */
  seen?: { listedAt: number | null; tagIds: number[] };
}

async function writeRows(db: Db, rows: KeptRow[], upsert: boolean): Promise<void> {
  const mysql = dialectOf(db) === "mysql";
  for (const withSeen of [true, false]) {
    const part = rows.filter((r) => (r.seen !== undefined) === withSeen);
    const set = withSeen ? ["neighbour_ids", "seen_listed_at", "seen_tag_ids"] : ["neighbour_ids"];
    const conflict = !upsert
      ? ""
      : mysql
        ? ` ON DUPLICATE KEY UPDATE ${set.map((c) => `${c} = VALUES(${c})`).join(", ")}`
        : ` ON CONFLICT (article_id) DO UPDATE SET ${set.map((c) => `${c} = excluded.${c}`).join(", ")}`;
    for (let i = 0; i < part.length; i += ROWS_PER_WRITE) {
      const chunk = part.slice(i, i + ROWS_PER_WRITE);
      await db.query(
        `INSERT INTO article_neighbours (article_id, neighbour_ids, seen_listed_at, seen_tag_ids) VALUES ${chunk.map(() => "(?, ?, ?, ?)").join(", ")}${conflict}`,
        chunk.flatMap((r) => [
          r.articleId,
          JSON.stringify(r.neighbourIds),
          r.seen?.listedAt != null ? toDbTime(new Date(r.seen.listedAt)) : null,
          r.seen ? r.seen.tagIds.join(",") : null,
        ]),
      );
    }
  }
}

/**
 * Statements sent without waiting for each, at most `limit` at a time: a
 * new one is sent once the oldest is answered, if the limit is reached.
 * Every one settles before a failure is thrown (settle), so nothing is left
 * queued behind the caller's rollback.
 */
class InFlight {
  private readonly pending: Promise<unknown>[] = [];

  constructor(private readonly limit: number) {}

  async add(send: () => Promise<unknown>): Promise<void> {
    while (this.pending.length >= this.limit) await this.pending.shift();
    const statement = send();
    // Marked as handled now; its failure is thrown where it is awaited.
    statement.catch(() => undefined);
    this.pending.push(statement);
  }

  /** Waits for all; throws the first failure. */
  async drain(): Promise<void> {
    while (this.pending.length > 0) await this.pending.shift();
  }

  /** Waits for all, failed or not. */
  async settle(): Promise<void> {
    await Promise.allSettled(this.pending.splice(0));
  }
}

/**
 * Ranks the articles published in [from, to) that `wanted` picks, streaming
 * a month at a time with the month either side loaded, and hands the lists
 * to `write` ROWS_PER_WRITE at a time. Every article row is read once.
 *
 * The database and the ranking work at the same time: the next month is
 * asked for before this one is ranked, and each slice of lists is written
 * while the next slice is ranked (at most `writesInFlight` writes
 * waiting). The ranking gives the event loop a turn after every slice, so
 * replies are read and queued statements sent meanwhile, and a serving
 * process (the background refresh) keeps answering.
 */
async function rankStream(
  db: Db,
  from: number,
  to: number,
  wanted: (a: Loaded) => "seen" | "rank" | false,
  write: (rows: KeptRow[]) => Promise<void>,
  writesInFlight: number,
  between?: () => Promise<void>,
): Promise<number> {
  const ranker = new NeighbourRanker(KEPT_NEIGHBOURS);
  const writes = new InFlight(writesInFlight);
  let buffer: Loaded[] = [];
  let loadedTo = from - NEIGHBOUR_WINDOW_MS;
  // The span the next month needs, asked for while this one is ranked.
  let ahead: { to: number; rows: Promise<Loaded[]> } | undefined;
  const spanEnd = (core: number) => Math.min(core + CORE_MS, to) + NEIGHBOUR_WINDOW_MS;
  let ranked = 0;
  try {
    for (let core = from; core < to; core += CORE_MS) {
      const coreEnd = Math.min(core + CORE_MS, to);
      const first = buffer.findIndex((a) => a.time >= core - NEIGHBOUR_WINDOW_MS);
      buffer = first < 0 ? [] : buffer.slice(first);
      const next = spanEnd(core);
      if (next > loadedTo) {
        const loaded = ahead?.to === next ? ahead.rows : loadSpan(db, loadedTo, next);
        ahead = undefined;
        buffer = buffer.concat(await loaded);
        loadedTo = next;
      }
      if (coreEnd < to && spanEnd(coreEnd) > loadedTo) {
        ahead = { to: spanEnd(coreEnd), rows: loadSpan(db, loadedTo, spanEnd(coreEnd)) };
        ahead.rows.catch(() => undefined);
      }
      const span = new NeighbourSpan(buffer);
      let rows: KeptRow[] = [];
      for (let i = 0; i < buffer.length; i++) {
        const a = buffer[i];
        if (a.time < core || a.time >= coreEnd) continue;
        const how = wanted(a);
        if (!how) continue;
        rows.push({
          articleId: a.id,
          neighbourIds: ranker.rank(span, i),
          seen: how === "seen" ? { listedAt: a.listed ? a.time : null, tagIds: a.tagIds } : undefined,
        });
        if (rows.length === ROWS_PER_WRITE) {
          const slice = rows;
          ranked += slice.length;
          await writes.add(() => write(slice));
          rows = [];
          // A turn of the event loop: the replies of the statements sent meanwhile are read and the next ones sent.
          await setImmediate();
        }
      }
      if (rows.length > 0) {
        const slice = rows;
        ranked += slice.length;
        await writes.add(() => write(slice));
      }
      await between?.();
    }
    await writes.drain();
  } finally {
    await writes.settle();
    if (ahead) await ahead.rows.catch(() => undefined);
  }
  return ranked;
}

/**
 * Recomputes every article's kept neighbours from the articles themselves
 * and empties the queue; used after bulk loads (rebuildDerivedTables).
 * Returns how many articles were ranked.
 */
export async function rebuildNeighbours(db: Db): Promise<number> {
  const [queued] = await db.query("SELECT MAX(id) AS id FROM neighbour_refresh");
  await db.query("DELETE FROM article_neighbours");
  const [bounds] = await db.query("SELECT MIN(published_at) AS lo, MAX(published_at) AS hi FROM article WHERE deleted_at IS NULL");
  let ranked = 0;
  if (bounds?.lo != null) {
    const lo = (fromDbTime(bounds.lo) as Date).getTime();
    const hi = (fromDbTime(bounds.hi) as Date).getTime() + 1;
    ranked = await rankStream(db, lo, hi, () => "seen", (rows) => writeRows(db, rows, false), WRITES_IN_FLIGHT.rebuild);
  }
  if (queued?.id != null) await db.query("DELETE FROM neighbour_refresh WHERE id <= ?", [queued.id]);
  return ranked;
}

interface TagState {
  time: number;
  tagIds: number[];
}

/** Whether an article of `time` with `tagIds` shares a tag with one of `states` (a tag's times, sorted) within the window. */
function touchedBy(states: Map<number, number[]>, time: number, tagIds: readonly number[]): boolean {
  for (const t of tagIds) {
    const times = states.get(t);
    if (!times) continue;
    // The first time at or after the window's start: inside the window or none is.
    let lo = 0;
    let hi = times.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (times[mid] < time - NEIGHBOUR_WINDOW_MS) lo = mid + 1;
      else hi = mid;
    }
    if (lo < times.length && times[lo] <= time + NEIGHBOUR_WINDOW_MS) return true;
  }
  return false;
}

/** [lo, hi) intervals merged. */
function merge(intervals: [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  for (const [lo, hi] of intervals.sort((a, b) => a[0] - b[0])) {
    const last = out[out.length - 1];
    if (last && lo <= last[1]) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

const LEASE_MS = 120_000;

/** Who holds the refresh lease: this process (host name, pid, random). */
export function refreshOwner(): string {
  return `${os.hostname().slice(0, 40)}:${process.pid}:${randomBytes(4).toString("hex")}`;
}

async function holdLease(ds: DataSource, owner: string): Promise<boolean> {
  const now = Date.now();
  await ds.query("UPDATE neighbour_refresh_lease SET owner = ?, lease_until = ? WHERE name = 'refresh' AND (owner IS NULL OR owner = ? OR lease_until < ?)", [
    owner,
    toDbTime(new Date(now + LEASE_MS)),
    owner,
    toDbTime(new Date(now)),
  ]);
  const [row] = await ds.query("SELECT owner FROM neighbour_refresh_lease WHERE name = 'refresh'");
  return row?.owner === owner;
}

/**
 * Works off one batch of the queue: for each queued article, the lists it
 * was in when last propagated (its seen state) and the lists it belongs in
 * now (articles of its window sharing one of its tags) are recomputed, with
 * its own; an article deleted or undated loses its row. One instance at a
 * time (a lease in the database, renewed between months); a write that
 * lands meanwhile queues its article again, so nothing is lost. Returns how
 * many queue entries were worked off (0: none, or another instance holds the lease).
 */
export async function refreshQueuedNeighbours(ds: DataSource, owner = refreshOwner()): Promise<number> {
  const queue: { id: unknown; article_id: unknown }[] = await ds.query(`SELECT id, article_id FROM neighbour_refresh ORDER BY id LIMIT ${QUEUE_BATCH}`);
  if (queue.length === 0) return 0;
  if (!(await holdLease(ds, owner))) return 0;
  try {
    const ids = [...new Set(queue.map((q) => Number(q.article_id)))];
    const now = new Map<number, TagState & { listed: boolean }>();
    const seen = new Map<number, TagState>();
    for (let i = 0; i < ids.length; i += IDS_PER_READ) {
      const chunk = ids.slice(i, i + IDS_PER_READ);
      const rows: { id: unknown; published_at: unknown; listed: unknown; tag_id: unknown }[] = await ds.query(
        `SELECT a.id, a.published_at, CASE WHEN ${listedArticleSql()} THEN 1 ELSE 0 END AS listed, t.tag_id
         FROM article a LEFT JOIN article_tag t ON t.article_id = a.id
         WHERE a.id IN (${placeholders(chunk.length)}) AND a.deleted_at IS NULL AND a.published_at IS NOT NULL`,
        chunk,
      );
      for (const r of rows) {
        const id = Number(r.id);
        let s = now.get(id);
        if (!s) now.set(id, (s = { time: (fromDbTime(r.published_at) as Date).getTime(), listed: Number(r.listed) === 1, tagIds: [] }));
        if (r.tag_id !== null && r.tag_id !== undefined) s.tagIds.push(Number(r.tag_id));
      }
      const kept: { article_id: unknown; seen_listed_at: unknown; seen_tag_ids: unknown }[] = await ds.query(
        `SELECT article_id, seen_listed_at, seen_tag_ids FROM article_neighbours WHERE article_id IN (${placeholders(chunk.length)}) AND seen_listed_at IS NOT NULL`,
        chunk,
      );
      for (const k of kept) {
        const tagIds = String(k.seen_tag_ids ?? "").split(",").filter(Boolean).map(Number);
        seen.set(Number(k.article_id), { time: (fromDbTime(k.seen_listed_at) as Date).getTime(), tagIds });
      }
    }
    // Whose lists an article is or was in: its window's articles sharing one of its tags, while it is (was) listed.
    const states = new Map<number, number[]>();
    const intervals: [number, number][] = [];
    const propagating = [...seen.values(), ...[...now.values()].filter((s) => s.listed)];
    for (const s of propagating) {
      for (const t of s.tagIds) {
        const times = states.get(t);
        if (times) times.push(s.time);
        else states.set(t, [s.time]);
      }
      intervals.push([s.time - NEIGHBOUR_WINDOW_MS, s.time + NEIGHBOUR_WINDOW_MS + 1]);
    }
    for (const times of states.values()) times.sort((a, b) => a - b);
    for (const s of now.values()) intervals.push([s.time, s.time + 1]);
    for (const [lo, hi] of merge(intervals)) {
      await rankStream(
        ds,
        lo,
        hi,
        (a) => (now.has(a.id) ? "seen" : touchedBy(states, a.time, a.tagIds) ? "rank" : false),
        (rows) => writeRows(ds, rows, true),
        WRITES_IN_FLIGHT.refresh,
        async () => {
          if (!(await holdLease(ds, owner))) throw new Error("the neighbour refresh lease was lost; another instance carries on");
        },
      );
    }
    const gone = ids.filter((id) => !now.has(id));
    for (let i = 0; i < gone.length; i += IDS_PER_READ) {
      const chunk = gone.slice(i, i + IDS_PER_READ);
      await ds.query(`DELETE FROM article_neighbours WHERE article_id IN (${placeholders(chunk.length)})`, chunk);
    }
    const done = queue.map((q) => Number(q.id));
    for (let i = 0; i < done.length; i += IDS_PER_READ) {
      const chunk = done.slice(i, i + IDS_PER_READ);
      await ds.query(`DELETE FROM neighbour_refresh WHERE id IN (${placeholders(chunk.length)})`, chunk);
    }
    return queue.length;
  } finally {
    await ds.query("UPDATE neighbour_refresh_lease SET owner = NULL, lease_until = NULL WHERE name = 'refresh' AND owner = ?", [owner]);
  }
}
