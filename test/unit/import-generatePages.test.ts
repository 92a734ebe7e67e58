import { generatePages, READ_ALSO_CUT } from "../../src/write/ingest/generatePages";
import { parsePage } from "../../src/write/ingest/parsePage";
import { foldTitle, isCutOff } from "../../src/text/fold";

describe("generatePages", () => {
  const pages = generatePages({ pages: 400, seed: 5 });

  test("every generated page parses back to exactly what was generated", () => {
    for (const p of pages) expect(parsePage(p.text, p.name)).toEqual(p.record);
  });

  test("the same seed gives the same pages, another seed other pages", () => {
    expect(generatePages({ pages: 400, seed: 5 }).map((p) => p.text)).toEqual(pages.map((p) => p.text));
    expect(generatePages({ pages: 400, seed: 6 })[0].text).not.toEqual(pages[0].text);
  });

  test("lists name other generated pages; read-also titles are cut off like the site's", () => {
    const keys = new Set(pages.map((p) => foldTitle(p.record.title)));
    expect(keys.size).toBe(pages.length);
    const popular = pages.flatMap((p) => p.record.popular);
    expect(popular.length).toBeGreaterThan(pages.length * 30);
    expect(popular.every((t) => keys.has(foldTitle(t)))).toBe(true);
    const readAlso = pages.flatMap((p) => p.record.readAlso);
    const cut = readAlso.filter(isCutOff);
    // Corpus titles are shorter than the site's, so about a fifth of them reach the cut.
    expect(cut.length).toBeGreaterThan(readAlso.length / 6);
    expect(cut.every((t) => t.endsWith("…") && [...t].length <= READ_ALSO_CUT + 1)).toBe(true);
    const keyList = [...keys];
    expect(cut.every((t) => keyList.some((k) => k.startsWith(foldTitle(t))))).toBe(true);
  });

  test("pages vary the way real ones do: missing photo credits, hashtags with spaces, read-also titles also in popular", () => {
    expect(pages.some((p) => p.record.photoCredit === null)).toBe(true);
    expect(pages.some((p) => p.record.photoCredit !== null)).toBe(true);
    expect(pages.some((p) => p.record.hashtags.some((h) => h.includes(" ")))).toBe(true);
    expect(pages.some((p) => p.record.hashtags.length === 0)).toBe(true);
    expect(pages.some((p) => p.record.readAlso.some((r) => p.record.popular.some((t) => foldTitle(t).startsWith(foldTitle(r)))))).toBe(true);
  });
});
