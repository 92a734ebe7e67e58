import type { EntityManager } from "typeorm";
import { ArticleStatus, PARAGRAPH_SEPARATOR, TagKind } from "../../entities";
import { fromDbTime, toDbTime } from "../db/time";
import { insertMany } from "../write/ingest/rows";

/** What readers see of an article, as a revision keeps it. */
export interface ArticleContent {
  title: string;
  lead: string | null;
  paragraphs: string[];
  authorId: number | null;
  photoCredit: string | null;
  language: string;
  rubricIds: number[];
  hashtags: string[];
}

/** A revision: the content, and where the article stood in the workflow then (kept for the record, not restored). */
export interface RevisionRecord extends ArticleContent {
  status: ArticleStatus;
  slug: string;
  publishedAt: string | null;
}

/** The fields in a fixed order, so that equal records serialise to equal JSON. */
function serialise(r: RevisionRecord): string {
  return JSON.stringify({
    title: r.title,
    lead: r.lead,
    paragraphs: r.paragraphs,
    authorId: r.authorId,
    photoCredit: r.photoCredit,
    language: r.language,
    rubricIds: r.rubricIds,
    hashtags: r.hashtags,
    status: r.status,
    slug: r.slug,
    publishedAt: r.publishedAt,
  });
}

export function parseRevision(json: string): RevisionRecord {
  return JSON.parse(json) as RevisionRecord;
}

function contentOf(r: RevisionRecord): string {
  const { status: _s, slug: _l, publishedAt: _p, ...content } = r;
  return JSON.stringify(content);
}

/** The article's record as it is now; null for a stub (no content of its own yet) or a missing article. */
export async function readRevisionRecord(m: EntityManager, id: number): Promise<RevisionRecord | null> {
  const [row] = await m.query(
    "SELECT title, lead, body, author_id, photo_credit, language, status, slug, published_at FROM article WHERE id = ? AND deleted_at IS NULL",
    [id],
  );
  if (!row || row.status === ArticleStatus.STUB) return null;
  const tags: { id: unknown; kind: string; name: string }[] = await m.query(
    "SELECT t.id, t.kind, t.name FROM article_tag x JOIN tag t ON t.id = x.tag_id WHERE x.article_id = ? ORDER BY x.position",
    [id],
  );
  const publishedAt = fromDbTime(row.published_at);
  return {
    title: row.title,
    lead: row.lead ?? null,
    paragraphs: row.body ? String(row.body).split(PARAGRAPH_SEPARATOR) : [],
    authorId: row.author_id === null ? null : Number(row.author_id),
    photoCredit: row.photo_credit ?? null,
    language: row.language,
    rubricIds: tags.filter((t) => t.kind === TagKind.RUBRIC).map((t) => Number(t.id)),
    hashtags: tags.filter((t) => t.kind === TagKind.HASHTAG).map((t) => t.name),
    status: row.status,
    slug: row.slug,
    publishedAt: publishedAt ? publishedAt.toISOString() : null,
  };
}

/**
 * Keeps a revision of article `id` after a write, inside the writer's
 * transaction, when its record differs from the latest revision: `before`
 * is the record read before the write (null for a new article), so an
 * article written before revisions existed gets its old state kept first,
 * and can be restored to it. `updated_at` moves only when the content
 * readers see changed (not for publishing, scheduling or view counts).
 * Returns whether a revision was written.
 */
export async function recordRevision(
  m: EntityManager,
  id: number,
  keyName: string | null,
  before: RevisionRecord | null,
): Promise<boolean> {
  const after = await readRevisionRecord(m, id);
  if (!after) return false;
  const [latest] = await m.query("SELECT content FROM article_revision WHERE article_id = ? ORDER BY id DESC LIMIT 1", [id]);
  const previous = latest ? parseRevision(String(latest.content)) : before;
  if (previous && serialise(previous) === serialise(after)) return false;
  const now = new Date();
  if (!latest && before) {
    const [row] = await m.query("SELECT updated_at FROM article WHERE id = ?", [id]);
    await insertRevision(m, id, fromDbTime(row.updated_at) ?? now, null, before);
  }
  await insertRevision(m, id, now, keyName, after);
  if (!previous || contentOf(previous) !== contentOf(after)) {
    await m.query("UPDATE article SET updated_at = ? WHERE id = ?", [toDbTime(now), id]);
  }
  return true;
}

async function insertRevision(m: EntityManager, id: number, at: Date, keyName: string | null, record: RevisionRecord): Promise<void> {
  await m.query("INSERT INTO article_revision (article_id, created_at, key_name, content) VALUES (?, ?, ?, ?)", [
    id,
    toDbTime(at),
    keyName,
    serialise(record),
  ]);
}

/**
 * The first revisions of articles that had none and no content before (new
 * articles, filled stubs), several per statement: what recordRevision writes
 * for each of them. The writer sets their updated_at to `at` itself.
 */
export async function recordFirstRevisions(
  m: EntityManager,
  entries: readonly { id: number; keyName: string | null; record: RevisionRecord }[],
  at: Date,
): Promise<void> {
  const rows = entries.map((e) => [e.id, toDbTime(at), e.keyName, serialise(e.record)]);
  await insertMany(m, "article_revision", ["article_id", "created_at", "key_name", "content"], rows);
}
