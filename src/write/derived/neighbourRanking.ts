/** Neighbours are drawn from the articles published this many days either side of the article. */
export const NEIGHBOUR_WINDOW_DAYS = 30;
export const NEIGHBOUR_WINDOW_MS = NEIGHBOUR_WINDOW_DAYS * 86_400_000;

/** One article as the ranking sees it. */
export interface SpanArticle {
  id: number;
  /** Publication time, ms. */
  time: number;
  /** Whether readers find it in lists (a neighbour must be). */
  listed: boolean;
  tagIds: readonly number[];
}

/**
 * A run of articles in publication order (time, then id), indexed for the
 * ranking: each tag's listed articles, in the same order. Built from a
 * stretch of the archive that covers every ranked article's window.
 */
export class NeighbourSpan {
  readonly ids: Int32Array;
  readonly times: Float64Array;
  readonly listed: Uint8Array;
  /** The article at index i has the tags tagIds[tagStart[i]] to tagIds[tagStart[i + 1] - 1]. */
  readonly tagStart: Int32Array;
  private readonly tagIds: Int32Array;
  /** The same tags numbered 0 to slotCount - 1 within the span, for tables indexed by tag. */
  readonly tagSlots: Int32Array;
  readonly slotCount: number;
  private readonly byTag = new Map<number, Int32Array>();

  constructor(articles: readonly SpanArticle[]) {
    const n = articles.length;
    this.ids = new Int32Array(n);
    this.times = new Float64Array(n);
    this.listed = new Uint8Array(n);
    this.tagStart = new Int32Array(n + 1);
    let tags = 0;
    for (const a of articles) tags += a.tagIds.length;
    this.tagIds = new Int32Array(tags);
    this.tagSlots = new Int32Array(tags);
    const slots = new Map<number, number>();
    const counts = new Map<number, number>();
    let at = 0;
    for (let i = 0; i < n; i++) {
      const a = articles[i];
      this.ids[i] = a.id;
      this.times[i] = a.time;
      this.listed[i] = a.listed ? 1 : 0;
      this.tagStart[i] = at;
      for (const t of a.tagIds) {
        let slot = slots.get(t);
        if (slot === undefined) slots.set(t, (slot = slots.size));
        this.tagSlots[at] = slot;
        this.tagIds[at++] = t;
        if (a.listed) counts.set(t, (counts.get(t) ?? 0) + 1);
      }
    }
    this.tagStart[n] = at;
    this.slotCount = slots.size;
    const fill = new Map<number, number>();
    for (const [t, c] of counts) {
      this.byTag.set(t, new Int32Array(c));
      fill.set(t, 0);
    }
    for (let i = 0; i < n; i++) {
      if (!this.listed[i]) continue;
      for (let j = this.tagStart[i]; j < this.tagStart[i + 1]; j++) {
        const t = this.tagIds[j];
        const f = fill.get(t) as number;
        (this.byTag.get(t) as Int32Array)[f] = i;
        fill.set(t, f + 1);
      }
    }
  }

  get length(): number {
    return this.ids.length;
  }

  /** The tag ids of the article at index i. */
  tagsOf(i: number): Int32Array {
    return this.tagIds.subarray(this.tagStart[i], this.tagStart[i + 1]);
  }

  /** Whether the article at index i has the tag. */
  hasTag(i: number, tag: number): boolean {
    for (let j = this.tagStart[i]; j < this.tagStart[i + 1]; j++) if (this.tagIds[j] === tag) return true;
    return false;
  }

  /** The tag's listed articles (indexes, in order). */
  listOf(tag: number): Int32Array | undefined {
    return this.byTag.get(tag);
  }

  /** First position in `list` whose article is published at or after `time`. */
  lowerBound(list: Int32Array, time: number): number {
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.times[list[mid]] < time) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** First position in `list` whose article is published after `time`. */
  upperBound(list: Int32Array, time: number): number {
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.times[list[mid]] <= time) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** Articles with at most this many tags have their candidates scored from a table of 2^tags sums. */
const TABLE_TAGS = 10;

/**
 * The ranking rule of "read also" after the editors' edges, computed in
 * memory: the listed articles published within 30 days either side of the
 * article that share a rubric or hashtag with it, each shared tag weighing
 * 1 / ln(2 + its other listed articles in that window) (a rare hashtag says
 * more than a big rubric), most weight first, then fresher, then the larger
 * id. Never the article itself.
 *
 * Cost: on a large archive a big rubric has thousands of articles a month,
 * and scoring every one of them for every article dominated a rebuild. So
 * the window lists of the article's tags are walked heaviest weight (so
 * shortest) first, each from its freshest end, and every new candidate gets
 * its exact score at once (its shared weights summed in the article's tag
 * order, so equal tag sets score equal) and is offered to a bounded heap of
 * the best `keep`. A candidate first met in a list can score at most the
 * weights of that list and the lists after it; once the heap is full and
 * that bound is below its worst score, no list left can change the result,
 * and the walk stops (for the last list, where every new candidate scores
 * exactly its weight, also on a tie once the ids left are older). The
 * result is the same as scoring every candidate of every list (the unit
 * test compares the two on random spans).
 */
export class NeighbourRanker {
  /** Exact score of each candidate seen for the article being ranked (0: not seen). */
  private score = new Float64Array(0);
  private touched = new Int32Array(0);
  private heap: Int32Array;
  // Per tag of the ranked article: its window [lo, hi) in the tag's list and its weight (0: no other article there).
  private tagLo = new Int32Array(8);
  private tagHi = new Int32Array(8);
  private weight = new Float64Array(8);
  /** The tags with a weight, shortest list first, and the weights of each one's suffix of that order. */
  private order = new Int32Array(8);
  private rest = new Float64Array(8);
  /** Per tag slot of the span: the bit of the ranked article's tag (1 << its position), else 0. */
  private bitOf = new Int32Array(0);
  /** Per subset of the ranked article's tags (a mask of those bits): their weights summed in tag order. */
  private sums = new Float64Array(1 << TABLE_TAGS);

  constructor(readonly keep: number) {
    this.heap = new Int32Array(keep);
  }

  /** The best neighbours of the article at index `i` of `span`, best first, as article ids. */
  rank(span: NeighbourSpan, i: number): number[] {
    if (this.score.length < span.length) {
      this.score = new Float64Array(span.length);
      this.touched = new Int32Array(span.length);
    }
    const tags = span.tagsOf(i);
    const nt = tags.length;
    if (this.weight.length < nt) {
      this.tagLo = new Int32Array(nt);
      this.tagHi = new Int32Array(nt);
      this.weight = new Float64Array(nt);
      this.order = new Int32Array(nt);
      this.rest = new Float64Array(nt);
    }
    const { score, touched, heap, keep, tagLo, tagHi, weight, order, rest } = this;
    const t = span.times[i];
    const self = span.listed[i];
    let lists = 0;
    for (let j = 0; j < nt; j++) {
      weight[j] = 0;
      const list = span.listOf(tags[j]);
      if (!list) continue;
      const lo = span.lowerBound(list, t - NEIGHBOUR_WINDOW_MS);
      const hi = span.upperBound(list, t + NEIGHBOUR_WINDOW_MS);
      const others = hi - lo - self;
      if (others <= 0) continue;
      tagLo[j] = lo;
      tagHi[j] = hi;
      weight[j] = 1 / Math.log(2 + others);
      // Insertion into the order, shortest first.
      let m = lists++;
      while (m > 0 && tagHi[order[m - 1]] - tagLo[order[m - 1]] > hi - lo) {
        order[m] = order[m - 1];
        m--;
      }
      order[m] = j;
    }
    // Candidates' scores by their subset of the article's tags, when the table is small.
    const table = nt <= TABLE_TAGS;
    if (table) this.fillTable(span, i, nt);
    const { bitOf, sums } = this;
    // What a candidate first met in list m can score at most: every weight from m on. From the table it
    // is exact (a superset's sum, added in the same order, is never less); else it is given room for rounding.
    let sum = 0;
    let mask = 0;
    for (let m = lists - 1; m >= 0; m--) {
      sum += weight[order[m]];
      mask |= 1 << order[m];
      rest[m] = table ? sums[mask] : sum * (1 + 1e-9);
    }
    const { tagStart, tagSlots } = span;
    let n = 0;
    let size = 0;
    walk: for (let m = 0; m < lists; m++) {
      const j = order[m];
      const last = m === lists - 1;
      // The last list's new candidates score exactly its weight.
      const bound = last ? weight[j] : rest[m];
      const exact = table || last;
      const list = span.listOf(tags[j]) as Int32Array;
      for (let k = tagHi[j] - 1; k >= tagLo[j]; k--) {
        const c = list[k];
        if (c === i || score[c] !== 0) continue;
        if (size === keep) {
          const root = heap[0];
          const rs = score[root];
          // Nothing left here or in a later list (their bounds are no higher) can beat the worst kept.
          if (bound < rs) break walk;
          // Nor, on a tie, can the older candidates left in this list.
          if (exact && bound === rs && c < root) continue walk;
        }
        let s = 0;
        if (table) {
          let bits = 0;
          for (let p = tagStart[c]; p < tagStart[c + 1]; p++) bits |= bitOf[tagSlots[p]];
          s = sums[bits];
        } else {
          for (let q = 0; q < nt; q++) if (weight[q] !== 0 && span.hasTag(c, tags[q])) s += weight[q];
        }
        score[c] = s;
        touched[n++] = c;
        size = this.offer(c, size);
      }
    }
    const best = Array.from(heap.subarray(0, size));
    best.sort((a, b) => score[b] - score[a] || b - a);
    for (let k = 0; k < n; k++) score[touched[k]] = 0;
    if (table) for (let p = tagStart[i]; p < tagStart[i + 1]; p++) bitOf[tagSlots[p]] = 0;
    return best.map((c) => span.ids[c]);
  }

  /**
   * Sets the bits of the article's tags and the sum of every subset of
   * their weights, each added in tag order as the plain rule adds them: a
   * subset's sum is the sum without its last tag plus that tag's weight.
   */
  private fillTable(span: NeighbourSpan, i: number, nt: number): void {
    if (this.bitOf.length < span.slotCount) this.bitOf = new Int32Array(span.slotCount);
    const { bitOf, sums, weight } = this;
    for (let j = 0; j < nt; j++) bitOf[span.tagSlots[span.tagStart[i] + j]] = 1 << j;
    sums[0] = 0;
    for (let j = 0; j < nt; j++) {
      const bit = 1 << j;
      for (let mask = bit; mask < bit << 1; mask++) sums[mask] = sums[mask ^ bit] + weight[j];
    }
  }

  /**
   * Offers candidate c (its score set) to the heap of `size` entries, a
   * min-heap of the best so far (its root the worst kept: least score,
   * then earliest); returns the new size. The comparisons are written out,
   * as this runs for every candidate.
   */
  private offer(c: number, size: number): number {
    const score = this.score;
    const heap = this.heap;
    const s = score[c];
    if (size === this.keep) {
      const root = heap[0];
      const rs = score[root];
      if (s < rs || (s === rs && c < root)) return size;
      size--;
      // Sift the last leaf down from the root, then add c as a leaf below.
      const last = heap[size];
      const ls = score[last];
      let p = 0;
      for (;;) {
        const l = 2 * p + 1;
        if (l >= size) break;
        let w = l;
        let ws = score[heap[l]];
        if (l + 1 < size) {
          const r = heap[l + 1];
          const rsc = score[r];
          if (rsc < ws || (rsc === ws && r < heap[l])) {
            w = l + 1;
            ws = rsc;
          }
        }
        if (ls < ws || (ls === ws && last < heap[w])) break;
        heap[p] = heap[w];
        p = w;
      }
      heap[p] = last;
    }
    // Sift c up from a new leaf.
    let p = size++;
    while (p > 0) {
      const up = (p - 1) >> 1;
      const u = heap[up];
      const us = score[u];
      if (us < s || (us === s && u < c)) break;
      heap[p] = u;
      p = up;
    }
    heap[p] = c;
    return size;
  }
}
