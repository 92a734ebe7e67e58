import type { EntityManager } from "typeorm";
import { ArticleStatus } from "../../../entities";
import { placeholders } from "../../db/dialect";
import { toDbTime } from "../../db/time";
import { pathOf } from "../../text/slug";
import { type ArticleChange, articlesChanged } from "../derived/articleChanges";
import { readRevisionRecord, recordRevision } from "../../workflow/revisions";
import { WebhookEvent } from "../../webhooks/events";
import { authorIdFor, tagIdsFor } from "./authorAndTags";
import { ImportCache } from "./importCache";
import { mergeStubs, replaceArticleList, storePopular } from "./orderedRows";
import type { PageRecord } from "./pageRecord";
import { ownIdentity, pageLists, planPage, retitledStubs, stubPath } from "./pagePlan";
import { resolveTitles } from "./resolveTitles";
import { insertedId, insertMany } from "./rows";
import { SlugAllocator } from "./slugAllocator";
import { linkNamedTranslations } from "./translations";
import { type ArticleLookup, articlesByKey, completableStubsOf } from "./titleMatch";

export interface PageWrite {
  /** imported: the page's article is new or a stub was filled; updated: something changed; unchanged: nothing was written. */
  status: "imported" | "updated" | "unchanged";
  articleId: number;
  stubsCreated: number;
  stubsFilled: number;
  /** Cut-off titles that matched more than one article and were left on a stub. */
  ambiguousTitles: string[];
}

/**
 * Writes one parsed page through `m`, which must be inside a transaction:
 * author, tags, the article, its ordered tags and read-also edges, the
 * popular list and the stubs its titles need, then articlesChanged. Writes
 * only what differs, so importing the same page again writes nothing.
 */
export async function writePage(
  m: EntityManager,
  page: PageRecord,
  file: string,
  opts: {
    source?: string | Uint8Array;
    cache?: ImportCache;
    /** Name of the API key importing, for the revision. */
    by?: string | null;
    /**
     * Set when several pages share a transaction: the page's article change
     * is handed here instead of being applied, and the caller calls
     * articlesChanged once for all of them before the transaction commits.
     */
    deferChange?: (change: ArticleChange) => void;
  } = {},
): Promise<PageWrite> {
  const cache = opts.cache ?? new ImportCache();
  const plan = planPage(page, file, opts.source);
  const { key, publishedAt, lead, body, language } = plan;
  const now = toDbTime(new Date());

  const lookup: ArticleLookup = (keys, prefixes, o) => articlesByKey(m, keys, prefixes, o);
  const r = await resolveTitles(
    { articlesByKey: lookup, completableStubs: completableStubsOf(lookup) },
    { title: page.title, key, publishedOn: page.publishedOn },
    plan.popular,
    plan.readAlso,
  );
  // An article imported before keeps its state as a revision, so re-importing a changed page can be undone.
  const before = r.ownWas === "existing" && r.own.id !== null ? await readRevisionRecord(m, r.own.id) : null;
  const authorId = await authorIdFor(m, page.authorName, page.authorEmail, cache);
  const tagIds = await tagIdsFor(m, plan.tags, cache);

  // Slugs for every row that gets a new title: the page's article (unless it was already this page's) and stubs.
  const own = r.own;
  const retitled = retitledStubs(r);
  const slugs = new SlugAllocator();
  const ownSlug = r.ownWas === "existing" ? -1 : slugs.request(page.title, ownIdentity(plan, page), own.id);
  const stubSlugs = r.newStubs.map((t) => slugs.request(t.title, t.key));
  const retitledSlugs = retitled.map((t) => slugs.request(t.title, t.key, t.id));
  const allocated = await slugs.allocate(m);

  const written = new Set<number>();
  let changed = false;

  if (r.newStubs.length > 0) {
    const rows = r.newStubs.map((t, i) => {
      const slug = allocated[stubSlugs[i]];
      return [slug, stubPath(slug), t.title, t.key, ArticleStatus.STUB, now, now];
    });
    const columns = ["slug", "path", "title", "title_key", "status", "created_at", "updated_at"];
    let bySlug: Map<string, number>;
    if (rows.length === 1) {
      bySlug = new Map([[rows[0][0], insertedId(await m.query(`INSERT INTO article (${columns.join(", ")}) VALUES (${placeholders(columns.length)})`, rows[0]))]]);
    } else {
      // Ids of a multi-row insert are only consecutive under some auto-increment lock modes, so they are read back by slug.
      await insertMany(m, "article", columns, rows);
      const found: { id: unknown; slug: string }[] = await m.query(`SELECT id, slug FROM article WHERE slug IN (${placeholders(rows.length)})`, rows.map((row) => row[0]));
      bySlug = new Map(found.map((x) => [x.slug, Number(x.id)]));
    }
    r.newStubs.forEach((t, i) => {
      t.id = bySlug.get(allocated[stubSlugs[i]]) ?? null;
      if (t.id === null) throw new Error(`The stub "${t.title}" was inserted but cannot be found.`);
      written.add(t.id);
    });
    changed = true;
  }

  for (const [i, t] of retitled.entries()) {
    const slug = allocated[retitledSlugs[i]];
    await m.query("UPDATE article SET title = ?, title_key = ?, slug = ?, path = ?, updated_at = ? WHERE id = ?", [t.title, t.key, slug, stubPath(slug), now, t.id]);
    await mergeStubs(m, t.id as number, t.merged);
    t.merged.forEach((id) => written.add(id));
    written.add(t.id as number);
    changed = true;
  }

  const oldPublishedAt = own.known?.publishedAt ?? null;
  if (r.ownWas === "existing") {
    const k = own.known!;
    const views = Math.max(k.views, page.views);
    // An article the editors scheduled stays under its embargo when its page comes again.
    const status = k.status === ArticleStatus.SCHEDULED ? ArticleStatus.SCHEDULED : ArticleStatus.PUBLISHED;
    const same =
      k.title === page.title && k.lead === lead && k.body === body && k.photoCredit === page.photoCredit && k.authorId === authorId && k.views === views && k.status === status && k.language === language;
    if (!same) {
      await m.query(
        "UPDATE article SET title = ?, lead = ?, body = ?, photo_credit = ?, author_id = ?, views = ?, status = ?, language = ? WHERE id = ?",
        [page.title, lead, body, page.photoCredit, authorId, views, status, language, own.id],
      );
      changed = true;
      written.add(own.id as number);
    }
  } else {
    const slug = allocated[ownSlug];
    const values = [slug, pathOf(publishedAt, slug), page.title, key, lead, body, toDbTime(publishedAt), ArticleStatus.PUBLISHED, Math.max(own.known?.views ?? 0, page.views), page.photoCredit, authorId, language];
    if (own.id === null) {
      own.id = insertedId(
        await m.query(
          "INSERT INTO article (slug, path, title, title_key, lead, body, published_at, status, views, photo_credit, author_id, language, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          [...values, now, now],
        ),
      );
    } else {
      await m.query(
        "UPDATE article SET slug = ?, path = ?, title = ?, title_key = ?, lead = ?, body = ?, published_at = ?, status = ?, views = ?, photo_credit = ?, author_id = ?, language = ?, updated_at = ? WHERE id = ?",
        [...values, now, own.id],
      );
      await mergeStubs(m, own.id, own.merged);
      own.merged.forEach((id) => written.add(id));
    }
    written.add(own.id);
    changed = true;
  }
  const ownId = own.id as number;

  // A stub never has tags or read-also edges of its own, so a new or filled article has nothing to compare with.
  const fresh = r.ownWas !== "existing";
  const lists = pageLists(r, ownId);
  if (await replaceArticleList(m, "article_tag", ownId, tagIds, { knownEmpty: fresh })) changed = true;
  if (await replaceArticleList(m, "article_related", ownId, lists.related, { knownEmpty: fresh })) changed = true;
  if (await storePopular(m, publishedAt, lists.popular, lists.popularKeys)) changed = true;

  if (changed) {
    written.add(ownId);
    await recordRevision(m, ownId, opts.by ?? null, before);
  }
  // One PAGES_IMPORTED per page that changed something, for its own article (stubs are not announced).
  if (written.size > 0) {
    const change = { ids: [...written], days: [oldPublishedAt, publishedAt], event: WebhookEvent.PAGES_IMPORTED };
    if (opts.deferChange) opts.deferChange(change);
    else await articlesChanged(m, change);
  }
  if (await linkNamedTranslations(m, ownId, page.translations ?? [], file)) changed = true;
  return {
    status: r.ownWas === "existing" ? (changed ? "updated" : "unchanged") : "imported",
    articleId: ownId,
    stubsCreated: r.newStubs.length,
    stubsFilled: r.stubsFilled,
    ambiguousTitles: r.ambiguousTitles,
  };
}
