import { slugify as transliterateToSlug } from "transliteration";

// The library's table predates Kazakh Cyrillic: it drops ә and writes қ as
// "k'", which then splits the word in two. These follow the 2021 Kazakh
// Latin alphabet (ä ğ q ñ ö ū ü h ı) with the diacritics dropped.
const KAZAKH: Record<string, string> = { ә: "a", ғ: "g", қ: "q", ң: "n", ө: "o", ұ: "u", ү: "u", һ: "h", і: "i" };

const FINAL_FALLBACK = "article";

/**
 * A URL slug: Latin a-z, digits and single hyphens between words, at most
 * maxLength characters, cut between words where it can be. Text with nothing
 * to transliterate gives the fallback (itself slugified), never "".
 */
export function slugify(text: string, maxLength = 80, fallback = FINAL_FALLBACK): string {
  return slugifyTo(text, [maxLength], fallback)[0];
}

/** slugify for several lengths at once, transliterating the text once. */
export function slugifyTo(text: string, maxLengths: readonly number[], fallback = FINAL_FALLBACK): string[] {
  for (const maxLength of maxLengths) {
    if (!Number.isInteger(maxLength) || maxLength < 1) {
      throw new RangeError(`slugify: maxLength must be a positive whole number, got ${maxLength}.`);
    }
  }
  const full = transliterated(text) || transliterated(fallback);
  return maxLengths.map((n) => (full ? cutAtWord(full, n) : FINAL_FALLBACK.slice(0, n)));
}

/**
 * Transliteration is slow and an import slugifies the same names, tags and
 * titles over and over: the latest results are kept.
 */
const recent = new Map<string, string>();
const RECENT = 20_000;

/** The whole slug of the text, not yet cut to a length ("" when nothing is left). */
function transliterated(text: string): string {
  let slug = recent.get(text);
  if (slug === undefined) {
    slug = slugOf(text);
    if (recent.size >= RECENT) recent.clear();
    recent.set(text, slug);
  }
  return slug;
}

function slugOf(text: string): string {
  const latin = transliterateToSlug(text.normalize("NFC").toLowerCase(), {
    lowercase: true,
    separator: "-",
    // Upper case is allowed here because Chinese comes back capitalised and would be dropped before lower-casing.
    allowedChars: "a-zA-Z0-9",
    replace: KAZAKH,
    trim: true,
  });
  return latin
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

function cutAtWord(slug: string, maxLength: number): string {
  if (slug.length <= maxLength) return slug;
  // One character more, so a hyphen right at the limit counts as a word boundary.
  const head = slug.slice(0, maxLength + 1);
  const lastHyphen = head.lastIndexOf("-");
  return lastHyphen > 0 ? head.slice(0, lastHyphen) : slug.slice(0, maxLength);
}

/** The path of an article's page on the site: its publication day (UTC), then its slug. */
export function pathOf(publishedAt: Date, slug: string): string {
  const [y, m, d] = publishedAt.toISOString().slice(0, 10).split("-");
  return `/${y}/${m}/${d}/${slug}`;
}
