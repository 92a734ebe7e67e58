import { DEFAULT_LANGUAGE, normalizeWordIn, tokenize, type Token } from "../../text/normalize";
import type { ParsedQuery } from "./query";

/**
 * A passage of the original text around the densest cluster of words that
 * match the query, matched words in <mark>, everything else HTML-escaped.
 * A word matches as the engines match it: its normalised form equals a
 * query word (of a word or a phrase term) or starts with a query prefix.
 * Phrase adjacency is not checked here; the engine already did.
 *
 * maxLength counts characters of the original text (UTF-16 units); the
 * passage starts and ends on word boundaries, with "…" where it was cut.
 * `language` is the text's, whose rules its words were indexed by.
 */
export function makeSnippet(text: string, query: ParsedQuery, maxLength = 200, language = query.language ?? DEFAULT_LANGUAGE): string {
  const limit = Math.max(1, Math.floor(maxLength));
  const tokens = tokenize(text);
  const keys = tokens.map((t) => matchKey(normalizeWordIn(t.word, language), query));
  const [clusterStart, clusterEnd] = bestCluster(tokens, keys, limit) ?? [0, 0];
  // Half the room left over goes before the cluster, so the match reads in context.
  const room = Math.max(0, limit - (clusterEnd - clusterStart));
  let start = clusterStart === 0 ? 0 : wordStartFrom(tokens, clusterStart - Math.floor(room / 2));
  const end = passageEnd(text, tokens, start, limit);
  if (end === text.length) start = Math.min(start, wordStartFrom(tokens, text.length - limit));

  let html = "";
  let at = start;
  tokens.forEach((t, i) => {
    if (t.start < start || t.end > end) return;
    html += escapeText(text.slice(at, t.start));
    const word = escapeHtml(t.word.replace(UNSHOWABLE, ""));
    html += keys[i] === null ? word : `<mark>${word}</mark>`;
    at = t.end;
  });
  html += escapeText(text.slice(at, end));
  const cutBefore = tokens.length > 0 && tokens[0].start < start;
  const cutAfter = tokens.some((t) => t.end > end);
  return `${cutBefore ? "…" : ""}${html.trim()}${cutAfter ? "…" : ""}`;
}

/** Which query term a normalised word matches (its key), or null. */
function matchKey(stem: string, query: ParsedQuery): string | null {
  for (const term of query.terms) {
    for (const token of term.tokens) {
      if (term.kind === "prefix" ? stem.startsWith(token) : stem === token) return `${term.kind}:${token}`;
    }
  }
  return null;
}

/**
 * [start, end) of the window of at most `limit` characters holding the most
 * distinct query words, then the most matches; the earliest wins ties.
 */
function bestCluster(tokens: Token[], keys: Array<string | null>, limit: number): [number, number] | null {
  const hits = tokens.flatMap((t, i) => (keys[i] === null ? [] : [{ t, key: keys[i] as string }]));
  const counts = new Map<string, number>();
  let best: { distinct: number; total: number; start: number; end: number } | null = null;
  let left = 0;
  for (let right = 0; right < hits.length; right++) {
    const { t, key } = hits[right];
    counts.set(key, (counts.get(key) ?? 0) + 1);
    while (left < right && t.end - hits[left].t.start > limit) {
      const leaving = hits[left++].key;
      const n = (counts.get(leaving) as number) - 1;
      if (n === 0) counts.delete(leaving);
      else counts.set(leaving, n);
    }
    const total = right - left + 1;
    if (!best || counts.size > best.distinct || (counts.size === best.distinct && total > best.total)) {
      best = { distinct: counts.size, total, start: hits[left].t.start, end: t.end };
    }
  }
  return best && [best.start, best.end];
}

/** The start of the first word at or after `offset` (0 when offset is before the first word). */
function wordStartFrom(tokens: Token[], offset: number): number {
  if (offset <= 0) return 0;
  return tokens.find((t) => t.start >= offset)?.start ?? offset;
}

/** Where a passage from `start` ends: the text's end if it fits, else the last whole word that fits. */
function passageEnd(text: string, tokens: Token[], start: number, limit: number): number {
  if (text.length - start <= limit) return text.length;
  const lastFitting = tokens.filter((t) => t.start >= start && t.end - start <= limit).at(-1);
  if (lastFitting) return lastFitting.end;
  // One word longer than the limit: cut inside it, but not inside a surrogate pair.
  const cut = start + limit;
  return /[\uD800-\uDBFF]/.test(text[cut - 1]) ? cut - 1 : cut;
}

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" };

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ENTITIES[c]);
}

/*
 * Control and bidi-override characters go, so the passage cannot display
 * differently from what it says; between words, paragraph breaks become
 * single spaces (a snippet is one line).
 */
const UNSHOWABLE = /[\u202A-\u202E\u2066-\u2069]|(?!\s)\p{Cc}/gu;

function escapeText(s: string): string {
  return escapeHtml(s.replace(UNSHOWABLE, "").replace(/\s+/g, " "));
}
