import { PARAGRAPH_SEPARATOR, TagKind } from "../../../entities";
import { foldTitle } from "../../text/fold";
import type { TagName } from "./authorAndTags";
import { checkRecord } from "./checkRecord";
import { distinct } from "./orderedRows";
import { PageParseError } from "./parsePage";
import type { PageRecord } from "./pageRecord";
import type { Resolution, Target } from "./resolveTitles";
import { listedTitle, type ListedTitle } from "./titleMatch";

// What a page will write, worked out from the page alone or from its
// resolved titles: shared by the page-at-a-time writer (writePage.ts) and the
// group writer (pageGroup.ts), so the two cannot write different rows.

/** A page checked and read for writing; everything here is known before the database is asked anything. */
export interface PagePlan {
  key: string;
  publishedAt: Date;
  lead: string | null;
  body: string | null;
  language: string;
  popular: ListedTitle[];
  readAlso: ListedTitle[];
  tags: TagName[];
}

/**
 * Listed titles repeat from page to page (a site's popular list changes
 * slowly), so their keys are remembered for the next pages.
 */
const seenTitles = new Map<string, ListedTitle | null>();
const SEEN_TITLES = 50_000;

function listed(titles: string[]): ListedTitle[] {
  return titles
    .map((title) => {
      let t = seenTitles.get(title);
      if (t === undefined) {
        if (seenTitles.size >= SEEN_TITLES) seenTitles.clear();
        t = listedTitle(title);
        seenTitles.set(title, t);
      }
      return t;
    })
    .filter((t): t is ListedTitle => t !== null);
}

/** Refuses what the tables cannot hold (PageParseError) before anything is written. */
export function planPage(page: PageRecord, file: string, source?: string | Uint8Array): PagePlan {
  checkRecord(page, file, source);
  const key = foldTitle(page.title);
  if (key === "") throw new PageParseError(file, 1, "expected a title with letters or digits, got only quotes and dots");
  return {
    key,
    publishedAt: new Date(`${page.publishedOn}T00:00:00.000Z`),
    lead: page.lead === "" ? null : page.lead,
    body: page.paragraphs.length > 0 ? page.paragraphs.join(PARAGRAPH_SEPARATOR) : null,
    language: page.language ?? "ru",
    popular: listed(page.popular),
    readAlso: listed(page.readAlso),
    tags: [...page.rubrics.map((name) => ({ kind: TagKind.RUBRIC, name })), ...page.hashtags.map((name) => ({ kind: TagKind.HASHTAG, name }))],
  };
}

/** Stubs have no page yet, so no date for a path; they get one of their own, replaced when they are filled. */
export function stubPath(slug: string): string {
  return `/stub/${slug}`;
}

/** The page's article's identity for its slug: two articles may share a title on different days. */
export function ownIdentity(plan: PagePlan, page: PageRecord): string {
  return `${plan.key}|${page.publishedOn}`;
}

/** Stubs (other than the page's own article) that this page gives their real title. */
export function retitledStubs(r: Resolution): Target[] {
  return [...r.popular, ...r.readAlso].filter((t, i, all) => t !== r.own && t.id !== null && t.retitled && all.indexOf(t) === i);
}

/** The page's read-also edges and popular list by article id, once every target has one. */
export function pageLists(r: Resolution, ownId: number): { related: number[]; popular: number[]; popularKeys: string[] } {
  const ids = (targets: Target[]) => targets.map((t) => t.id as number);
  const related = distinct(ids(r.readAlso)).filter((id) => id !== ownId);
  const popular = distinct(ids(r.popular));
  const popularKeys = popular.map((id) => r.popular.find((t) => t.id === id)!.key);
  return { related, popular, popularKeys };
}
