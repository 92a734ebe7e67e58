import type { DataSource, EntityManager } from "typeorm";
import { ArticleStatus, PARAGRAPH_SEPARATOR, TagKind } from "../../entities";
import { placeholders } from "../db/dialect";
import { fromDbTime, toDbTime } from "../db/time";
import { badUserInput } from "../errors";
import { tagIdsFor } from "../ingest/authorAndTags";
import { distinct, replaceArticleList } from "../ingest/orderedRows";
import { insertedId } from "../ingest/rows";
import { SlugAllocator } from "../ingest/slugAllocator";
import { pathOf } from "../seed/corpus";
import { articlesChanged } from "../services/articleChanges";
import { foldTitle } from "../text/fold";
import { checkLanguageFreeInGroup } from "./translationWrites";
import { WebhookEvent } from "../webhooks/events";

/** What an editor may set on an article; undefined leaves a field as it is, null clears it. */
export interface ArticleFields {
  title?: string;
  slug?: string | null;
  lead?: string | null;
  paragraphs?: string[] | null;
  authorId?: number | null;
  photoCredit?: string | null;
  language?: string | null;
  publishedAt?: Date | null;
}

interface Current {
  id: number;
  slug: string;
  status: ArticleStatus;
  publishedAt: Date | null;
  createdAt: Date;
}

async function current(m: EntityManager, id: number, argument: string): Promise<Current> {
  const [row] = await m.query("SELECT id, slug, status, published_at, created_at FROM article WHERE id = ? AND deleted_at IS NULL", [id]);
  if (!row) throw badUserInput(`${argument} names no article (or a deleted one).`, argument);
  return { id, slug: row.slug, status: row.status, publishedAt: fromDbTime(row.published_at), createdAt: fromDbTime(row.created_at) as Date };
}

async function checkAuthor(m: EntityManager, authorId: number | null | undefined): Promise<void> {
  if (authorId === undefined || authorId === null) return;
  const [row] = await m.query("SELECT id FROM author WHERE id = ?", [authorId]);
  if (!row) throw badUserInput("authorId names no author.", "authorId");
}

async function checkSlugFree(m: EntityManager, slug: string, ownId: number | null): Promise<void> {
  const [row] = await m.query("SELECT id FROM article WHERE slug = ?", [slug]);
  if (row && Number(row.id) !== ownId) throw badUserInput("slug is already used by another article.", "slug");
}

/** A path the article can have: its publication day (or, for an undated draft, its creation day) and slug. */
async function freePath(m: EntityManager, day: Date, slug: string, ownId: number | null): Promise<string> {
  const path = pathOf(day, slug);
  const [row] = await m.query("SELECT id FROM article WHERE path = ?", [path]);
  if (row && Number(row.id) !== ownId) throw badUserInput("slug gives a path another article already has on that day.", "slug");
  return path;
}

/** Readers are told an article went away only when they could see it. */
function wasPublished(old: Current, event: WebhookEvent): WebhookEvent | undefined {
  return old.status === ArticleStatus.PUBLISHED ? event : undefined;
}

function body(paragraphs: string[] | null | undefined): string | null | undefined {
  if (paragraphs === undefined) return undefined;
  return paragraphs === null || paragraphs.length === 0 ? null : paragraphs.map((p) => p.trim()).join(PARAGRAPH_SEPARATOR);
}

/** A new draft; returns its id. */
export async function createArticle(ds: DataSource, fields: ArticleFields & { title: string }): Promise<number> {
  return ds.transaction(async (m) => {
    await checkAuthor(m, fields.authorId);
    const now = new Date();
    let slug = fields.slug ?? null;
    if (slug) await checkSlugFree(m, slug, null);
    else {
      const slugs = new SlugAllocator();
      slugs.request(fields.title, `${fields.title}\n${now.toISOString()}`);
      [slug] = await slugs.allocate(m);
    }
    const publishedAt = fields.publishedAt ?? null;
    const path = await freePath(m, publishedAt ?? now, slug, null);
    const id = insertedId(
      await m.query(
        `INSERT INTO article (slug, path, title, title_key, lead, body, published_at, status, views, photo_credit, language, author_id, created_at, updated_at, deleted_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, NULL)`,
        [
          slug,
          path,
          fields.title,
          foldTitle(fields.title),
          fields.lead ?? null,
          body(fields.paragraphs) ?? null,
          publishedAt ? toDbTime(publishedAt) : null,
          ArticleStatus.DRAFT,
          fields.photoCredit ?? null,
          fields.language ?? "ru",
          fields.authorId ?? null,
          toDbTime(now),
          toDbTime(now),
        ],
      ),
    );
    await articlesChanged(m, { ids: [id], days: [publishedAt] });
    return id;
  });
}

/** Changes the given fields; the path follows the slug and the publication day. */
export async function updateArticle(ds: DataSource, id: number, fields: ArticleFields): Promise<void> {
  await ds.transaction(async (m) => {
    const old = await current(m, id, "id");
    if (old.status === ArticleStatus.STUB) throw badUserInput("id names a stub; import its page to fill it in.", "id");
    await checkAuthor(m, fields.authorId);
    const slug = fields.slug ?? old.slug;
    if (slug !== old.slug) await checkSlugFree(m, slug, id);
    const publishedAt = fields.publishedAt === undefined ? old.publishedAt : fields.publishedAt;
    const sets: string[] = ["slug = ?", "path = ?", "updated_at = ?"];
    const params: unknown[] = [slug, await freePath(m, publishedAt ?? old.createdAt, slug, id), toDbTime(new Date())];
    const set = (column: string, value: unknown) => {
      if (value === undefined) return;
      sets.push(`${column} = ?`);
      params.push(value);
    };
    if (fields.title !== undefined) {
      set("title", fields.title);
      set("title_key", foldTitle(fields.title));
    }
    set("lead", fields.lead);
    set("body", body(fields.paragraphs));
    set("photo_credit", fields.photoCredit);
    if (fields.language !== null && fields.language !== undefined) await checkLanguageFreeInGroup(m, id, fields.language);
    if (fields.language !== null) set("language", fields.language);
    set("author_id", fields.authorId);
    if (fields.publishedAt !== undefined) set("published_at", publishedAt ? toDbTime(publishedAt) : null);
    await m.query(`UPDATE article SET ${sets.join(", ")} WHERE id = ?`, [...params, id]);
    await articlesChanged(m, { ids: [id], days: [old.publishedAt, publishedAt], event: WebhookEvent.ARTICLE_UPDATED });
  });
}

/** Makes a draft public, dated `at`, its own date, or now. */
export async function publishArticle(ds: DataSource, id: number, at: Date | null | undefined): Promise<void> {
  await ds.transaction(async (m) => {
    const old = await current(m, id, "id");
    if (old.status === ArticleStatus.STUB) throw badUserInput("id names a stub; import its page to publish it.", "id");
    const publishedAt = at ?? old.publishedAt ?? new Date();
    const path = await freePath(m, publishedAt, old.slug, id);
    await m.query("UPDATE article SET status = ?, published_at = ?, path = ?, updated_at = ? WHERE id = ?", [
      ArticleStatus.PUBLISHED,
      toDbTime(publishedAt),
      path,
      toDbTime(new Date()),
      id,
    ]);
    const event = old.status === ArticleStatus.PUBLISHED ? WebhookEvent.ARTICLE_UPDATED : WebhookEvent.ARTICLE_PUBLISHED;
    await articlesChanged(m, { ids: [id], days: [old.publishedAt, publishedAt], event });
  });
}

/** Back to draft: readers no longer see it anywhere; its date is kept for when it returns. */
export async function unpublishArticle(ds: DataSource, id: number): Promise<void> {
  await ds.transaction(async (m) => {
    const old = await current(m, id, "id");
    if (old.status === ArticleStatus.STUB) throw badUserInput("id names a stub, which is not published.", "id");
    await m.query("UPDATE article SET status = ?, updated_at = ? WHERE id = ?", [ArticleStatus.DRAFT, toDbTime(new Date()), id]);
    await articlesChanged(m, { ids: [id], days: [old.publishedAt], event: wasPublished(old, WebhookEvent.ARTICLE_UNPUBLISHED) });
  });
}

/** Soft delete: the row stays (edges, views) but no one sees it again. */
export async function deleteArticle(ds: DataSource, id: number): Promise<void> {
  await ds.transaction(async (m) => {
    const old = await current(m, id, "id");
    const now = toDbTime(new Date());
    await m.query("UPDATE article SET deleted_at = ?, updated_at = ? WHERE id = ?", [now, now, id]);
    await articlesChanged(m, { ids: [id], days: [old.publishedAt], event: wasPublished(old, WebhookEvent.ARTICLE_DELETED) });
  });
}

/** The article's tags of `kind` become `tagIds` in order; the other kind's keep their order after them. */
async function replaceTagsOfKind(m: EntityManager, articleId: number, kind: TagKind, tagIds: number[]): Promise<void> {
  const rows: { id: unknown; kind: string }[] = await m.query(
    "SELECT t.id, t.kind FROM article_tag at JOIN tag t ON t.id = at.tag_id WHERE at.article_id = ? ORDER BY at.position",
    [articleId],
  );
  const others = rows.filter((r) => r.kind !== kind).map((r) => Number(r.id));
  const ordered = kind === TagKind.RUBRIC ? [...tagIds, ...others] : [...others, ...tagIds];
  await replaceArticleList(m, "article_tag", articleId, distinct(ordered), { knownEmpty: false });
}

export async function setArticleRubrics(ds: DataSource, articleId: number, rubricIds: number[]): Promise<void> {
  await ds.transaction(async (m) => {
    await current(m, articleId, "articleId");
    const ids = distinct(rubricIds);
    if (ids.length > 0) {
      const found: { id: unknown }[] = await m.query(`SELECT id FROM tag WHERE kind = ? AND id IN (${placeholders(ids.length)})`, [TagKind.RUBRIC, ...ids]);
      if (found.length !== ids.length) throw badUserInput("rubricIds names a tag that is not a rubric.", "rubricIds");
    }
    await replaceTagsOfKind(m, articleId, TagKind.RUBRIC, ids);
    await m.query("UPDATE article SET updated_at = ? WHERE id = ?", [toDbTime(new Date()), articleId]);
    await articlesChanged(m, { ids: [articleId], days: [], event: WebhookEvent.ARTICLE_UPDATED });
  });
}

/** Hashtags by name, in order; new ones are created. */
export async function setArticleHashtags(ds: DataSource, articleId: number, names: string[]): Promise<void> {
  await ds.transaction(async (m) => {
    await current(m, articleId, "articleId");
    const ids = await tagIdsFor(m, names.map((name) => ({ kind: TagKind.HASHTAG, name: name.trim() })));
    await replaceTagsOfKind(m, articleId, TagKind.HASHTAG, ids);
    await m.query("UPDATE article SET updated_at = ? WHERE id = ?", [toDbTime(new Date()), articleId]);
    await articlesChanged(m, { ids: [articleId], days: [], event: WebhookEvent.ARTICLE_UPDATED });
  });
}

/** The article's "read also" list, in order. */
export async function setRelatedArticles(ds: DataSource, articleId: number, relatedIds: number[]): Promise<void> {
  await ds.transaction(async (m) => {
    await current(m, articleId, "articleId");
    const ids = distinct(relatedIds);
    if (ids.includes(articleId)) throw badUserInput("relatedIds must not name the article itself.", "relatedIds");
    if (ids.length > 0) {
      const found: { id: unknown }[] = await m.query(`SELECT id FROM article WHERE deleted_at IS NULL AND id IN (${placeholders(ids.length)})`, ids);
      if (found.length !== ids.length) throw badUserInput("relatedIds names an article that does not exist.", "relatedIds");
    }
    await replaceArticleList(m, "article_related", articleId, ids, { knownEmpty: false });
    await m.query("UPDATE article SET updated_at = ? WHERE id = ?", [toDbTime(new Date()), articleId]);
    await articlesChanged(m, { ids: [articleId], days: [], event: WebhookEvent.ARTICLE_UPDATED });
  });
}
