import { foldWordIn, normalizeText, normalizeWord, normalizeWordIn } from "../../src/text/normalize";
import { parseSearchQuery } from "../../src/read/search/query";

describe("Kazakh normalisation", () => {
  it("folds each Kazakh capital onto its own small letter", () => {
    expect(normalizeWordIn("ӘҒҚҢӨҰҮҺІ", "kk")).toBe("әғқңөұүһі");
    expect(normalizeWordIn("ҚАЗАҚСТАННЫҢ", "kk")).toBe(normalizeWordIn("Қазақстанның", "kk"));
  });

  it("keeps Kazakh letters apart from their Cyrillic look-alikes", () => {
    const pairs = [["қала", "кала"], ["ғалым", "галым"], ["үй", "уй"], ["ұл", "ул"], ["өз", "оз"], ["әке", "аке"], ["іні", "ини"], ["жаңа", "жана"], ["һижра", "хижра"]];
    for (const [kazakh, lookalike] of pairs) expect([kazakh, normalizeWordIn(kazakh, "kk")]).not.toEqual([kazakh, normalizeWordIn(lookalike, "kk")]);
  });

  it("puts Latin look-alikes inside Cyrillic words right, and leaves Latin words alone", () => {
    expect(foldWordIn("бiлiм", "kk")).toBe("білім");
    expect(foldWordIn("Əке", "kk")).toBe("әке");
    expect(foldWordIn("hалық", "kk")).toBe("һалық");
    expect(foldWordIn("Imanbek", "kk")).toBe("imanbek");
    // Russian rules are untouched by this: a Latin i in a Cyrillic word stays as it is there.
    expect(normalizeWord("бiлiм")).toBe("бiлiм");
  });

  it("keeps Kazakh words whole (no stemmer): two grammatical forms stay two words", () => {
    expect(normalizeWordIn("бала", "kk")).toBe("бала");
    expect(normalizeWordIn("балалар", "kk")).toBe("балалар");
    // The Russian stemmer would have cut the Kazakh word at a Russian-looking ending.
    expect(normalizeWord("бала")).toBe("бал");
  });

  it("indexes and parses queries of Kazakh text by the same rules", () => {
    expect(normalizeText("Мектептегі БАЛАЛАР бiлiм алады", "kk")).toBe("мектептегі балалар білім алады");
    const q = parseSearchQuery("БІЛІМ бала*", "kk");
    expect(q.language).toBe("kk");
    expect(q.terms.map((t) => [t.kind, t.tokens])).toEqual([
      ["word", ["білім"]],
      ["prefix", ["бала"]],
    ]);
    // Without a language, the Russian rules and the query shape of before.
    expect(parseSearchQuery("министра")).toEqual({ terms: [{ kind: "word", tokens: ["министр"], raw: "министра" }] });
  });
});
