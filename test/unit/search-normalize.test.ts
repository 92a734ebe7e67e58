import { indexPrefix, indexToken, normalizeText, normalizeWord, tokenize } from "../../src/text/normalize";

const SENTENCE =
  "25 сентября 2025 года министр культуры и информации Республики Казахстан Аида Балаева провела встречу с министром культуры Французской Республики Рашидой Дати.";
const INDEX_TEXT = /^[\p{L}\p{N}_]+(?: [\p{L}\p{N}_]+)*$/u;

const words = (text: string) => tokenize(text).map((t) => t.word);

describe("tokenize", () => {
  it("gives each word with its offsets in the original text", () => {
    const text = "Аида Балаева, министр.";
    expect(tokenize(text)).toEqual([
      { word: "Аида", start: 0, end: 4 },
      { word: "Балаева", start: 5, end: 12 },
      { word: "министр", start: 14, end: 21 },
    ]);
    for (const t of tokenize(SENTENCE)) expect(SENTENCE.slice(t.start, t.end)).toBe(t.word);
  });

  it("splits hyphenated words and apostrophes into their parts", () => {
    expect(words("культурно-гуманитарных связей")).toEqual(["культурно", "гуманитарных", "связей"]);
    expect(words("O'Brien, Кот-д’Ивуар, Oʻzbekiston")).toEqual(["O", "Brien", "Кот", "д", "Ивуар", "O", "zbekiston"]);
  });

  it("keeps Kazakh letters, digits and invisible characters inside words", () => {
    expect(words("Қазақстанның әлемдік үкіметі: 100-летию")).toEqual(["Қазақстанның", "әлемдік", "үкіметі", "100", "летию"]);
    // Soft hyphen from crawled text, a stress accent, and a zero-width joiner at the end.
    expect(words("ми\u00ADнистра ми\u0301нистр мир\u200D!")).toEqual(["ми\u00ADнистра", "ми\u0301нистр", "мир"]);
  });

  it("ignores punctuation, emoji and control characters", () => {
    expect(words("«Шахматная» дипломатия 😀\u0000 — <b>в</b> действии…")).toEqual(["Шахматная", "дипломатия", "b", "в", "b", "действии"]);
    expect(tokenize(" \t\n—…!?*")).toEqual([]);
  });
});

describe("normalizeWord", () => {
  it("gives every case of министр the same stem, whatever the letter case", () => {
    const stems = ["министр", "министра", "Министра", "МИНИСТРА", "министру", "министром", "министров"].map(normalizeWord);
    expect(new Set(stems)).toEqual(new Set(["министр"]));
  });

  it("gives сотрудничество and its cases the same stem", () => {
    const stems = ["сотрудничество", "сотрудничества", "сотрудничестве", "сотрудничеству"].map(normalizeWord);
    expect(new Set(stems).size).toBe(1);
  });

  it("folds ё to е", () => {
    expect(normalizeWord("посвящённый")).toBe(normalizeWord("посвященный"));
    expect(normalizeWord("Дирижёра")).toBe(normalizeWord("дирижера"));
    expect(normalizeWord("ЁЛКА")).toBe(normalizeWord("елка"));
  });

  it("makes a surname and a place name agree across cases, where Snowball alone splits them", () => {
    expect(new Set(["Тлендиев", "Тлендиева", "Тлендиеву", "Тлендиевым"].map(normalizeWord)).size).toBe(1);
    expect(new Set(["Казахстан", "Казахстана", "Казахстане", "Казахстаном"].map(normalizeWord)).size).toBe(1);
    expect(new Set(["Балаева", "Балаевой", "Балаев"].map(normalizeWord)).size).toBe(1);
    expect(new Set(["Астана", "Астаны", "Астане", "Астаной"].map(normalizeWord)).size).toBe(1);
  });

  it("does not merge words that only look alike", () => {
    expect(normalizeWord("министр")).not.toBe(normalizeWord("министерство"));
    expect(normalizeWord("культуры")).not.toBe(normalizeWord("культурного"));
    // Settling stops where Snowball would: "план" keeps its н.
    expect(["план", "плана", "планов"].map(normalizeWord)).toEqual(["план", "план", "план"]);
  });

  it("only folds Kazakh, Latin and digits", () => {
    expect(normalizeWord("Қазақстанның")).toBe("қазақстанның");
    expect(normalizeWord("Backstreet")).toBe("backstreet");
    expect(normalizeWord("Boys")).toBe("boys");
    expect(normalizeWord("IMANBEK")).toBe("imanbek");
    expect(normalizeWord("2025")).toBe("2025");
  });

  it("drops what is not a letter or a digit and folds compatibility forms", () => {
    expect(normalizeWord("ми\u0301нистра")).toBe("министр");
    expect(normalizeWord("ми\u00ADнистра")).toBe("министр");
    expect(normalizeWord("ＵＮＥＳＣＯ")).toBe("unesco");
    expect(normalizeWord("—")).toBe("");
  });
});

describe("indexToken", () => {
  it("pads words shorter than InnoDB's minimum token size with _", () => {
    expect(indexToken("и")).toBe("и__");
    expect(indexToken("мы")).toBe("мы_");
    expect(indexToken("25")).toBe("25_");
    expect(indexToken("мир")).toBe("мир");
  });

  it("marks InnoDB stopwords with a trailing _ and cuts at its maximum token size", () => {
    expect(indexToken("the")).toBe("the_");
    expect(indexToken("www")).toBe("www_");
    expect(indexToken("a")).toBe("a__");
    expect(indexToken("я".repeat(100))).toBe("я".repeat(84));
  });

  it("is idempotent and leaves only letters, digits and _", () => {
    for (const t of ["и", "мы", "the", "министр", "x\"y*z", "a b"]) {
      expect(indexToken(indexToken(t))).toBe(indexToken(t));
      expect(indexToken(t)).toMatch(/^[\p{L}\p{N}_]+$/u);
    }
    expect(indexToken("***")).toBe("");
  });

  it("does not pad a prefix, only cuts it", () => {
    expect(indexPrefix("ми")).toBe("ми");
    expect(indexPrefix("мин\"ист")).toBe("минист");
    expect(indexPrefix("я".repeat(100))).toBe("я".repeat(84));
  });
});

describe("normalizeText", () => {
  it("gives the index text of a real sentence", () => {
    expect(normalizeText(SENTENCE)).toBe(
      "25_ сентябр 2025 год министр культур и__ информац республик казахста аид бала провел встреч с__ министр культур французск республик рашид дат",
    );
  });

  it("keeps both parts of a hyphenated word, adjacent", () => {
    expect(normalizeText("культурно-гуманитарных")).toBe("культурн гуманитарн");
  });

  it("holds only letters, digits, _ and single spaces, whatever the text", () => {
    const hostile = [
      SENTENCE,
      "<script>alert('x')</script> \"quoted\" +word -word ~x @3 (a) b* :c ^d",
      "' OR 1=1 --; DROP TABLE article; \u0000\u0007\u202Eevil\u200B",
      "😀👨‍👩‍👧 ½ ² ＡＢＣ ﬁ İstanbul Ωmega ς \uD800 \uDC00",
      "я".repeat(500),
    ];
    for (const text of hostile) expect(normalizeText(text)).toMatch(INDEX_TEXT);
    expect(normalizeText("— … !")).toBe("");
  });
});
