import { ArticleStatus } from "../../../entities";
import { type ArticleLookup, type CompletableStubs, type KnownArticle, type ListedTitle } from "./titleMatch";

// How a page's titles become articles (issue 3):
// - The page's own article is identified by its folded title plus its
//   publication day: re-importing the page finds the same row, a changed
//   page updates it, and two articles that share a title on different days
//   stay two articles.
// - A full title names the article with that folded title; a cut-off title
//   names the one article whose folded title starts with the part before
//   "…". Nothing found: a STUB carrying just the title. Two or more found
//   for a cut-off title: its STUB, and the title is reported, never guessed.
// - When a full title is new to the database, the cut-off stubs it
//   completes unambiguously become that article (the lowest id is filled in
//   place, others are merged into it), so pages give the same graph in any
//   order.

/** An article this page reads, creates or fills; id is null until it is inserted. */
export interface Target {
  id: number | null;
  title: string;
  key: string;
  cutOffStub: boolean;
  /** The row as it was before this page, when there was one. */
  known: KnownArticle | null;
  /** Set when this page gives the article a new title (a filled or completed stub). */
  retitled: boolean;
  /** Stub ids folded into this one. */
  merged: number[];
}

export interface Resolution {
  own: Target;
  ownWas: "existing" | "stub" | "new";
  popular: Target[];
  readAlso: Target[];
  /** Targets with id null: stubs to insert (the page's own article is inserted separately). */
  newStubs: Target[];
  /** Stubs that got their real title (filled by the page or completed by a listed title). */
  stubsFilled: number;
  ambiguousTitles: string[];
}

function fromKnown(a: KnownArticle): Target {
  return { id: a.id, title: a.title, key: a.key, cutOffStub: a.cutOffStub, known: a, retitled: false, merged: [] };
}

function byId(a: { id: number | null }, b: { id: number | null }): number {
  return (a.id ?? Infinity) - (b.id ?? Infinity);
}

/**
 * Reads articles only through `articlesByKey` and `completableStubs`, so a
 * group of pages can resolve against articles held in memory.
 */
export async function resolveTitles(
  { articlesByKey, completableStubs }: { articlesByKey: ArticleLookup; completableStubs: CompletableStubs },
  page: { title: string; key: string; publishedOn: string },
  popular: ListedTitle[],
  readAlso: ListedTitle[],
): Promise<Resolution> {
  const full = [...popular, ...readAlso].filter((t) => !t.cutOff);
  const cut = [...popular, ...readAlso].filter((t) => t.cutOff);
  const rows = await articlesByKey(
    [page.key, ...full.map((t) => t.key), ...cut.map((t) => t.key)],
    cut.map((t) => t.key),
  );
  const world: Target[] = [];
  // Full-title targets by key (cut-off stubs, the only ones taken out of the world, are not here).
  const fullByKey = new Map<string, Target[]>();
  const join = (t: Target) => {
    world.push(t);
    if (t.cutOffStub) return;
    const same = fullByKey.get(t.key);
    if (same) same.push(t);
    else fullByKey.set(t.key, [t]);
  };
  rows.map(fromKnown).forEach(join);
  const ambiguous = new Set<string>();
  let stubsFilled = 0;

  // The page's day in UTC, as times: comparing them costs less than formatting every date.
  const pageDayStart = Date.parse(`${page.publishedOn}T00:00:00.000Z`);
  const pageDayEnd = pageDayStart + 24 * 60 * 60 * 1000;
  const onPageDay = (d: Date) => d.getTime() >= pageDayStart && d.getTime() < pageDayEnd;
  const fullWithKey = (key: string) => [...(fullByKey.get(key) ?? [])].sort(byId);

  // The page's own article.
  let ownWas: Resolution["ownWas"] = "new";
  let own = world
    .filter((t) => t.known && t.known.status !== ArticleStatus.STUB && !t.cutOffStub && t.key === page.key && t.known.publishedAt && onPageDay(t.known.publishedAt))
    .sort(byId)[0];
  if (own) ownWas = "existing";
  else {
    own = world.filter((t) => t.known?.status === ArticleStatus.STUB && !t.cutOffStub && t.key === page.key).sort(byId)[0];
    if (own) {
      ownWas = "stub";
      own.title = page.title;
      own.retitled = true;
      stubsFilled++;
    }
  }
  const ownIsNewKey = !own && fullWithKey(page.key).length === 0;
  if (!own) {
    own = { id: null, title: page.title, key: page.key, cutOffStub: false, known: null, retitled: true, merged: [] };
    join(own);
  }

  // Full titles new to the database, each first as a planned stub.
  const newFull = new Map<string, Target>();
  if (ownIsNewKey) newFull.set(page.key, own);
  for (const t of full) {
    if (newFull.has(t.key) || fullWithKey(t.key).length > 0) continue;
    const stub: Target = { id: null, title: t.title, key: t.key, cutOffStub: false, known: null, retitled: true, merged: [] };
    newFull.set(t.key, stub);
    join(stub);
  }

  // Cut-off stubs those new titles complete.
  if (newFull.size > 0) {
    const stubs = await completableStubs([...newFull.keys()]);
    if (stubs.length > 0) {
      const matching = await articlesByKey([], stubs.map((s) => s.key));
      const completions = new Map<Target, KnownArticle[]>();
      for (const s of stubs) {
        const inDb = matching.filter((a) => !a.cutOffStub && a.key.startsWith(s.key));
        const planned = [...newFull.values()].filter((t) => t.key.startsWith(s.key));
        if (inDb.length + planned.length !== 1) {
          ambiguous.add(s.title);
          continue;
        }
        completions.set(planned[0], [...(completions.get(planned[0]) ?? []), s]);
      }
      for (const [target, found] of completions) {
        found.sort(byId);
        const [keep, ...rest] = found;
        for (const s of found) {
          const i = world.findIndex((w) => w.id === s.id);
          if (i !== -1) world.splice(i, 1);
        }
        // The planned target takes over the oldest stub's row: same id, same edges.
        target.id = keep.id;
        target.known = keep;
        target.merged = rest.map((s) => s.id);
        stubsFilled++;
        if (target === own) ownWas = "stub";
      }
    }
  }

  const resolveFull = (t: ListedTitle): Target => {
    const planned = newFull.get(t.key);
    if (planned) return planned;
    const found = fullWithKey(t.key);
    // Several articles share this title on different days: the page's own, else the latest not after the page.
    if (found.includes(own)) return own;
    const dated = found.filter((f) => f.known?.publishedAt && f.known.publishedAt.getTime() < pageDayEnd);
    dated.sort((a, b) => (b.known?.publishedAt?.getTime() ?? 0) - (a.known?.publishedAt?.getTime() ?? 0) || byId(a, b));
    return dated[0] ?? found[0];
  };

  const cutStubs = new Map<string, Target>();
  const resolveCut = (t: ListedTitle): Target => {
    const candidates = world.filter((w) => !w.cutOffStub && w.key.startsWith(t.key));
    if (candidates.length === 1) return candidates[0];
    if (candidates.length > 1) ambiguous.add(t.title);
    let stub = cutStubs.get(t.key) ?? world.filter((w) => w.cutOffStub && w.key === t.key).sort(byId)[0];
    if (!stub) {
      stub = { id: null, title: t.title, key: t.key, cutOffStub: true, known: null, retitled: true, merged: [] };
      join(stub);
    }
    cutStubs.set(t.key, stub);
    return stub;
  };

  // Full titles first, so that a cut-off title can name an article this same page lists in full.
  const resolve = (list: ListedTitle[]) => list.map((t) => (t.cutOff ? null : resolveFull(t)));
  const popularFull = resolve(popular);
  const readAlsoFull = resolve(readAlso);
  const finish = (list: ListedTitle[], partial: (Target | null)[]) => list.map((t, i) => partial[i] ?? resolveCut(t));
  const popularTargets = finish(popular, popularFull);
  const readAlsoTargets = finish(readAlso, readAlsoFull);

  const newStubs = world.filter((w) => w.id === null && w !== own);
  return { own, ownWas, popular: popularTargets, readAlso: readAlsoTargets, newStubs, stubsFilled, ambiguousTitles: [...ambiguous] };
}
