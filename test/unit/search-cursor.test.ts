import { GraphQLError } from "graphql";
import { decodeSearchCursor, encodeSearchCursor, SearchOrder } from "../../src/read/search/cursor";

const KEY = { tier: 1, score: -7.309811115264893, publishedAt: "2025-11-09 16:01:00.000", id: 99267 };

function codeOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e instanceof GraphQLError ? [e.extensions.code, e.extensions.argument] : e;
  }
  return "no error";
}

const raw = (value: unknown) => Buffer.from(typeof value === "string" ? value : JSON.stringify(value), "utf8").toString("base64url");

describe("search cursors", () => {
  test("a RELEVANCE cursor gives back the key exactly, and its own id first among the anchors", () => {
    const cursor = encodeSearchCursor(SearchOrder.RELEVANCE, KEY, [99300, 99311, 99400]);
    expect(decodeSearchCursor(cursor, SearchOrder.RELEVANCE)).toEqual({
      kind: "after",
      order: SearchOrder.RELEVANCE,
      ...KEY,
      anchors: [99267, 99300, 99311],
    });
  });

  test("a NEWEST cursor holds the date and id only", () => {
    const cursor = encodeSearchCursor(SearchOrder.NEWEST, KEY, [1, 2]);
    expect(decodeSearchCursor(cursor, SearchOrder.NEWEST)).toEqual({
      kind: "after",
      order: SearchOrder.NEWEST,
      tier: 0,
      score: 0,
      publishedAt: KEY.publishedAt,
      id: KEY.id,
      anchors: [KEY.id],
    });
  });

  test("search:N is a position", () => {
    expect(decodeSearchCursor(raw("search:41"), SearchOrder.NEWEST)).toEqual({ kind: "offset", offset: 42 });
  });

  test.each([
    ["not base64url", "%%%"],
    ["a negative position", raw("search:-1")],
    ["a position that is not a number", raw("search:abc")],
    ["another connection's cursor", raw(["PUBLISHED_AT_DESC", "2025-01-01 00:00:00.000", 5])],
    ["a score that is text", raw(["search", "RELEVANCE", 0, "-1", KEY.publishedAt, 5, []])],
    ["a date in another form", raw(["search", "RELEVANCE", 0, -1, "2025-01-01T00:00:00Z", 5, []])],
    ["too many anchors", raw(["search", "RELEVANCE", 0, -1, KEY.publishedAt, 5, [1, 2, 3]])],
    ["a field missing", raw(["search", "RELEVANCE", 0, -1, KEY.publishedAt, 5])],
    ["an unknown order", raw(["search", "OLDEST", KEY.publishedAt, 5])],
    ["broken JSON", raw('["search", "NEWEST", ')],
  ])("%s is BAD_USER_INPUT on after", (_label, cursor) => {
    expect(codeOf(() => decodeSearchCursor(cursor, SearchOrder.RELEVANCE))).toEqual(["BAD_USER_INPUT", "after"]);
  });

  test("a cursor of the other order is refused with a sentence saying so", () => {
    const cursor = encodeSearchCursor(SearchOrder.NEWEST, KEY, []);
    expect(() => decodeSearchCursor(cursor, SearchOrder.RELEVANCE)).toThrow(/another orderBy/);
  });
});
