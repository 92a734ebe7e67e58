import type { EntityManager } from "typeorm";
import { sideBySide } from "../../db/sideBySide";
import { articlesByKey, type ArticleLookup, type CompletableStubs, completableStubQuery, type KnownArticle } from "./titleMatch";

/** Keys and prefixes per statement when a group's titles are read at once (well inside SQLite's variable limit). */
const KEYS_PER_STATEMENT = 5000;
const PREFIXES_PER_STATEMENT = 64;

/**
 * articlesByKey over many keys and prefixes, thousands per statement,
 * without the articles' text: the group compares no content (a page that
 * updates an article goes to writePage, which reads its own).
 */
async function articlesByKeyChunked(m: EntityManager, keys: Iterable<string>, prefixes: Iterable<string>, o: { cutOffStubsOnly?: boolean } = {}): Promise<KnownArticle[]> {
  const opts = { ...o, withoutContent: true };
  const exact = [...new Set(keys)];
  const starts = [...new Set(prefixes)];
  const reads: Promise<KnownArticle[]>[] = [];
  for (let i = 0; i < exact.length; i += KEYS_PER_STATEMENT) reads.push(articlesByKey(m, exact.slice(i, i + KEYS_PER_STATEMENT), [], opts));
  for (let i = 0; i < starts.length; i += PREFIXES_PER_STATEMENT) reads.push(articlesByKey(m, [], starts.slice(i, i + PREFIXES_PER_STATEMENT), opts));
  return (await sideBySide(reads)).flat();
}

/** What a group's pages will ask about titles: their own keys and their listed titles' keys. */
export interface TitleQuestions {
  /** Full titles' keys: each page's own and those of its listed full titles. */
  fullKeys: string[];
  /** Keys (prefixes) of the listed cut-off titles. */
  cutKeys: string[];
}

function lowerBound(sorted: readonly string[], x: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The articles a group of pages can ask about, read with a few statements
 * before the group is written and then kept in memory as the group changes
 * them, so that each page's titles are resolved without a round trip.
 * `lookup` answers what articlesByKey would answer from the database at
 * that point of the group (every article that can match one of the group's
 * questions was read, and every article the group writes is put back here),
 * except the articles' text, which is not read (lead and body are null).
 */
export class ArticleMirror {
  private readonly byId = new Map<number, KnownArticle>();
  /** Every article by key, and the cut-off stubs alone (a new title is checked against those sharing its head). */
  private readonly all = new KeyIndex();
  private readonly cutOffStubs = new KeyIndex();

  /**
   * Reads what the questions can reach: (1) articles with those keys or
   * starting with the cut-off prefixes; (2) cut-off stubs the full titles may
   * complete; (3) the articles those stubs' prefixes match.
   */
  static async load(m: EntityManager, q: TitleQuestions): Promise<ArticleMirror> {
    const mirror = new ArticleMirror();
    const completable = completableStubQuery(new Set(q.fullKeys));
    const [asked, stubs] = await sideBySide([
      articlesByKeyChunked(m, [...q.fullKeys, ...q.cutKeys], q.cutKeys),
      articlesByKeyChunked(m, completable.keys, completable.prefixes, { cutOffStubsOnly: true }),
    ]);
    for (const a of asked) mirror.put(a);
    for (const s of stubs) mirror.put(s);
    const cutStubs = stubs.map((s) => s.key);
    for (const a of await articlesByKeyChunked(m, [], cutStubs)) mirror.put(a);
    return mirror;
  }

  get(id: number): KnownArticle | undefined {
    return this.byId.get(id);
  }

  /** Adds or replaces an article (a row is never changed in place: resolutions may hold the old one). */
  put(a: KnownArticle): void {
    const old = this.byId.get(a.id);
    if (old) {
      this.all.remove(old.key, old.id);
      this.cutOffStubs.remove(old.key, old.id);
    }
    this.byId.set(a.id, a);
    this.all.add(a.key, a.id);
    if (a.cutOffStub) this.cutOffStubs.add(a.key, a.id);
  }

  readonly articlesByKey: ArticleLookup = async (keys, prefixes, opts = {}) => this.find(keys, prefixes, opts);

  /**
   * What completableStubsOf(articlesByKey) answers, without asking for
   * every prefix of every key: the cut-off stubs' keys are walked along
   * each key (KeyIndex.prefixesOf).
   */
  readonly completableStubs: CompletableStubs = async (keys) => this.byIds(this.cutOffStubs.prefixesOf(keys));

  /** What articlesByKey answers, at once. */
  find(keys: Iterable<string>, prefixes: Iterable<string>, opts: { cutOffStubsOnly?: boolean } = {}): KnownArticle[] {
    return this.byIds((opts.cutOffStubsOnly ? this.cutOffStubs : this.all).find(keys, prefixes));
  }

  private byIds(ids: Set<number>): KnownArticle[] {
    return [...ids].sort((a, b) => a - b).map((id) => this.byId.get(id) as KnownArticle);
  }
}

/** In sorted[lo, hi), keys longer than n units sharing their first n, the first whose unit n is at least `unit`. */
function firstUnitAtLeast(sorted: readonly string[], lo: number, hi: number, n: number, unit: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid].charCodeAt(n) < unit) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Ids by key, with the keys in code-unit order so that the keys starting with a prefix are one run. */
class KeyIndex {
  private readonly idsByKey = new Map<string, Set<number>>();
  private readonly keys: string[] = [];

  add(key: string, id: number): void {
    let ids = this.idsByKey.get(key);
    if (!ids) {
      ids = new Set();
      this.idsByKey.set(key, ids);
      this.keys.splice(lowerBound(this.keys, key), 0, key);
    }
    ids.add(id);
  }

  remove(key: string, id: number): void {
    const ids = this.idsByKey.get(key);
    if (!ids?.delete(id) || ids.size > 0) return;
    this.idsByKey.delete(key);
    const i = lowerBound(this.keys, key);
    if (this.keys[i] === key) this.keys.splice(i, 1);
  }

  /**
   * Ids whose key is a non-empty prefix of one of `keys`. The keys sharing
   * the first n code units of a key are one run of the sorted keys; the run
   * is narrowed one code unit at a time (the key of exactly those n units,
   * if there is one, comes first in it) until it is empty, which on a few
   * stubs is after a character or two.
   */
  prefixesOf(keys: Iterable<string>): Set<number> {
    const found = new Set<number>();
    const sorted = this.keys;
    for (const key of keys) {
      let lo = 0;
      let hi = sorted.length;
      for (let n = 0; n < key.length && lo < hi; n++) {
        const unit = key.charCodeAt(n);
        // [lo, hi) share the key's first n units; the one of length n, if any, is sorted[lo].
        if (sorted[lo].length === n) lo++;
        lo = firstUnitAtLeast(sorted, lo, hi, n, unit);
        hi = firstUnitAtLeast(sorted, lo, hi, n, unit + 1);
        if (lo < hi && sorted[lo].length === n + 1) for (const id of this.idsByKey.get(sorted[lo]) ?? []) found.add(id);
      }
    }
    return found;
  }

  /** Ids whose key equals one of `keys` or starts with one of `prefixes`. */
  find(keys: Iterable<string>, prefixes: Iterable<string>): Set<number> {
    const found = new Set<number>();
    for (const k of keys) for (const id of this.idsByKey.get(k) ?? []) found.add(id);
    for (const p of prefixes) {
      for (let i = lowerBound(this.keys, p); i < this.keys.length && this.keys[i].startsWith(p); i++) {
        for (const id of this.idsByKey.get(this.keys[i]) ?? []) found.add(id);
      }
    }
    return found;
  }
}
