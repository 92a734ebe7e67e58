import type { EntityManager } from "typeorm";
import { ArticleStatus, PARAGRAPH_SEPARATOR, TagKind } from "../../../entities";
import { sideBySide } from "../../db/sideBySide";
import { fromDbTime, toDbTime } from "../../db/time";
import { pathOf } from "../../text/slug";
import type { ArticleChange } from "../derived/articleChanges";
import { isCutOff } from "../../text/fold";
import { WebhookEvent } from "../../webhooks/events";
import { recordFirstRevisions, type RevisionRecord } from "../../workflow/revisions";
import { ArticleMirror } from "./articleMirror";
import { authorSlug, distinctTags, type TagName } from "./authorAndTags";
import type { ImportCache } from "./importCache";
import { POPULAR_SLUG, type PopularList, popularWins, writePopular } from "./orderedRows";
import type { PageRecord } from "./pageRecord";
import { ownIdentity, pageLists, type PagePlan, retitledStubs, stubPath } from "./pagePlan";
import { resolveTitles } from "./resolveTitles";
import { insertMany, selectIn, updateRows } from "./rows";
import { chooseSlugs, type SlugCandidates, slugCandidates, slugHolders, type SlugRequest } from "./slugAllocator";
import type { KnownArticle } from "./titleMatch";
import type { PageWrite } from "./writePage";

// Several pages written set-wise (issue 11): their titles, authors, tags and
// the popular list are read once for the group, each page is resolved and
// applied in memory in page order, exactly as writePage would write it on
// the database the pages before it left, and the group's rows then go out
// in a few multi-row statements. Pages that update an article, merge stubs
// or link translations are left to writePage (the caller flushes the group
// first, so that writePage finds the database as the pages before it left it).

export interface GroupPage {
  name: string;
  record: PageRecord;
  plan: PagePlan;
}

/**
 * Ids of articles the group inserts, until they are: above every real id
 * and increasing in the order the rows are made, which is the order they are
 * inserted in, so comparing ids (the oldest stub is kept) gives what the
 * database's ids will give.
 */
const PROVISIONAL = 2 ** 50;

interface AuthorState {
  id: number;
  name: string;
  slug: string;
  email: string | null;
  isNew: boolean;
  emailChanged: boolean;
}

interface TagState {
  id: number;
  kind: TagKind;
  name: string;
  slug: string;
  isNew: boolean;
}

/** An article the group inserts or changes; its values are the mirror's, its slug is handed out at the flush. */
interface ArticleWrite {
  isNew: boolean;
  /** A page's article has a dated path, a stub a path of its own. */
  kind: "page" | "stub";
}

/** The candidates are made once per request: the allocation asks what of them it has looked at (SlugCandidates.soFar). */
interface PageSlugRequest extends SlugRequest {
  article: number;
  candidates: SlugCandidates;
}

interface WrittenPage {
  write: PageWrite;
  change: ArticleChange;
  slugRequests: PageSlugRequest[];
  tagIds: number[];
  related: number[];
}

interface PopularState {
  /** The collection as the database holds it now. */
  stored: { id: number; capturedAt: number; ids: number[] } | null;
  current: { capturedAt: number; ids: number[] } | null;
  storedKeys: Map<number, string>;
}

/** A group's questions for the title lookups: own keys and listed titles' keys. */
function questions(pages: readonly GroupPage[]): { fullKeys: string[]; cutKeys: string[] } {
  const fullKeys: string[] = [];
  const cutKeys: string[] = [];
  for (const { plan } of pages) {
    fullKeys.push(plan.key);
    for (const t of [...plan.popular, ...plan.readAlso]) (t.cutOff ? cutKeys : fullKeys).push(t.key);
  }
  return { fullKeys, cutKeys };
}


/**
 * Pages applied in memory, waiting to be written by `flush`. Made by
 * `load` for the pages still to come in a group; `add` takes the next page
 * or says it must be written by writePage.
 */
export class PendingGroup {
  private readonly pages: WrittenPage[] = [];
  private readonly articles = new Map<number, ArticleWrite>();
  private nextArticle = PROVISIONAL;
  private nextOther = -1;

  private constructor(
    private readonly covered: ReadonlySet<GroupPage>,
    private readonly mirror: ArticleMirror,
    private readonly authors: Map<string, AuthorState>,
    private readonly tags: Map<string, TagState>,
    private readonly popular: PopularState,
    private readonly by: string | null,
  ) {}

  /** Reads what `pages` can need: a few statements whatever their number. */
  static async load(m: EntityManager, pages: readonly GroupPage[], by: string | null): Promise<PendingGroup> {
    const authorSlugs = [...new Set(pages.map((p) => authorSlug(p.record.authorName)))];
    const tagSlugs = [...new Set(pages.flatMap((p) => [...distinctTags(p.plan.tags).values()].map((t) => t.slug)))];
    // Reads only, none depending on another: side by side.
    const [mirror, authorRows, tagRows, items] = await sideBySide([
      ArticleMirror.load(m, questions(pages)),
      selectIn<{ id: unknown; name: string; slug: string; email: string | null }>(m, (marks) => `SELECT id, name, slug, email FROM author WHERE slug IN (${marks})`, authorSlugs),
      selectIn<{ id: unknown; kind: TagKind; name: string; slug: string }>(m, (marks) => `SELECT id, kind, name, slug FROM tag WHERE slug IN (${marks})`, tagSlugs),
      m.query(
        `SELECT c.id, c.captured_at, ci.article_id, a.title_key FROM collection c
           LEFT JOIN collection_item ci ON ci.collection_id = c.id LEFT JOIN article a ON a.id = ci.article_id
          WHERE c.slug = ? ORDER BY ci.position`,
        [POPULAR_SLUG],
      ) as Promise<Record<string, unknown>[]>,
    ]);
    const authors = new Map(authorRows.map((a) => [a.slug, { id: Number(a.id), name: a.name, slug: a.slug, email: a.email, isNew: false, emailChanged: false }]));
    const tags = new Map(tagRows.map((t) => [`${t.kind}:${t.slug}`, { id: Number(t.id), kind: t.kind, name: t.name, slug: t.slug, isNew: false }]));
    const listed = items.filter((r) => r.article_id !== null && r.title_key !== null);
    const stored =
      items.length === 0
        ? null
        : { id: Number(items[0].id), capturedAt: fromDbTime(items[0].captured_at)?.getTime() ?? -Infinity, ids: listed.map((r) => Number(r.article_id)) };
    const popular: PopularState = {
      stored,
      current: stored && { capturedAt: stored.capturedAt, ids: stored.ids },
      storedKeys: new Map(listed.map((r) => [Number(r.article_id), String(r.title_key)])),
    };
    return new PendingGroup(new Set(pages), mirror, authors, tags, popular, by);
  }

  /** The group was read for this page: add may be asked about it. */
  covers(page: GroupPage): boolean {
    return this.covered.has(page);
  }

  /**
   * Whether the page is for writePage, as far as the group's articles tell
   * (they may be stale once the group is written: an article they show is
   * still there, as imports delete only stubs): it names translations, or
   * its own article is already there.
   */
  leavesToWritePage(page: GroupPage): boolean {
    const { record, plan } = page;
    if ((record.translations ?? []).length > 0) return true;
    const day = Date.parse(`${record.publishedOn}T00:00:00.000Z`);
    return this.mirror
      .find([plan.key], [])
      .some((a) => a.status !== ArticleStatus.STUB && !a.cutOffStub && a.publishedAt !== null && a.publishedAt.getTime() >= day && a.publishedAt.getTime() < day + 86_400_000);
  }

  /**
   * Resolves the page's titles against the group and applies it in memory.
   * False, with nothing applied, when the page is for writePage: it updates
   * an article already there, merges duplicate stubs or names translations.
   */
  async add(page: GroupPage): Promise<boolean> {
    const { record, plan } = page;
    if ((record.translations ?? []).length > 0) return false;
    const r = await resolveTitles(this.mirror, { title: record.title, key: plan.key, publishedOn: record.publishedOn }, plan.popular, plan.readAlso);
    const retitled = retitledStubs(r);
    if (r.ownWas === "existing" || r.own.merged.length > 0 || retitled.some((t) => t.merged.length > 0)) return false;

    const authorId = this.authorId(record.authorName, record.authorEmail);
    const tagIds = [...distinctTags(plan.tags)].map(([k, t]) => this.tagId(k, t));
    const own = r.own;
    const ownOwner = own.id;
    const written: number[] = [];

    for (const t of r.newStubs) {
      t.id = this.nextArticle++;
      this.put({ ...this.blank(t.id), title: t.title, key: t.key, cutOffStub: isCutOff(t.title) }, "stub");
      written.push(t.id);
    }
    for (const t of retitled) {
      const id = t.id as number;
      const known = this.mirror.get(id) as KnownArticle;
      this.put({ ...known, title: t.title, key: t.key, cutOffStub: known.status === ArticleStatus.STUB && isCutOff(t.title) }, "stub");
      written.push(id);
    }
    if (own.id === null) own.id = this.nextArticle++;
    const ownId = own.id;
    this.put(
      {
        ...(this.mirror.get(ownId) ?? this.blank(ownId)),
        title: record.title,
        key: plan.key,
        status: ArticleStatus.PUBLISHED,
        publishedAt: plan.publishedAt,
        cutOffStub: false,
        views: Math.max(own.known?.views ?? 0, record.views),
        lead: plan.lead,
        body: plan.body,
        photoCredit: record.photoCredit,
        authorId,
        language: plan.language,
      },
      "page",
    );
    written.push(ownId);

    const lists = pageLists(r, ownId);
    const capturedAt = plan.publishedAt.getTime();
    const current = this.popular.current;
    const currentList: PopularList | null = current && { ...current, keys: () => current.ids.map((id) => this.mirror.get(id)?.key ?? this.popular.storedKeys.get(id) ?? "") };
    if (await popularWins(currentList, capturedAt, lists.popular, lists.popularKeys)) this.popular.current = { capturedAt, ids: lists.popular };

    this.pages.push({
      write: { status: "imported", articleId: ownId, stubsCreated: r.newStubs.length, stubsFilled: r.stubsFilled, ambiguousTitles: r.ambiguousTitles },
      change: { ids: written, days: [own.known?.publishedAt ?? null, plan.publishedAt], event: WebhookEvent.PAGES_IMPORTED },
      // In writePage's order: the page's article, its new stubs, the stubs it retitles.
      slugRequests: [
        { title: record.title, identity: ownIdentity(plan, record), owner: ownOwner, article: ownId },
        ...r.newStubs.map((t) => ({ title: t.title, identity: t.key, owner: null, article: t.id as number })),
        ...retitled.map((t) => ({ title: t.title, identity: t.key, owner: t.id, article: t.id as number })),
      ].map((w) => ({ ...w, candidates: slugCandidates(w.title, w.identity) })),
      tagIds,
      related: lists.related,
    });
    return true;
  }

  private blank(id: number): KnownArticle {
    return {
      id,
      title: "",
      key: "",
      status: ArticleStatus.STUB,
      publishedAt: null,
      cutOffStub: false,
      views: 0,
      lead: null,
      body: null,
      photoCredit: null,
      authorId: null,
      slug: "",
      path: "",
      language: "ru",
    };
  }

  private put(a: KnownArticle, kind: ArticleWrite["kind"]): void {
    this.mirror.put(a);
    this.articles.set(a.id, { isNew: a.id >= PROVISIONAL, kind });
  }

  /** As authorIdFor: found by the slug of the name; the first e-mail given is kept, a later page only fills a missing one. */
  private authorId(name: string, email: string | null): number {
    const slug = authorSlug(name);
    const a = this.authors.get(slug);
    if (!a) {
      const created = { id: this.nextOther--, name, slug, email, isNew: true, emailChanged: false };
      this.authors.set(slug, created);
      return created.id;
    }
    if (email !== null && (a.email === null || a.email === "")) {
      a.email = email;
      if (!a.isNew) a.emailChanged = true;
    }
    return a.id;
  }

  private tagId(key: string, t: TagName & { slug: string }): number {
    let tag = this.tags.get(key);
    if (!tag) {
      tag = { id: this.nextOther--, kind: t.kind, name: t.name, slug: t.slug, isNew: true };
      this.tags.set(key, tag);
    }
    return tag.id;
  }

  /**
   * Writes every page added, in a few statements per table, and tells the
   * import cache about the authors and tags. Returns each page's result and
   * change with the ids the database gave, and `linked`, which writes the
   * rows that hang off the articles (tags, read-also edges, first
   * revisions): the caller sends those when it chooses (an import reads for
   * its next group first, see importPages.ts), and before anything else that
   * reads them.
   */
  async flush(m: EntityManager, cache: ImportCache): Promise<{ written: { write: PageWrite; change: ArticleChange }[]; linked: () => Promise<void> }> {
    if (this.pages.length === 0) return { written: [], linked: async () => undefined };
    const at = new Date();
    const slugOf = await this.allocateSlugs(m);
    const ids = new Map<number, number>();
    const real = (id: number): number => (id >= PROVISIONAL || id < 0 ? (ids.get(id) as number) : id);

    // Authors and tags first: articles and their tag rows name them.
    const newAuthors = [...this.authors.values()].filter((a) => a.isNew);
    if (newAuthors.length > 0) {
      await insertMany(m, "author", ["name", "slug", "email"], newAuthors.map((a) => [a.name, a.slug, a.email]));
      const found = await selectIn<{ id: unknown; slug: string }>(m, (marks) => `SELECT id, slug FROM author WHERE slug IN (${marks})`, newAuthors.map((a) => a.slug));
      const bySlug = new Map(found.map((f) => [f.slug, Number(f.id)]));
      for (const a of newAuthors) ids.set(a.id, this.found(bySlug.get(a.slug), `the author ${a.slug}`));
    }
    for (const a of this.authors.values()) if (a.emailChanged) await m.query("UPDATE author SET email = ? WHERE id = ?", [a.email, a.id]);
    const newTags = [...this.tags.values()].filter((t) => t.isNew);
    if (newTags.length > 0) {
      await insertMany(m, "tag", ["kind", "name", "slug"], newTags.map((t) => [t.kind, t.name, t.slug]));
      const found = await selectIn<{ id: unknown; kind: string; slug: string }>(m, (marks) => `SELECT id, kind, slug FROM tag WHERE slug IN (${marks})`, newTags.map((t) => t.slug));
      const byKey = new Map(found.map((f) => [`${f.kind}:${f.slug}`, Number(f.id)]));
      for (const t of newTags) ids.set(t.id, this.found(byKey.get(`${t.kind}:${t.slug}`), `the tag ${t.kind}:${t.slug}`));
    }

    // Articles: changed rows first (a stub's old slug is free once it is renamed), then new ones in the order they were made.
    const now = toDbTime(at);
    const values = (id: number, w: ArticleWrite): unknown[] => {
      const a = this.mirror.get(id) as KnownArticle;
      const slug = slugOf.get(id) as string;
      const path = w.kind === "page" && a.publishedAt ? pathOf(a.publishedAt, slug) : stubPath(slug);
      const publishedAt = a.publishedAt ? toDbTime(a.publishedAt) : null;
      const authorId = a.authorId === null ? null : real(a.authorId);
      return [slug, path, a.title, a.key, a.lead, a.body, publishedAt, a.status, a.views, a.photoCredit, authorId, a.language, now];
    };
    const columns = ["slug", "path", "title", "title_key", "lead", "body", "published_at", "status", "views", "photo_credit", "author_id", "language", "updated_at"];
    const changed = [...this.articles].filter(([, w]) => !w.isNew);
    await updateRows(m, "article", columns, changed.filter(([, w]) => w.kind === "page").map(([id, w]) => [id, ...values(id, w)]));
    // A stub given its real title: only what writePage changes (the mirror does not hold its text).
    const retitle = ["slug", "path", "title", "title_key", "updated_at"];
    const retitled = (id: number, w: ArticleWrite) => {
      const v = values(id, w);
      return [id, ...retitle.map((c) => v[columns.indexOf(c)])];
    };
    await updateRows(m, "article", retitle, changed.filter(([, w]) => w.kind === "stub").map(([id, w]) => retitled(id, w)));
    const added = [...this.articles].filter(([, w]) => w.isNew).sort(([a], [b]) => a - b);
    if (added.length > 0) {
      await insertMany(m, "article", [...columns, "created_at"], added.map(([id, w]) => [...values(id, w), now]));
      const found = await selectIn<{ id: unknown; slug: string }>(m, (marks) => `SELECT id, slug FROM article WHERE slug IN (${marks})`, added.map(([id]) => slugOf.get(id)));
      const bySlug = new Map(found.map((f) => [f.slug, Number(f.id)]));
      for (const [id] of added) ids.set(id, this.found(bySlug.get(slugOf.get(id) as string), `the article ${slugOf.get(id)}`));
    }

    // A page's article is new or a filled stub, so it has no tag rows or read-also edges to compare with.
    const listRows = (list: (p: WrittenPage) => number[]) => this.pages.flatMap((p) => list(p).map((id, i) => [real(p.write.articleId), real(id), i]));
    // Its tag rows carry its listing state from the start (published, not deleted: listed), as refreshTagListing would set it.
    const listing = (p: WrittenPage) => {
      const a = this.mirror.get(p.write.articleId) as KnownArticle;
      return [a.publishedAt ? toDbTime(a.publishedAt) : null, a.views];
    };
    const tagRows = this.pages.flatMap((p) => p.tagIds.map((id, i) => [real(p.write.articleId), real(id), i, ...listing(p)]));
    const { stored, current } = this.popular;
    const tagById = new Map([...this.tags.values()].map((t) => [t.id, t]));
    if (current && (!stored || stored.capturedAt !== current.capturedAt || stored.ids.map(real).join() !== current.ids.map(real).join())) {
      await writePopular(m, stored && { id: stored.id, capturedAt: stored.capturedAt }, new Date(current.capturedAt), current.ids.map(real));
    }
    // What hangs off the article rows, side by side; none of it is read by PendingGroup.load.
    const linked = () =>
      sideBySide([
        insertMany(m, "article_tag", ["article_id", "tag_id", "position", "listed_at", "listed_views"], tagRows),
        insertMany(m, "article_related", ["article_id", "related_id", "position"], listRows((p) => p.related)),
        recordFirstRevisions(
          m,
          this.pages.map((p) => ({ id: real(p.write.articleId), keyName: this.by, record: this.revision(p, slugOf, tagById, real) })),
          at,
        ),
      ]).then(() => undefined);

    for (const a of this.authors.values()) if (a.email !== null && a.email !== "") cache.set(`author:${a.slug}`, real(a.id));
    for (const [k, t] of this.tags) cache.set(`tag:${k}`, real(t.id));
    cache.pageDone();
    // The text of what the group wrote whole (new rows, filled stubs), for the search index.
    const texts = (ids: readonly number[]) =>
      new Map(
        ids
          .filter((id) => this.articles.get(id)?.isNew || this.articles.get(id)?.kind === "page")
          .map((id) => {
            const a = this.mirror.get(id) as KnownArticle;
            return [real(id), { title: a.title, lead: a.lead, body: a.body, language: a.language }];
          }),
      );
    return {
      written: this.pages.map((p) => ({
        write: { ...p.write, articleId: real(p.write.articleId) },
        change: { ...p.change, ids: p.change.ids.map(real), texts: texts(p.change.ids), tagListingWritten: new Set([real(p.write.articleId)]) },
      })),
      linked,
    };
  }

  private found(id: number | undefined, what: string): number {
    if (id === undefined) throw new Error(`${what} was inserted but cannot be found.`);
    return id;
  }

  /** What recordRevision would keep for the page's article right after the page. */
  private revision(p: WrittenPage, slugOf: Map<number, string>, tagById: Map<number, TagState>, real: (id: number) => number): RevisionRecord {
    const a = this.mirror.get(p.write.articleId) as KnownArticle;
    const tags = p.tagIds.map((id) => tagById.get(id) as TagState);
    return {
      title: a.title,
      lead: a.lead,
      paragraphs: a.body ? a.body.split(PARAGRAPH_SEPARATOR) : [],
      authorId: a.authorId === null ? null : real(a.authorId),
      photoCredit: a.photoCredit,
      language: a.language,
      rubricIds: tags.filter((t) => t.kind === TagKind.RUBRIC).map((t) => real(t.id)),
      hashtags: tags.filter((t) => t.kind === TagKind.HASHTAG).map((t) => t.name),
      status: a.status,
      slug: slugOf.get(p.write.articleId) as string,
      publishedAt: a.publishedAt ? a.publishedAt.toISOString() : null,
    };
  }

  /**
   * Every page's slugs, page after page as SlugAllocator would hand them out
   * on the database the pages before it left (a renamed stub's old slug is
   * free for the pages after it). Most titles get their first choice, so
   * only those are read first; the other choices of a title are read when
   * the allocation comes to them, and it starts again.
   */
  private async allocateSlugs(m: EntityManager): Promise<Map<number, string>> {
    const requests = this.pages.flatMap((p) => p.slugRequests);
    const asked = new Set<string>();
    const held = new Map<string, number>();
    const ask = async (slugs: string[]) => {
      const fresh = [...new Set(slugs)].filter((s) => !asked.has(s));
      for (const [slug, id] of await slugHolders(m, fresh)) held.set(slug, id);
      for (const slug of fresh) asked.add(slug);
    };
    await ask(requests.map((w) => w.candidates.first));
    // A first choice already held, or wanted by another title of the group, sends its title down its list: all of it is read at once.
    const wanting = new Map<string, number>();
    for (const { candidates } of requests) wanting.set(candidates.first, (wanting.get(candidates.first) ?? 0) + 1);
    const contested = (w: PageSlugRequest) => {
      const { first } = w.candidates;
      return (held.has(first) && held.get(first) !== w.owner) || (wanting.get(first) ?? 0) > 1;
    };
    await ask(requests.filter(contested).flatMap((w) => w.candidates.all));
    for (;;) {
      const unasked = new Set<string>();
      let slugOf: Map<number, string> | null = null;
      try {
        slugOf = this.allocateWith((s) => {
          if (asked.has(s)) return held.get(s);
          unasked.add(s);
          return -1;
        });
      } catch (e) {
        // "No free slug" counts only once every choice has been read.
        if (unasked.size === 0) throw e;
      }
      if (slugOf && unasked.size === 0) return slugOf;
      await ask(requests.filter((w) => w.candidates.soFar.some((c) => unasked.has(c))).flatMap((w) => w.candidates.all));
    }
  }

  private allocateWith(heldBy: (slug: string) => number | undefined): Map<number, string> {
    const inGroup = new Map<string, number | null>();
    const slugOf = new Map<number, string>();
    const holderOf = (s: string) => (inGroup.has(s) ? (inGroup.get(s) ?? undefined) : heldBy(s));
    for (const p of this.pages) {
      const slugs = chooseSlugs(p.slugRequests, holderOf);
      p.slugRequests.forEach((w, i) => {
        // The slug it held until now (the database's, or one handed out above) is free for the pages after it.
        const old = slugOf.get(w.article) ?? this.mirror.get(w.article)?.slug ?? "";
        if (old !== "" && old !== slugs[i]) inGroup.set(old, null);
        inGroup.set(slugs[i], w.article);
        slugOf.set(w.article, slugs[i]);
      });
    }
    return slugOf;
  }
}
