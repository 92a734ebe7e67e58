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
  private readonly tagStart: Int32Array;
  private readonly tagIds: Int32Array;
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
    const counts = new Map<number, number>();
    let at = 0;
    for (let i = 0; i < n; i++) {
      const a = articles[i];
      this.ids[i] = a.id;
      this.times[i] = a.time;
      this.listed[i] = a.listed ? 1 : 0;
      this.tagStart[i] = at;
      for (const t of a.tagIds) {
        this.tagIds[at++] = t;
        if (a.listed) counts.set(t, (counts.get(t) ?? 0) + 1);
      }
    }
    this.tagStart[n] = at;
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

/**
 * The ranking rule of "read also" after the editors' edges, computed in
 * memory: the listed articles published within 30 days either side of the
 * article that share a rubric or hashtag with it, each shared tag weighing
 * 1 / ln(2 + its other listed articles in that window) (a rare hashtag says
 * more than a big rubric), most weight first, then fresher, then the larger
 * id. Never the article itself.
 *
 * Cost: one pass over each of the article's tags' window lists, with a
 * score per article of the span (a typed array reused for every article)
 * and a bounded heap for the best `keep`.
 */
export class NeighbourRanker {
  private score = new Float64Array(0);
  private touched = new Int32Array(0);
  private heap: Int32Array;

  constructor(readonly keep: number) {
    this.heap = new Int32Array(keep);
  }

  /** The best neighbours of the article at index `i` of `span`, best first, as article ids. */
  rank(span: NeighbourSpan, i: number): number[] {
    if (this.score.length < span.length) {
      this.score = new Float64Array(span.length);
      this.touched = new Int32Array(span.length);
    }
    const score = this.score;
    const touched = this.touched;
    let n = 0;
    const t = span.times[i];
    const self = span.listed[i];
    // The article's tags in their stored order: every candidate's score adds
    // its shared weights in the same order, so equal tag sets score equal.
    for (const tag of span.tagsOf(i)) {
      const list = span.listOf(tag);
      if (!list) continue;
      const lo = span.lowerBound(list, t - NEIGHBOUR_WINDOW_MS);
      const hi = span.upperBound(list, t + NEIGHBOUR_WINDOW_MS);
      const others = hi - lo - self;
      if (others <= 0) continue;
      const w = 1 / Math.log(2 + others);
      for (let k = lo; k < hi; k++) {
        const c = list[k];
        if (c === i) continue;
        if (score[c] === 0) touched[n++] = c;
        score[c] += w;
      }
    }
    const best = this.select(n);
    for (let k = 0; k < n; k++) score[touched[k]] = 0;
    return best.map((c) => span.ids[c]);
  }

  /** The best `keep` of the touched articles, best first (more score, then later in the span). */
  private select(n: number): number[] {
    const score = this.score;
    const touched = this.touched;
    const heap = this.heap;
    const keep = this.keep;
    // A min-heap of the best so far (its root is the worst kept); the
    // comparisons are written out, as this loop runs for every candidate.
    let size = 0;
    for (let k = 0; k < n; k++) {
      const c = touched[k];
      const s = score[c];
      if (size === keep) {
        const root = heap[0];
        const rs = score[root];
        if (s < rs || (s === rs && c < root)) continue;
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
    }
    const best = Array.from(heap.subarray(0, size));
    best.sort((a, b) => score[b] - score[a] || b - a);
    return best;
  }
}
