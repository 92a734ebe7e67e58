import { chooseSlugs, slugCandidates } from "../../src/write/ingest/slugAllocator";
import { slugify } from "../../src/text/slug";

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

describe("slugify", () => {
  it("transliterates Russian to lower-case Latin words joined by hyphens", () => {
    expect(slugify("Аида Балаева встретилась с министром культуры Франции")).toBe(
      "aida-balaeva-vstretilas-s-ministrom-kultury-francii",
    );
    expect(slugify("Съезд, щука и ЮНЕСКО")).toBe("sezd-shchuka-i-yunesko");
  });

  it("transliterates the Kazakh letters, in both cases", () => {
    expect(slugify("ә ғ қ ң ө ұ ү һ і")).toBe("a-g-q-n-o-u-u-h-i");
    expect(slugify("Ә Ғ Қ Ң Ө Ұ Ү Һ І")).toBe("a-g-q-n-o-u-u-h-i");
    expect(slugify("Қазақстан Республикасы")).toBe("qazaqstan-respublikasy");
  });

  it("keeps only a-z, 0-9 and single hyphens between words", () => {
    expect(slugify("Гвардеец завоевал «бронзу» — 100%!")).toBe("gvardeec-zavoeval-bronzu-100");
    for (const text of ["  --Ёж_ёж.ёж~ёж--  ", "中文 und Straße", "C'est l'été 😀", "Aitu: WhatsApp и Telegram", "a\u00A0\u202Fb"]) {
      expect(slugify(text)).toMatch(SLUG);
    }
  });

  it("cuts at maxLength between words, or inside a word longer than maxLength", () => {
    expect(slugify("Аида Балаева встретилась с министром", 20)).toBe("aida-balaeva");
    expect(slugify("один два три", 8)).toBe("odin-dva");
    expect(slugify("Достопримечательность", 10)).toBe("dostoprime");
    const long = slugify("Международный университет информационных технологий открыт в Туркестане и готов принять студентов");
    expect(long.length).toBeLessThanOrEqual(80);
    expect(long).toMatch(SLUG);
  });

  it("is never empty: it falls back to the fallback, then to article", () => {
    expect(slugify("")).toBe("article");
    expect(slugify("…!?😀")).toBe("article");
    expect(slugify("«»", 80, "Новость")).toBe("novost");
    expect(slugify("", 80, "—")).toBe("article");
    expect(slugify("", 3)).toBe("art");
  });

  it("refuses a maxLength that is not a positive whole number", () => {
    expect(() => slugify("а", 0)).toThrow(RangeError);
  });
});

describe("article slugs for imported titles", () => {
  const title = "Аида Балаева встретилась с министром";
  const base = "aida-balaeva-vstretilas-s-ministrom";

  it("gives the first choice while it is free, and makes the other choices only when asked", () => {
    const c = slugCandidates(title, "key one");
    expect(c.first).toBe(base);
    expect(c.soFar).toEqual([base]);
    expect(chooseSlugs([{ title, identity: "key one", owner: null, candidates: c }], () => undefined)).toEqual([base]);
    expect(c.soFar).toEqual([base]);
  });

  it("goes down the list for titles whose choices are held, the last one a hash of the identity", () => {
    const held = new Map([[base, 7], [`${base}-2`, 8], [`${base}-3`, 9], [`${base}-4`, 10], [`${base}-5`, 11]]);
    const requests = ["key one", "key two"].map((identity) => ({ title, identity, owner: null, candidates: slugCandidates(title, identity) }));
    const [one, two] = chooseSlugs(requests, (s) => held.get(s));
    expect(one).toMatch(new RegExp(`^${base}-[0-9a-f]{8}$`));
    expect(two).toMatch(new RegExp(`^${base}-[0-9a-f]{8}$`));
    expect(one).not.toBe(two);
    expect(requests[0].candidates.soFar).toEqual([base, `${base}-2`, `${base}-3`, `${base}-4`, `${base}-5`, one]);
    // Its own slug is free for the article that holds it; two titles of one page do not get the same slug.
    expect(chooseSlugs([{ title, identity: "key one", owner: 7 }], (s) => held.get(s))).toEqual([base]);
    expect(chooseSlugs([{ title, identity: "a", owner: null }, { title, identity: "b", owner: null }], () => undefined)).toEqual([base, `${base}-2`]);
  });

  it("says which choices it tried when none is free", () => {
    expect(() => chooseSlugs([{ title, identity: "key one", owner: null }], () => 1)).toThrow(/No free slug for the title "Аида Балаева встретилась с министром" \(tried aida-balaeva-vstretilas-s-ministrom, .*-5, .*-[0-9a-f]{8}\)/);
  });
});
