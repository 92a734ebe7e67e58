import { GraphQLError } from "graphql";
import { loadConfig } from "../../src/config";
import { decodeCursor, encodeCursor, pageRequest as pageRequestOf, type PageArgs } from "../../src/read/paging/pages";

// The default settings: pages of 20, at most 100.
const sizes = loadConfig({ NODE_ENV: "test" });
const pageRequest = (args: PageArgs, order: string) => pageRequestOf(args, order, sizes);

function codeOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e instanceof GraphQLError ? [e.extensions.code, e.message] : e;
  }
  return "no error";
}

describe("pageRequest", () => {
  it("defaults to 20 forward", () => {
    expect(pageRequest({}, "o")).toEqual({ limit: 20, backward: false, cursor: null });
  });
  it("accepts 0 and 100", () => {
    expect(pageRequest({ first: 0 }, "o").limit).toBe(0);
    expect(pageRequest({ first: 100 }, "o").limit).toBe(100);
  });
  it("refuses -1 and 101 with a sentence", () => {
    expect(codeOf(() => pageRequest({ first: -1 }, "o"))).toEqual(["BAD_USER_INPUT", "first must be between 0 and 100, got -1."]);
    expect(codeOf(() => pageRequest({ first: 101 }, "o"))).toEqual(["BAD_USER_INPUT", "first must be between 0 and 100, got 101."]);
  });
  it("refuses first with last", () => {
    expect(codeOf(() => pageRequest({ first: 1, last: 1 }, "o"))).toEqual(["BAD_USER_INPUT", "Pass first or last, not both."]);
  });
  it("round-trips a cursor and refuses a malformed or foreign one", () => {
    const c = encodeCursor({ order: "o", value: "2025-01-01 00:00:00.000", id: 7 });
    expect(decodeCursor(c, "o", "after")).toEqual({ order: "o", value: "2025-01-01 00:00:00.000", id: 7 });
    expect(codeOf(() => decodeCursor("not a cursor!", "o", "after"))).toEqual([
      "BAD_USER_INPUT",
      "after is not a valid cursor; pass an endCursor or startCursor from this connection.",
    ]);
    expect((codeOf(() => decodeCursor(c, "other", "after")) as string[])[0]).toBe("BAD_USER_INPUT");
  });
});
