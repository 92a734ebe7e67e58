import { badUserInput } from "../../graphql/errors";

export enum SearchOrder {
  RELEVANCE = "RELEVANCE",
  NEWEST = "NEWEST",
}

/**
 * Where a page of search results starts: after the last edge seen. NEWEST
 * cursors hold its date and id (a keyset). RELEVANCE cursors also hold its
 * tier and score, and the ids of the two edges before it: relevance scores
 * move a little whenever the corpus changes, so the page continues after the
 * latest of those articles still among the candidates, and only when all
 * three are gone after the recorded key. Cursors of the form `search:N`
 * continue after position N.
 */
export type SearchPosition =
  | { kind: "after"; order: SearchOrder; tier: number; score: number; publishedAt: string; id: number; anchors: number[] }
  | { kind: "offset"; offset: number };

/** Ids of the edges before the cursor's own that a RELEVANCE cursor carries. */
export const EARLIER_ANCHORS = 2;

/** The ranking key of one edge, as the search statement returns it. */
export interface SearchKey {
  tier: number;
  score: number;
  publishedAt: string;
  id: number;
}

/** `earlier`: ids of the edges just before this one, nearest first (RELEVANCE only). */
export function encodeSearchCursor(order: SearchOrder, key: SearchKey, earlier: number[]): string {
  const value =
    order === SearchOrder.NEWEST
      ? [order, key.publishedAt, key.id]
      : [order, key.tier, key.score, key.publishedAt, key.id, earlier.slice(0, EARLIER_ANCHORS)];
  return Buffer.from(JSON.stringify(["search", ...value]), "utf8").toString("base64url");
}

const OFFSET = /^search:(\d{1,7})$/;
const DB_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?$/;

export function decodeSearchCursor(raw: string, order: SearchOrder): SearchPosition {
  const text = /^[A-Za-z0-9_-]{1,512}$/.test(raw) ? Buffer.from(raw, "base64url").toString("utf8") : "";
  const offset = OFFSET.exec(text);
  if (offset) return { kind: "offset", offset: Number(offset[1]) + 1 };
  let parsed: unknown;
  try {
    parsed = text.startsWith("[") ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  const invalid = () => badUserInput("after is not a valid cursor; pass an endCursor from this search.", "after");
  if (!Array.isArray(parsed) || parsed[0] !== "search" || !Object.values(SearchOrder).includes(parsed[1])) throw invalid();
  if (parsed[1] !== order) throw badUserInput("after is a cursor for another orderBy of this search; start again from the first page.", "after");
  const [tier, score, publishedAt, id, earlier] = order === SearchOrder.NEWEST ? [0, 0, parsed[2], parsed[3], []] : parsed.slice(2);
  const fields = order === SearchOrder.NEWEST ? 4 : 7;
  if (
    parsed.length !== fields ||
    !Array.isArray(earlier) ||
    earlier.length > EARLIER_ANCHORS ||
    !earlier.every((e) => Number.isInteger(e)) ||
    !Number.isInteger(tier) ||
    typeof score !== "number" ||
    !Number.isFinite(score) ||
    typeof publishedAt !== "string" ||
    !DB_TIME.test(publishedAt) ||
    !Number.isInteger(id)
  ) {
    throw invalid();
  }
  return { kind: "after", order, tier, score, publishedAt, id, anchors: [id, ...(earlier as number[])] };
}
