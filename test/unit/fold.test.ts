import { REFERENCE_PAGE_FILE } from "../helpers/fixtures";
import * as fs from "fs";
import * as path from "path";
import { parsePage } from "../../src/write/ingest/parsePage";
import { TITLE_KEY_LENGTH, cutOffPrefix, foldTitle, isCutOff } from "../../src/text/fold";

const PAGE = fs.readFileSync(REFERENCE_PAGE_FILE, "utf8");

describe("foldTitle", () => {
  it("folds case, ё and every kind of space", () => {
    expect(foldTitle("  Ёлка\u00A0в\u202FАстане\u2007и\t\n ВСЁ  ")).toBe("елка в астане и все");
    expect(foldTitle("ҚАЗАҚСТАН ӘЛЕМІ")).toBe("қазақстан әлемі");
  });

  it("composes decomposed letters first (NFC), so a decomposed ё folds too", () => {
    expect(foldTitle("Е\u0308лка")).toBe("елка");
    expect(foldTitle("Й")).toBe(foldTitle("И\u0306"));
  });

  it("drops guillemets and typographic quotes", () => {
    expect(foldTitle("«Школу будущего» показали")).toBe("школу будущего показали");
    expect(foldTitle("“Один” „два“ \"три\" 'четыре'")).toBe("один два три четыре");
    expect(foldTitle("Театр « Астана Балет »")).toBe("театр астана балет");
  });

  it("drops a trailing ellipsis, … or ...", () => {
    expect(foldTitle("Театр участвует во Всемирном фестивале в Кор…")).toBe("театр участвует во всемирном фестивале в кор");
    expect(foldTitle("Северо-Казахстанской …")).toBe("северо-казахстанской");
    expect(foldTitle("Что дальше...")).toBe("что дальше");
    expect(foldTitle("Т. е. середина… текста")).toBe("т. е. середина… текста");
  });

  it(`is at most ${TITLE_KEY_LENGTH} characters, cut between code points`, () => {
    expect(foldTitle("Слово ".repeat(100))).toHaveLength(TITLE_KEY_LENGTH);
    expect(foldTitle(`${"я".repeat(TITLE_KEY_LENGTH - 1)} конец`)).toBe("я".repeat(TITLE_KEY_LENGTH - 1));
    const emoji = foldTitle("😀".repeat(300));
    expect(Array.from(emoji)).toHaveLength(TITLE_KEY_LENGTH);
    expect(/[\uD800-\uDFFF]/u.test(emoji)).toBe(false);
    expect(Array.from(foldTitle(`${"а".repeat(190)}😀😀`))).toHaveLength(TITLE_KEY_LENGTH);
  });
});

describe("isCutOff and cutOffPrefix", () => {
  it("tell a cut-off title and give its folded beginning", () => {
    expect(isCutOff("Наследие Великой степи: «Астана Балет» выступит на фестивал…")).toBe(true);
    expect(isCutOff("Что дальше...\u00A0")).toBe(true);
    expect(isCutOff("«Школу будущего…»")).toBe(true);
    expect(isCutOff("Торгай возродит дорога")).toBe(false);
    expect(cutOffPrefix("Наследие Великой степи: «Астана Балет» выступит на фестивал…")).toBe(
      "наследие великой степи: астана балет выступит на фестивал",
    );
  });

  it("give null for a whole title and for an ellipsis alone, which would match anything", () => {
    expect(cutOffPrefix("Торгай возродит дорога")).toBeNull();
    expect(cutOffPrefix(" … ")).toBeNull();
  });

  it("match the reference page's read-also titles to its popular ones", () => {
    const page = parsePage(PAGE);
    const prefix = cutOffPrefix(page.readAlso[2]) as string;
    const whole = "В селе Саумалколь Айыртауского района Северо-Казахстанской области проходит выставка «На стыке истории и труда»";
    expect(foldTitle(whole).startsWith(prefix)).toBe(true);
    expect(page.popular.filter((title) => foldTitle(title).startsWith(prefix))).toEqual([whole]);
  });

  it("keep a prefix of a long title a prefix of its shortened key", () => {
    const whole = `${"Очень длинный заголовок ".repeat(12)}конец`;
    for (const cut of [50, 190, 191, 192, 250]) {
      const prefix = cutOffPrefix(`${whole.slice(0, cut)}…`) as string;
      expect(foldTitle(whole).startsWith(prefix)).toBe(true);
    }
  });
});
