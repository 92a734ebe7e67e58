import type { EntityManager } from "typeorm";
import { PARAGRAPH_SEPARATOR } from "../../../entities";
import { dialectOf, placeholders } from "../../db/dialect";
import type { Row } from "../../read/rows";
import { normalizeText } from "../../text/normalize";

/**
 * Keeps article_search (see migration 1700000000100-search) equal to the
 * normalised text of every article that is not deleted. Drafts and stubs are
 * indexed too, so publishing needs no reindex of its own; searches filter
 * through the article table.
 */

/*
 * Rows per statement: three parameters each, well under SQLite's variable
 * limit, and a batch of real pages (about 20 KB of text each) stays far below
 * MariaDB's default max_allowed_packet.
 */
const BATCH = 250;

interface IndexRow {
  id: number;
  title: string;
  body: string;
}

/** Each article is indexed by the rules of its own language (Kazakh words whole, Russian stemmed). */
function indexRow(r: Row): IndexRow {
  const body = [r.lead, r.body].filter((t): t is string => typeof t === "string" && t !== "").join(PARAGRAPH_SEPARATOR);
  const language = r.language as string;
  return { id: Number(r.id), title: normalizeText(r.title as string, language), body: normalizeText(body, language) };
}

async function insertIndexRows(manager: EntityManager, rows: IndexRow[]): Promise<void> {
  if (rows.length === 0) return;
  const idColumn = dialectOf(manager) === "mysql" ? "article_id" : "rowid";
  await manager.query(
    `INSERT INTO article_search (${idColumn}, title, body) VALUES ${rows.map(() => "(?, ?, ?)").join(", ")}`,
    rows.flatMap((r) => [r.id, r.title, r.body]),
  );
}

/** An article's text as the writer just wrote it. */
export interface ArticleText {
  title: string;
  lead: string | null;
  body: string | null;
  language: string;
}

/**
 * Rewrites the index rows of these articles from the article table, inside
 * the caller's transaction; articles deleted or gone lose theirs. Called by
 * articlesChanged, so every article write keeps the index current. `known`:
 * the text of articles the caller has just written, which is then not read
 * back (an importer writes megabytes of it per transaction).
 */
export async function indexArticles(manager: EntityManager, ids: readonly number[], known?: ReadonlyMap<number, ArticleText>): Promise<void> {
  const unique = [...new Set(ids)].filter((id) => Number.isInteger(id));
  const idColumn = dialectOf(manager) === "mysql" ? "article_id" : "rowid";
  for (let i = 0; i < unique.length; i += BATCH) {
    const chunk = unique.slice(i, i + BATCH);
    await manager.query(`DELETE FROM article_search WHERE ${idColumn} IN (${placeholders(chunk.length)})`, chunk);
    const toRead = chunk.filter((id) => !known?.has(id));
    const rows: Row[] = [];
    if (toRead.length > 0) {
      rows.push(
        ...(await manager.query(
          `SELECT a.id, a.title, a.lead, a.body, a.language FROM article a WHERE a.id IN (${placeholders(toRead.length)}) AND a.deleted_at IS NULL`,
          toRead,
        )),
      );
    }
    const written = chunk.filter((id) => known?.has(id));
    if (known && written.length > 0) {
      const alive: Row[] = await manager.query(`SELECT a.id FROM article a WHERE a.id IN (${placeholders(written.length)}) AND a.deleted_at IS NULL`, written);
      for (const r of alive) rows.push({ id: r.id, ...known.get(Number(r.id)) });
    }
    await insertIndexRows(manager, rows.map(indexRow));
  }
}

/**
 * Rebuilds the whole index from the article table, a batch of articles per
 * statement pair (keyset by id), for bulk loads that bypass articlesChanged.
 */
export async function rebuildSearchIndex(manager: EntityManager): Promise<void> {
  await manager.query("DELETE FROM article_search");
  let after = 0;
  for (;;) {
    const rows: Row[] = await manager.query(
      `SELECT a.id, a.title, a.lead, a.body, a.language FROM article a WHERE a.id > ? AND a.deleted_at IS NULL ORDER BY a.id LIMIT ${BATCH}`,
      [after],
    );
    if (rows.length === 0) return;
    await insertIndexRows(manager, rows.map(indexRow));
    after = Number(rows[rows.length - 1].id);
  }
}
