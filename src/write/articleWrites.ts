import type { DataSource, EntityManager } from "typeorm";
import { ArticleStatus, PARAGRAPH_SEPARATOR, TagKind } from "../../entities";
import { placeholders } from "../db/dialect";
import { fromDbTime, toDbTime } from "../db/time";
import { badUserInput } from "../graphql/errors";
import { tagIdsFor } from "./ingest/authorAndTags";
import { distinct, replaceArticleList } from "./ingest/orderedRows";
import { insertedId } from "./ingest/rows";
import { SlugAllocator } from "./ingest/slugAllocator";
import { pathOf } from "../text/slug";
import { articleWentLive } from "../live/announce";
import { articlesChanged } from "./derived/articleChanges";
import { foldTitle } from "../text/fold";
import { checkLanguageFreeInGroup } from "./translationWrites";
import { parseRevision, readRevisionRecord, recordRevision } from "../workflow/revisions";
import { statusAt } from "../workflow/schedule";
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

/** The article `id` as it is now; BAD_USER_INPUT naming `argument` when there is none. */
export async function current(m: EntityManager, id: number, argument: string): Promise<Current> {
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

/** What readers saw happen when a write took an article from one status to another (webhooks). */
function eventOf(from: ArticleStatus, to: ArticleStatus): WebhookEvent | undefined {
  if (to === ArticleStatus.PUBLISHED) return from === ArticleStatus.PUBLISHED ? WebhookEvent.ARTICLE_UPDATED : WebhookEvent.ARTICLE_PUBLISHED;
  // Scheduled again: readers lose it until its new time.
  if (to === ArticleStatus.SCHEDULED && from === ArticleStatus.PUBLISHED) return WebhookEvent.ARTICLE_UNPUBLISHED;
  return to === ArticleStatus.SCHEDULED ? undefined : WebhookEvent.ARTICLE_UPDATED;
}

/**
 * Keeps derived data current after a write that may have moved an article
 * from one status to another. An article readers see for the first time is
 * announced through articleWentLive (subscribers and webhook endpoints);
 * every other change through its webhook event.
 */
async function statusChanged(m: EntityManager, id: number, from: ArticleStatus, to: ArticleStatus, days: (Date | null | undefined)[]): Promise<void> {
  const wentLive = to === ArticleStatus.PUBLISHED && from !== ArticleStatus.PUBLISHED;
  await articlesChanged(m, { ids: [id], days, event: wentLive ? undefined : eventOf(from, to) });
  if (wentLive) await articleWentLive(m, [id]);
}

function body(paragraphs: string[] | null | undefined): string | null | undefined {
  if (paragraphs === undefined) return undefined;
  return paragraphs === null || paragraphs.length === 0 ? null : paragraphs.map((p) => p.trim()).join(PARAGRAPH_SEPARATOR);
}

/** A new draft; returns its id. */
export async function createArticle(ds: DataSource, fields: ArticleFields & { title: string }, by: string | null = null): Promise<number> {
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
    await recordRevision(m, id, by, null);
    await articlesChanged(m, { ids: [id], days: [publishedAt] });
    return id;
  });
}

/**
 * Changes the given fields; the path follows the slug and the publication
 * day. A published or scheduled article given a new date is scheduled when
 * the date is ahead and published when it has come (an embargo holds
 * whichever mutation sets the date).
 */
export async function updateArticle(ds: DataSource, id: number, fields: ArticleFields, by: string | null = null): Promise<void> {
  await ds.transaction(async (m) => {
    const old = await current(m, id, "id");
    if (old.status === ArticleStatus.STUB) throw badUserInput("id names a stub; import its page to fill it in.", "id");
    const before = await readRevisionRecord(m, id);
    await checkAuthor(m, fields.authorId);
    const slug = fields.slug ?? old.slug;
    if (slug !== old.slug) await checkSlugFree(m, slug, id);
    const publishedAt = fields.publishedAt === undefined ? old.publishedAt : fields.publishedAt;
    const sets: string[] = ["slug = ?", "path = ?"];
    const params: unknown[] = [slug, await freePath(m, publishedAt ?? old.createdAt, slug, id)];
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
    let status = old.status;
    if (fields.publishedAt !== undefined) {
      set("published_at", publishedAt ? toDbTime(publishedAt) : null);
      const live = old.status === ArticleStatus.PUBLISHED || old.status === ArticleStatus.SCHEDULED;
      if (live && publishedAt) {
        status = statusAt(publishedAt, new Date());
        set("status", status);
      }
    }
    await m.query(`UPDATE article SET ${sets.join(", ")} WHERE id = ?`, [...params, id]);
    await recordRevision(m, id, by, before);
    await statusChanged(m, id, old.status, status, [old.publishedAt, publishedAt]);
  });
}

/**
 * Makes a draft public, dated `at`, its own date, or now. A date still
 * ahead schedules it instead (SCHEDULED): readers see nothing of it until
 * then, when the publication scheduler publishes it. Returns the status.
 */
export async function publishArticle(ds: DataSource, id: number, at: Date | null | undefined, by: string | null = null): Promise<ArticleStatus> {
  return ds.transaction(async (m) => {
    const old = await current(m, id, "id");
    if (old.status === ArticleStatus.STUB) throw badUserInput("id names a stub; import its page to publish it.", "id");
    const before = await readRevisionRecord(m, id);
    const publishedAt = at ?? old.publishedAt ?? new Date();
    const status = statusAt(publishedAt, new Date());
    const path = await freePath(m, publishedAt, old.slug, id);
    await m.query("UPDATE article SET status = ?, published_at = ?, path = ? WHERE id = ?", [status, toDbTime(publishedAt), path, id]);
    await recordRevision(m, id, by, before);
    await statusChanged(m, id, old.status, status, [old.publishedAt, publishedAt]);
    return status;
  });
}

/** Back to draft: readers no longer see it anywhere; its date is kept for when it returns. */
export async function unpublishArticle(ds: DataSource, id: number, by: string | null = null): Promise<void> {
  await ds.transaction(async (m) => {
    const old = await current(m, id, "id");
    if (old.status === ArticleStatus.STUB) throw badUserInput("id names a stub, which is not published.", "id");
    await toDraft(m, old, by);
  });
}

async function toDraft(m: EntityManager, old: Current, by: string | null): Promise<void> {
  const before = await readRevisionRecord(m, old.id);
  await m.query("UPDATE article SET status = ? WHERE id = ?", [ArticleStatus.DRAFT, old.id]);
  await recordRevision(m, old.id, by, before);
  await articlesChanged(m, { ids: [old.id], days: [old.publishedAt], event: wasPublished(old, WebhookEvent.ARTICLE_UNPUBLISHED) });
}

/** A scheduled article back to a draft, keeping its date; refused for any other status. */
export async function unscheduleArticle(ds: DataSource, id: number, by: string | null = null): Promise<void> {
  await ds.transaction(async (m) => {
    const old = await current(m, id, "id");
    if (old.status !== ArticleStatus.SCHEDULED) {
      throw badUserInput(`id names an article that is not scheduled (it is ${old.status}); only a SCHEDULED article can be unscheduled.`, "id");
    }
    await toDraft(m, old, by);
  });
}

/** Soft delete: the row stays (edges, views) but no one sees it again. */
export async function deleteArticle(ds: DataSource, id: number): Promise<void> {
  await ds.transaction(async (m) => {
    const old = await current(m, id, "id");
    const now = toDbTime(new Date());
    await m.query("UPDATE article SET deleted_at = ? WHERE id = ?", [now, id]);
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

export async function setArticleRubrics(ds: DataSource, articleId: number, rubricIds: number[], by: string | null = null): Promise<void> {
  await ds.transaction(async (m) => {
    await current(m, articleId, "articleId");
    const before = await readRevisionRecord(m, articleId);
    const ids = distinct(rubricIds);
    if (ids.length > 0) {
      const found: { id: unknown }[] = await m.query(`SELECT id FROM tag WHERE kind = ? AND id IN (${placeholders(ids.length)})`, [TagKind.RUBRIC, ...ids]);
      if (found.length !== ids.length) throw badUserInput("rubricIds names a tag that is not a rubric.", "rubricIds");
    }
    await replaceTagsOfKind(m, articleId, TagKind.RUBRIC, ids);
    await recordRevision(m, articleId, by, before);
    await articlesChanged(m, { ids: [articleId], days: [], event: WebhookEvent.ARTICLE_UPDATED });
  });
}

/** Hashtags by name, in order; new ones are created. */
export async function setArticleHashtags(ds: DataSource, articleId: number, names: string[], by: string | null = null): Promise<void> {
  await ds.transaction(async (m) => {
    await current(m, articleId, "articleId");
    const before = await readRevisionRecord(m, articleId);
    const ids = await tagIdsFor(m, names.map((name) => ({ kind: TagKind.HASHTAG, name: name.trim() })));
    await replaceTagsOfKind(m, articleId, TagKind.HASHTAG, ids);
    await recordRevision(m, articleId, by, before);
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
    await articlesChanged(m, { ids: [articleId], days: [], event: WebhookEvent.ARTICLE_UPDATED });
  });
}

/**
 * Writes a revision's content back as the article's current content (the
 * workflow fields, status and date, stay as they are); that write is a new
 * revision, so a restore can itself be undone. An author or rubric deleted
 * since is left out. Returns the article's id.
 */
export async function restoreRevision(ds: DataSource, revisionId: number, by: string | null = null): Promise<number> {
  return ds.transaction(async (m) => {
    const [rev] = await m.query("SELECT article_id, content FROM article_revision WHERE id = ?", [revisionId]);
    if (!rev) throw badUserInput("id names no revision.", "id");
    const articleId = Number(rev.article_id);
    const old = await current(m, articleId, "id");
    const before = await readRevisionRecord(m, articleId);
    const content = parseRevision(String(rev.content));
    const [author] = content.authorId === null ? [] : await m.query("SELECT id FROM author WHERE id = ?", [content.authorId]);
    await m.query("UPDATE article SET title = ?, title_key = ?, lead = ?, body = ?, author_id = ?, photo_credit = ?, language = ? WHERE id = ?", [
      content.title,
      foldTitle(content.title),
      content.lead,
      body(content.paragraphs) ?? null,
      author ? content.authorId : null,
      content.photoCredit,
      content.language,
      articleId,
    ]);
    const rubricIds = distinct(content.rubricIds);
    const found: { id: unknown }[] =
      rubricIds.length === 0 ? [] : await m.query(`SELECT id FROM tag WHERE kind = ? AND id IN (${placeholders(rubricIds.length)})`, [TagKind.RUBRIC, ...rubricIds]);
    const existing = new Set(found.map((r) => Number(r.id)));
    const hashtagIds = await tagIdsFor(m, content.hashtags.map((name) => ({ kind: TagKind.HASHTAG, name })));
    await replaceArticleList(m, "article_tag", articleId, distinct([...rubricIds.filter((id) => existing.has(id)), ...hashtagIds]), { knownEmpty: false });
    await recordRevision(m, articleId, by, before);
    await articlesChanged(m, { ids: [articleId], days: [old.publishedAt], event: WebhookEvent.ARTICLE_UPDATED });
    return articleId;
  });
}
