import { REFERENCE_PAGE_FILE } from "../helpers/fixtures";
import * as fs from "fs";
import * as path from "path";
import { MAX_PAGE_BYTES, PageParseError, parsePage, parsePageBuffer } from "../../src/write/ingest/parsePage";
import type { PageRecord } from "../../src/write/ingest/pageRecord";

const PAGE_FILE = REFERENCE_PAGE_FILE;
const PAGE_BYTES = fs.readFileSync(PAGE_FILE);
const PAGE = PAGE_BYTES.toString("utf8");
const REFERENCE = parsePage(PAGE);

/** The reference page with its lines (1-based, as FORMAT.md numbers them) rewritten. */
function edited(edit: (lines: string[]) => void): string {
  const lines = PAGE.split("\n");
  edit(lines);
  return lines.join("\n");
}

function lineIndex(lines: string[], text: string): number {
  const i = lines.indexOf(text);
  if (i === -1) throw new Error(`no line ${text}`);
  return i;
}

/** What a call threw: the message of a PageParseError, or the foreign error itself. */
function failure(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e instanceof PageParseError ? e.message : e;
  }
  return "no error";
}

const HEADER = " date 2025-09-25 Заголовок\n\nКультура\n0\nАвтор\nauthor@example.kz\n\nЛид.\n\nФото: gov.kz\n\nАбзац.\n";

describe("parsePage on the reference page", () => {
  it("reads the header", () => {
    expect(REFERENCE.title).toBe("Аида Балаева встретилась с министром культуры Франции");
    expect(REFERENCE.publishedOn).toBe("2025-09-25");
    expect(REFERENCE.rubrics).toEqual(["Культура", "Кино", "Музыка", "ООН"]);
    expect(REFERENCE.views).toBe(0);
    expect(REFERENCE.authorName).toBe("Айман Аманжолова");
    expect(REFERENCE.authorEmail).toBe("zhana2006@mail.ru");
  });

  it("reads the lead without its trailing no-break spaces, and the photo source", () => {
    expect(REFERENCE.lead).toBe(
      "Стороны обсудили текущее состояние и перспективы двустороннего культурного сотрудничества, передает корреспондент Kazpravda.kz",
    );
    expect(REFERENCE.photoCredit).toBe("gov.kz");
  });

  it("reads six body paragraphs in order", () => {
    expect(REFERENCE.paragraphs).toHaveLength(6);
    expect(REFERENCE.paragraphs[0]).toBe(
      "25 сентября 2025 года министр культуры и информации Республики Казахстан Аида Балаева провела встречу с министром культуры Французской Республики Рашидой Дати. Встреча прошла в рамках рабочего визита казахстанской делегации во Францию.",
    );
    expect(REFERENCE.paragraphs[5]).toBe(
      "Накануне встречи, в штаб-квартире ЮНЕСКО в Париже, состоялся праздничный концерт, посвящённый 100-летию со дня рождения великого казахстанского композитора и дирижёра Нургисы Тлендиева. Мероприятие позволило зарубежной публике ближе познакомиться с богатым культурным наследием Казахстана и вызвало живой отклик среди зрителей.",
    );
  });

  it("reads hashtags, which may hold spaces", () => {
    expect(REFERENCE.hashtags).toEqual(["Казахстан", "Франция", "министр", "Аида Балаева"]);
  });

  it("reads 60 popular titles in rank order, without the Все tab", () => {
    expect(REFERENCE.popular).toHaveLength(60);
    expect(REFERENCE.popular[0]).toBe("Гвардеец завоевал «бронзу» на Кубке мира по боевому самбо");
    expect(REFERENCE.popular[59]).toBe("Движение по мосту Арыс частично ограничат в Астане");
    expect(REFERENCE.popular).not.toContain("Все");
  });

  it("reads four cut-off read-also titles in order and nothing of the archive template", () => {
    expect(REFERENCE.readAlso).toEqual([
      "Париж отметил 100-летие Нургисы Тлендиева праздничным конце…",
      "Театр «Астана Балет» участвует во Всемирном фестивале в Кор…",
      "В селе Саумалколь Айыртауского района Северо-Казахстанской …",
      "Наследие Великой степи: «Астана Балет» выступит на фестивал…",
    ]);
    expect(JSON.stringify(REFERENCE)).not.toContain("[[");
  });

  it("reads the same record from the file's bytes", () => {
    expect(parsePageBuffer(PAGE_BYTES, "000.txt")).toEqual(REFERENCE);
  });
});

describe("parsePage tolerates", () => {
  it("\\r\\n line ends", () => {
    expect(parsePage(PAGE.replace(/\n/g, "\r\n"))).toEqual(REFERENCE);
  });

  it("a UTF-8 byte order mark, in text and in bytes", () => {
    expect(parsePage(`\uFEFF${PAGE}`)).toEqual(REFERENCE);
    expect(parsePageBuffer(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), PAGE_BYTES]))).toEqual(REFERENCE);
  });

  it("trailing white space and no-break spaces on every line", () => {
    const padded = PAGE.split("\n")
      .map((line) => (line === "" ? line : `${line} \u00A0\u202F\t`))
      .join("\n");
    expect(parsePage(padded)).toEqual(REFERENCE);
  });

  it("no-break spaces inside the header fields", () => {
    const page = edited((l) => {
      l[2] = "Культура,\u00A0Кино, ,Музыка,ООН,";
      l[9] = "Фото:\u00A0gov.kz";
    });
    expect(parsePage(page)).toMatchObject({ rubrics: REFERENCE.rubrics, photoCredit: "gov.kz" });
  });

  it("a stray space on a line between paragraphs, which does not end the body", () => {
    const page = edited((l) => {
      l[12] = " ";
      l[16] = "\u00A0";
    });
    expect(parsePage(page)).toEqual(REFERENCE);
  });

  it("a missing photo credit", () => {
    const page = edited((l) => l.splice(9, 2));
    expect(parsePage(page)).toEqual({ ...REFERENCE, photoCredit: null });
  });

  it("a photo credit with no source", () => {
    expect(parsePage(edited((l) => (l[9] = "Фото:"))).photoCredit).toBeNull();
  });

  it("a blank e-mail line", () => {
    expect(parsePage(edited((l) => (l[5] = ""))).authorEmail).toBeNull();
  });

  it("an empty hashtag line", () => {
    const page = edited((l) => (l[lineIndex(l, "#Казахстан #Франция #министр #Аида Балаева")] = ""));
    expect(parsePage(page)).toEqual({ ...REFERENCE, hashtags: [] });
  });

  it("empty popular and read-also lists", () => {
    const page = edited((l) => {
      l.splice(lineIndex(l, "Читайте также") + 1, 5);
      l.splice(lineIndex(l, "Популярное") + 1, 62);
    });
    expect(parsePage(page)).toEqual({ ...REFERENCE, popular: [], readAlso: [] });
  });

  it("missing sections at the end", () => {
    const upTo = (text: string) => edited((l) => l.splice(lineIndex(l, text)));
    expect(parsePage(upTo("Архив"))).toEqual(REFERENCE);
    expect(parsePage(upTo("Читайте также"))).toEqual({ ...REFERENCE, readAlso: [] });
    expect(parsePage(upTo("Популярное"))).toEqual({ ...REFERENCE, popular: [], readAlso: [] });
    expect(parsePage(upTo("#Казахстан #Франция #министр #Аида Балаева"))).toEqual({
      ...REFERENCE,
      hashtags: [],
      popular: [],
      readAlso: [],
    });
  });

  it("a missing body terminator: the body ends at the hashtags, or at Популярное", () => {
    const noTerminator = edited((l) => l.splice(lineIndex(l, "\u00A0"), 2));
    expect(parsePage(noTerminator)).toEqual(REFERENCE);
    const noHashtags = edited((l) => l.splice(lineIndex(l, "\u00A0"), 4));
    expect(parsePage(noHashtags)).toEqual({ ...REFERENCE, hashtags: [] });
  });

  it("a page with no body", () => {
    const record = parsePage(edited((l) => l.splice(11, 12)));
    expect(record.paragraphs).toEqual([]);
    expect(record.hashtags).toEqual(REFERENCE.hashtags);
  });

  it("lines of one paragraph, kept apart by a line break", () => {
    const record = parsePage(HEADER.replace("Абзац.\n", "Первая строка\nвторая строка\n\nАбзац.\n"));
    expect(record.paragraphs).toEqual(["Первая строка\nвторая строка", "Абзац."]);
  });

  it("decomposed letters, returned composed (NFC)", () => {
    const record = parsePage(HEADER.replace("Заголовок", "Е\u0308лка"));
    expect(record.title).toBe("Ёлка");
  });

  it("a view count grouped by spaces", () => {
    expect(parsePage(HEADER.replace("\n0\n", "\n12\u00A0345\n")).views).toBe(12345);
  });
});

describe("parsePage refuses, naming file and line", () => {
  it("an empty file", () => {
    expect(failure(() => parsePage(""))).toBe('page.txt:1: expected " date YYYY-MM-DD <title>", got an empty file');
    expect(failure(() => parsePage(" \n\u00A0\n"))).toMatch(/^page\.txt:1: /);
  });

  it("a page without the date line, under the file name given", () => {
    expect(failure(() => parsePage(PAGE.replace(" date 2025-09-25 ", ""), "x/001.txt"))).toBe(
      'x/001.txt:1: expected " date YYYY-MM-DD <title>", got "Аида Балаева встретилась с министром культуры Франции"',
    );
  });

  it("an impossible date", () => {
    expect(failure(() => parsePage(PAGE.replace("2025-09-25", "2025-13-40")))).toBe(
      'page.txt:1: expected a real calendar date after "date", got "2025-13-40"',
    );
    expect(failure(() => parsePage(PAGE.replace("2025-09-25", "2025-02-30")))).toMatch(/^page\.txt:1: expected a real calendar date/);
    expect(parsePage(PAGE.replace("2025-09-25", "2024-02-29")).publishedOn).toBe("2024-02-29");
  });

  it("an empty title", () => {
    expect(failure(() => parsePage(edited((l) => (l[0] = " date 2025-09-25 \u00A0"))))).toBe(
      "page.txt:1: expected a title after the date, got nothing",
    );
  });

  it("a second line that is not blank", () => {
    expect(failure(() => parsePage(edited((l) => l.splice(1, 1))))).toBe(
      'page.txt:2: expected a blank line after the date line, got "Культура,Кино,Музыка,ООН"',
    );
  });

  it("a view count that is not a whole number", () => {
    for (const views of ["abc", "-5", "1.5", "", "99999999999999999999"]) {
      expect(failure(() => parsePage(edited((l) => (l[3] = views)))) as string).toBe(
        `page.txt:4: expected a view count (a whole number), got ${JSON.stringify(views)}`,
      );
    }
  });

  it("a missing author", () => {
    expect(failure(() => parsePage(edited((l) => (l[4] = " "))))).toBe("page.txt:5: expected the author's name, got a blank line");
    expect(failure(() => parsePage(" date 2025-09-25 Заголовок\n\nКультура\n0\n"))).toBe(
      "page.txt:5: expected the author's name, got the end of the file",
    );
  });

  it("an e-mail line that holds no address", () => {
    expect(failure(() => parsePage(edited((l) => (l[5] = "Асан Асанов"))))).toBe(
      'page.txt:6: expected the author\'s e-mail or a blank line, got "Асан Асанов"',
    );
  });

  it("a page that ends after its header", () => {
    expect(failure(() => parsePage(edited((l) => l.splice(6))))).toBe("page.txt:7: expected the lead paragraph, got the end of the file");
  });

  it("text between the body and the sections that is not hashtags", () => {
    const page = edited((l) => l.splice(lineIndex(l, "Популярное"), 0, "Реклама", ""));
    expect(failure(() => parsePage(page))).toBe(
      'page.txt:28: expected hashtags or a section heading (Популярное, Читайте также, Архив), got "Реклама"',
    );
  });

  it("a section given twice", () => {
    expect(failure(() => parsePage(`${PAGE}\nПопулярное\nЕщё`))).toBe('page.txt:104: expected one "Популярное" section, got a second');
  });

  it("bytes that are not UTF-8, at their line", () => {
    const bad = Buffer.concat([Buffer.from(" date 2025-09-25 Т\n\n"), Buffer.from([0xd0, 0x28]), Buffer.from("\n0\n")]);
    expect(failure(() => parsePageBuffer(bad))).toBe("page.txt:3: not UTF-8 text");
    expect(failure(() => parsePageBuffer(Buffer.from([0xff, 0xfe, 0x20, 0x00])))).toMatch(/^page\.txt:0: not UTF-8 text/);
  });

  it("text with an unpaired surrogate, at its line", () => {
    expect(failure(() => parsePage(PAGE.replace("Культура,", "Культура\uD83D,")))).toMatch(/^page\.txt:3: not UTF-8 text/);
  });

  it("a binary file", () => {
    expect(failure(() => parsePageBuffer(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]), "a.png"))).toMatch(
      /^a\.png:0: not a text file/,
    );
    expect(failure(() => parsePage(`${PAGE}\0`))).toMatch(/^page\.txt:0: not a text file/);
  });

  it("a 10 MB file, at once and before decoding it", () => {
    const huge = Buffer.alloc(10 * 1024 * 1024, 0x20);
    const started = process.hrtime.bigint();
    const message = failure(() => parsePageBuffer(huge));
    const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
    expect(message).toBe(`page.txt:0: the file is ${huge.length} bytes, over the ${MAX_PAGE_BYTES}-byte limit for a page`);
    expect(elapsedMs).toBeLessThan(50);
    expect(failure(() => parsePage("я".repeat(MAX_PAGE_BYTES / 2 + 1)))).toMatch(/^page\.txt:0: the file is 2097154 bytes/);
  });
});

describe("parsePage throws nothing but PageParseError", () => {
  function outcome(run: () => PageRecord): string {
    try {
      run();
      return "ok";
    } catch (e) {
      return e instanceof PageParseError ? "PageParseError" : String(e);
    }
  }

  it("for every truncation of the reference page", () => {
    const lines = PAGE.split("\n");
    for (let n = 0; n <= lines.length; n++) {
      expect(outcome(() => parsePage(lines.slice(0, n).join("\n")))).toMatch(/^(ok|PageParseError)$/);
    }
  });

  it("for random bytes", () => {
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const alphabet = Buffer.concat([Buffer.from(" date 2025-09-25\n\n#,Фото:Все\u00A0…0123456789\r"), Buffer.from([0xff, 0xd0, 0x00])]);
    for (let i = 0; i < 300; i++) {
      const bytes = Buffer.from(Array.from({ length: Math.floor(random() * 200) }, () => alphabet[Math.floor(random() * alphabet.length)]));
      expect(outcome(() => parsePageBuffer(bytes))).toMatch(/^(ok|PageParseError)$/);
    }
  });

  it("for a page of a million white-space lines, in linear time", () => {
    const page = `${HEADER}${" \n".repeat(1_000_000)}Абзац.\n`;
    expect(parsePage(page).paragraphs).toEqual(["Абзац.", "Абзац."]);
  });
});
