import type { EntityManager } from "typeorm";
import { placeholders } from "../../db/dialect";
import { fromDbTime, toDbTime } from "../../db/time";
import { insertedId, insertMany } from "./rows";

/** First occurrence wins: a list names each article once, at its first place. */
export function distinct(ids: number[]): number[] {
  return [...new Set(ids)];
}

function same(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Replaces an article's ordered rows in article_tag or article_related when they differ; true if it wrote. */
export async function replaceArticleList(
  m: EntityManager,
  table: "article_tag" | "article_related",
  articleId: number,
  ids: number[],
  opts: { knownEmpty: boolean },
): Promise<boolean> {
  const column = table === "article_tag" ? "tag_id" : "related_id";
  if (!opts.knownEmpty) {
    const rows: Record<string, unknown>[] = await m.query(`SELECT ${column} AS id FROM ${table} WHERE article_id = ? ORDER BY position`, [articleId]);
    const current = rows.map((r) => Number(r.id));
    if (same(current, ids)) return false;
    if (current.length > 0) await m.query(`DELETE FROM ${table} WHERE article_id = ?`, [articleId]);
  } else if (ids.length === 0) {
    return false;
  }
  await insertMany(m, table, ["article_id", column, "position"], ids.map((id, i) => [articleId, id, i]));
  return true;
}

export const POPULAR_SLUG = "popular";
const POPULAR_NAME = "Популярное";

export interface PopularList {
  capturedAt: number;
  ids: number[];
  /** The folded titles of its articles, read when a page of the same day competes. */
  keys: () => string[] | Promise<string[]>;
}

/**
 * Whether list `a` sorts before list `b` by its titles' keys joined with
 * line breaks: the joined strings compared unit by unit without being made
 * (a group compares for every page of a day).
 */
function sortsBefore(a: readonly string[], b: readonly string[]): boolean {
  const LINE_BREAK = 10;
  const END = -1;
  /** The unit at (key, at) of the joined list: a key's end is the line break before the next one. */
  const unit = (list: readonly string[], key: number, at: number) =>
    key >= list.length ? END : at < list[key].length ? list[key].charCodeAt(at) : key === list.length - 1 ? END : LINE_BREAK;
  let [i, p, j, q] = [0, 0, 0, 0];
  for (;;) {
    const x = unit(a, i, p);
    const y = unit(b, j, q);
    if (x !== y) return x < y;
    if (x === END) return false;
    if (p < a[i].length) p++;
    else [i, p] = [i + 1, 0];
    if (q < b[j].length) q++;
    else [j, q] = [j + 1, 0];
  }
}

/**
 * Whether a page's list (captured at `capturedAt`) replaces the current one:
 * it is newer, or of the same day, different, and first by folded titles.
 */
export async function popularWins(current: PopularList | null, capturedAt: number, ids: number[], keys: string[]): Promise<boolean> {
  if (ids.length === 0) return false;
  if (!current) return true;
  if (current.capturedAt > capturedAt) return false;
  if (current.capturedAt === capturedAt) {
    if (same(current.ids, ids)) return false;
    if (!sortsBefore(await current.keys(), keys)) return false;
  }
  return true;
}

/**
 * Stores a page's popular list as the collection "popular" unless a newer
 * page's list is already there. Two pages of the same day are settled by
 * their folded titles, so the order they are imported in does not matter.
 * A page without the list (the crawler missed it) leaves it alone.
 */
export async function storePopular(m: EntityManager, capturedAt: Date, ids: number[], keys: string[]): Promise<boolean> {
  if (ids.length === 0) return false;
  const [current] = await m.query("SELECT id, captured_at FROM collection WHERE slug = ?", [POPULAR_SLUG]);
  if (!current) {
    await writePopular(m, null, capturedAt, ids);
    return true;
  }
  const id = Number(current.id);
  const was = fromDbTime(current.captured_at)?.getTime() ?? -Infinity;
  let itemIds: number[] = [];
  let itemKeys: string[] = [];
  if (was === capturedAt.getTime()) {
    const items: Record<string, unknown>[] = await m.query(
      `SELECT ci.article_id AS id, a.title_key AS title_key FROM collection_item ci JOIN article a ON a.id = ci.article_id WHERE ci.collection_id = ? ORDER BY ci.position`,
      [id],
    );
    itemIds = items.map((r) => Number(r.id));
    itemKeys = items.map((r) => String(r.title_key));
  }
  if (!(await popularWins({ capturedAt: was, ids: itemIds, keys: () => itemKeys }, capturedAt.getTime(), ids, keys))) return false;
  await writePopular(m, { id, capturedAt: was }, capturedAt, ids);
  return true;
}

/** Writes the list as the collection "popular": `current` is the collection as it stands (null when there is none). */
export async function writePopular(m: EntityManager, current: { id: number; capturedAt: number } | null, capturedAt: Date, ids: number[]): Promise<number> {
  let id: number;
  if (!current) {
    id = insertedId(await m.query("INSERT INTO collection (slug, name, captured_at) VALUES (?, ?, ?)", [POPULAR_SLUG, POPULAR_NAME, toDbTime(capturedAt)]));
  } else {
    id = current.id;
    if (current.capturedAt !== capturedAt.getTime()) await m.query("UPDATE collection SET captured_at = ? WHERE id = ?", [toDbTime(capturedAt), id]);
    await m.query("DELETE FROM collection_item WHERE collection_id = ?", [id]);
  }
  await insertMany(m, "collection_item", ["collection_id", "position", "article_id"], ids.map((a, i) => [id, i, a]));
  return id;
}

/**
 * Folds duplicate stubs into the one that stays (`into`): edges and list
 * places that pointed at them point at it, each article's read-also list
 * keeping its order with the duplicate dropped, and the stubs go.
 */
export async function mergeStubs(m: EntityManager, into: number, stubIds: number[]): Promise<void> {
  if (stubIds.length === 0) return;
  const gone = new Set(stubIds);
  const rows: Record<string, unknown>[] = await m.query(
    `SELECT r.article_id, r.related_id FROM article_related r WHERE r.article_id IN
       (SELECT x.article_id FROM article_related x WHERE x.related_id IN (${placeholders(stubIds.length)}))
     ORDER BY r.article_id, r.position`,
    stubIds,
  );
  const lists = new Map<number, number[]>();
  for (const r of rows) {
    const source = Number(r.article_id);
    const related = Number(r.related_id);
    lists.set(source, [...(lists.get(source) ?? []), gone.has(related) ? into : related]);
  }
  for (const [source, list] of lists) {
    await replaceArticleList(m, "article_related", source, distinct(list.filter((id) => id !== source)), { knownEmpty: false });
  }
  await m.query(`UPDATE collection_item SET article_id = ? WHERE article_id IN (${placeholders(stubIds.length)})`, [into, ...stubIds]);
  await m.query(`DELETE FROM article WHERE id IN (${placeholders(stubIds.length)})`, stubIds);
}
