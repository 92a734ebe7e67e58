import { REFERENCE_PAGE_FILE } from "../helpers/fixtures";
import * as fs from "fs";
import * as path from "path";
import { GraphQLError } from "graphql";
import { normalizeText } from "../../src/text/normalize";
import { SearchQueryError, parseSearchQuery, toFts5Match, type ParsedQuery } from "../../src/read/search/query";

const PAGE = fs.readFileSync(REFERENCE_PAGE_FILE, "utf8");

const TOKEN = String.raw`[\p{L}\p{N}_]+`;
const PHRASE = String.raw`${TOKEN}(?: ${TOKEN})*`;
const FTS5_SAFE = new RegExp(String.raw`^"${PHRASE}"\*?(?: AND "${PHRASE}"\*?)*$`, "u");

const shape = (input: string) => parseSearchQuery(input).terms.map((t) => [t.kind, ...t.tokens]);

function errorOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e instanceof SearchQueryError ? e.message : e;
  }
  return "no error";
}

/*
 * Every way a user can try to smuggle engine syntax, SQL or junk into the
 * search box. Each must give either a SearchQueryError or a query built from
 * safe tokens only.
 */
const HOSTILE = [
  '"министр культуры',
  'министр "культуры',
  '"""',
  "*",
  "** министр **",
  "*министр",
  "мини*стр",
  "+министр -культура",
  "-министр",
  "@2 министр",
  "~министр <культура >Казахстан",
  "(министр OR культура) AND NOT Казахстан",
  "NEAR(министр культура, 2)",
  "body:министр",
  "^министр",
  "министр^2",
  "' OR 1=1 --",
  "'; DROP TABLE article; --",
  "\\\" OR \"\"=\"",
  '"a" AND "b"',
  "\" OR 1 --",
  "министр 😀👨‍👩‍👧 🇰🇿",
  "😀",
  "\u0000\u0001\u001b[31mминистр\u007f",
  "мин\u202Eистр \u200B \uFEFF",
  "\uD800министр\uDC00",
  "ми\u0301нистр",
  "культурно-гум*",
  "*" + "а".repeat(150),
  "ж".repeat(200),
  "<script>alert(1)</script>",
  "министр\tкультуры\nКазахстан\r\n",
  "«Аида Балаева» „культура“",
  "the a of www",
];

describe("parseSearchQuery", () => {
  it("parses words, phrases and prefixes into normalised tokens", () => {
    expect(shape("министр культуры")).toEqual([["word", "министр"], ["word", "культур"]]);
    expect(shape('"Аида Балаева" минист*')).toEqual([["phrase", "аид", "бала"], ["prefix", "минист"]]);
    expect(shape("Посвящён*")).toEqual([["prefix", "посвящен"]]);
  });

  it("makes sensible queries of names", () => {
    expect(parseSearchQuery("Тлендиев").terms).toEqual([{ kind: "word", tokens: ["тленд"], raw: "Тлендиев" }]);
    expect(parseSearchQuery("ЮНЕСКО").terms).toEqual([{ kind: "word", tokens: ["юнеск"], raw: "ЮНЕСКО" }]);
    expect(parseSearchQuery("Аида Балаева").terms).toEqual([
      { kind: "word", tokens: ["аид"], raw: "Аида" },
      { kind: "word", tokens: ["бала"], raw: "Балаева" },
    ]);
    expect(parseSearchQuery("«Аида Балаева»").terms).toEqual([{ kind: "phrase", tokens: ["аид", "бала"], raw: '"Аида Балаева"' }]);
  });

  it("searches a hyphenated word as the phrase of its parts", () => {
    expect(shape("культурно-гуманитарных")).toEqual([["phrase", "культурн", "гуманитарн"]]);
    expect(shape("культурно-гум*")).toEqual([["word", "культурн"], ["prefix", "гум"]]);
  });

  it("ignores an open quote, stray operators and repeated words", () => {
    expect(shape('"министр культуры')).toEqual([["word", "министр"], ["word", "культур"]]);
    expect(shape("+министр -культура ~Казахстан * ( )")).toEqual([["word", "министр"], ["word", "культур"], ["word", "казахста"]]);
    expect(shape("министра министру")).toEqual([["word", "министр"]]);
    expect(shape('"министр"')).toEqual([["word", "министр"]]);
  });

  it("refuses empty, whitespace-only and punctuation-only input", () => {
    for (const input of ["", "   ", "\t\n", "* + - ( ) \" ~", "😀"]) {
      expect(errorOf(() => parseSearchQuery(input))).toBe("query must contain a word to search for.");
    }
  });

  it("refuses input over 200 characters, counting characters, not UTF-16 units", () => {
    expect(errorOf(() => parseSearchQuery("а".repeat(201)))).toBe("query must be at most 200 characters.");
    expect(errorOf(() => parseSearchQuery("а".repeat(1_000_000)))).toBe("query must be at most 200 characters.");
    expect(parseSearchQuery("я".repeat(200)).terms).toHaveLength(1);
    expect(parseSearchQuery("ж" + "😀".repeat(199)).terms).toHaveLength(1);
  });

  it("refuses more than 16 terms", () => {
    const words = Array.from({ length: 17 }, (_, i) => `слово${i}`);
    expect(parseSearchQuery(words.slice(0, 16).join(" ")).terms).toHaveLength(16);
    expect(errorOf(() => parseSearchQuery(words.join(" ")))).toBe("query must have at most 16 words or phrases, got 17.");
  });

  it("refuses a one-letter prefix", () => {
    expect(errorOf(() => parseSearchQuery("м*"))).toBe('a prefix search needs at least 2 letters or digits before *, got "м*".');
    expect(shape("ми*")).toEqual([["prefix", "ми"]]);
  });

  it("throws a GraphQL BAD_USER_INPUT error for the query argument", () => {
    const e = (() => {
      try {
        return parseSearchQuery(" ");
      } catch (error) {
        return error;
      }
    })();
    expect(e).toBeInstanceOf(GraphQLError);
    expect((e as GraphQLError).extensions).toEqual({ code: "BAD_USER_INPUT", argument: "query" });
  });

  it("keeps only words, spaces, quotes and * in raw", () => {
    const raws = parseSearchQuery('мин\u202Eистр "<b>Аида</b>" минист*').terms.map((t) => t.raw);
    expect(raws).toEqual(["министр", '"b Аида b"', "минист*"]);
  });
});

describe("toFts5Match", () => {
  it("quotes every token, encodes short words and stopwords, and ANDs the terms", () => {
    const query = parseSearchQuery('министр и "Аида Балаева" минист* The');
    expect(toFts5Match(query)).toBe('"министр" AND "и__" AND "аид бала" AND "минист"* AND "the_"');
  });

  it("joins the same terms with OR when any term will do", () => {
    const query = parseSearchQuery('министр "Аида Балаева" минист*');
    expect(toFts5Match(query, "any")).toBe('"министр" OR "аид бала" OR "минист"*');
  });

  it("gives a safe expression for every hostile input, or the input is refused", () => {
    for (const input of HOSTILE) {
      let query: ParsedQuery;
      try {
        query = parseSearchQuery(input);
      } catch (e) {
        expect(e).toBeInstanceOf(SearchQueryError);
        continue;
      }
      expect([input, toFts5Match(query)]).toEqual([input, expect.stringMatching(FTS5_SAFE)]);
    }
  });

  it("re-encodes the tokens of a hand-built query, so it cannot inject syntax either", () => {
    const forged: ParsedQuery = {
      terms: [
        { kind: "word", tokens: ['x" OR "1'], raw: "" },
        { kind: "prefix", tokens: ["ab) -(c*"], raw: "" },
        { kind: "phrase", tokens: ["a", '"', "b"], raw: "" },
      ],
    };
    expect(toFts5Match(forged)).toBe('"xOR1" AND "abc"* AND "a__ b__"');
    expect(() => toFts5Match({ terms: [{ kind: "word", tokens: ['"'], raw: "" }] })).toThrow(SearchQueryError);
  });
});

describe("toFts5Match on a real FTS5 table", () => {
  // better-sqlite3 ships no type declarations here; this is all the test uses of it.
  interface Sqlite {
    exec(sql: string): void;
    prepare(sql: string): { run(...params: unknown[]): unknown; all(...params: unknown[]): unknown[] };
  }
  const Database = require("better-sqlite3") as new (file: string) => Sqlite;
  const db = new Database(":memory:");
  db.exec(`CREATE VIRTUAL TABLE doc USING fts5(body, tokenize = "unicode61 remove_diacritics 0 tokenchars '_'")`);
  db.prepare("INSERT INTO doc (rowid, body) VALUES (1, ?)").run(normalizeText(PAGE));
  db.prepare("INSERT INTO doc (rowid, body) VALUES (2, ?)").run(normalizeText("Министр сельского хозяйства посетил Астану."));
  const search = (input: string) => db.prepare("SELECT rowid FROM doc WHERE doc MATCH ? ORDER BY rowid").all(toFts5Match(parseSearchQuery(input)));

  it("finds the reference page by names in other cases than the page uses", () => {
    expect(search("Тлендиев")).toEqual([{ rowid: 1 }]);
    expect(search("ЮНЕСКО")).toEqual([{ rowid: 1 }]);
    expect(search('"Аида Балаева"')).toEqual([{ rowid: 1 }]);
    expect(search("Казахстан культурно-гуманитарные")).toEqual([{ rowid: 1 }]);
    expect(search("министра")).toEqual([{ rowid: 1 }, { rowid: 2 }]);
    expect(search("министр и культура")).toEqual([{ rowid: 1 }]);
    expect(search("Астана")).toEqual([{ rowid: 1 }, { rowid: 2 }]);
    expect(search("минист*")).toEqual([{ rowid: 1 }, { rowid: 2 }]);
    expect(search('"Балаева Аида"')).toEqual([]);
  });

  it("runs every hostile query without an FTS5 syntax error", () => {
    for (const input of HOSTILE) {
      let query: ParsedQuery;
      try {
        query = parseSearchQuery(input);
      } catch {
        continue;
      }
      expect(() => db.prepare("SELECT rowid FROM doc WHERE doc MATCH ?").all(toFts5Match(query))).not.toThrow();
    }
  });
});
