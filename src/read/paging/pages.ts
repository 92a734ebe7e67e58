import { badUserInput } from "../../graphql/errors";
import type { PageInfo } from "../../../resolvers/types/connection";
import type { Config } from "../../config";

// Relay connections with keyset cursors: a cursor is the sort value and the
// id of the last row seen, so a page costs the same at any depth and stays
// stable while new articles are published.

export interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

/** A validated page request: how many rows, which way, from where. */
export interface PageRequest {
  limit: number;
  /** true when paging backwards (last/before): rows are read in reverse order. */
  backward: boolean;
  cursor: Cursor | null;
}

export interface Cursor {
  /** The ordering the cursor was made for; a cursor from another ordering is refused. */
  order: string;
  value: string | number;
  id: number;
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify([c.order, c.value, c.id]), "utf8").toString("base64url");
}

export function decodeCursor(raw: string, order: string, argument: string): Cursor {
  let parsed: unknown;
  try {
    parsed = /^[A-Za-z0-9_-]{1,512}$/.test(raw) ? JSON.parse(Buffer.from(raw, "base64url").toString("utf8")) : undefined;
  } catch {
    parsed = undefined;
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 3 ||
    typeof parsed[0] !== "string" ||
    !(typeof parsed[1] === "string" || typeof parsed[1] === "number") ||
    !Number.isInteger(parsed[2])
  ) {
    throw badUserInput(`${argument} is not a valid cursor; pass an endCursor or startCursor from this connection.`, argument);
  }
  if (parsed[0] !== order) {
    throw badUserInput(`${argument} is a cursor for another ordering of this list; start again from the first page.`, argument);
  }
  return { order, value: parsed[1], id: parsed[2] };
}

function checkSize(value: number, argument: string, max: number): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw badUserInput(`${argument} must be between 0 and ${max}, got ${value}.`, argument);
  }
}

/** Validates first/after/last/before; errors are BAD_USER_INPUT sentences. */
/** The page sizes a list allows (from the app's settings). */
export type PageSizes = Pick<Config, "defaultPageSize" | "maxPageSize">;

export function pageRequest(args: PageArgs, order: string, sizes: PageSizes): PageRequest {
  const { defaultPageSize: defaultSize, maxPageSize: max } = sizes;
  const { first, after, last, before } = args;
  const hasFirst = first !== undefined && first !== null;
  const hasLast = last !== undefined && last !== null;
  if (hasFirst && hasLast) throw badUserInput("Pass first or last, not both.", "last");
  if (hasFirst && before) throw badUserInput("before goes with last; use after with first.", "before");
  if (hasLast && after) throw badUserInput("after goes with first; use before with last.", "after");
  if (after && before) throw badUserInput("Pass after or before, not both.", "before");
  if (hasFirst) checkSize(first, "first", max);
  if (hasLast) checkSize(last, "last", max);
  const backward = hasLast || Boolean(before);
  const limit = hasFirst ? first : hasLast ? last : defaultSize;
  const raw = backward ? before : after;
  return { limit, backward, cursor: raw ? decodeCursor(raw, order, backward ? "before" : "after") : null };
}

/**
 * A forward page of a connection from rows read with one extra row (limit + 1):
 * the extra row only says that a next page exists.
 */
export function forwardPage<R, N>(
  rows: readonly R[],
  page: PageRequest,
  cursorOf: (row: R) => Cursor,
  nodeOf: (row: R) => N,
): {
  edges: { cursor: string; node: N }[];
  pageInfo: PageInfo;
} {
  const edges = rows.slice(0, page.limit).map((row) => ({ cursor: encodeCursor(cursorOf(row)), node: nodeOf(row) }));
  return { edges, pageInfo: pageInfoOf(edges, rows.length > page.limit, page.cursor !== null) };
}

/** Relay's pageInfo for edges already cut to the page: every connection of the schema makes its own here. */
export function pageInfoOf(edges: readonly { cursor: string }[], hasNextPage: boolean, hasPreviousPage: boolean): PageInfo {
  return { hasNextPage, hasPreviousPage, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null };
}
