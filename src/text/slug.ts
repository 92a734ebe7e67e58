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
  if (!Number.isInteger(maxLength) || maxLength < 1) {
    throw new RangeError(`slugify: maxLength must be a positive whole number, got ${maxLength}.`);
  }
  const key = `${maxLength}\u0000${fallback}\u0000${text}`;
  let slug = recent.get(key);
  if (slug === undefined) {
    slug = slugOf(text, maxLength) || slugOf(fallback, maxLength) || FINAL_FALLBACK.slice(0, maxLength);
    if (recent.size >= RECENT) recent.clear();
    recent.set(key, slug);
  }
  return slug;
}

/**
 * Transliteration is slow and an import slugifies the same names, tags and
 * titles over and over: the latest results are kept.
 */
const recent = new Map<string, string>();
const RECENT = 20_000;

function slugOf(text: string, maxLength: number): string {
  const transliterated = transliterateToSlug(text.normalize("NFC").toLowerCase(), {
    lowercase: true,
    separator: "-",
    // Upper case is allowed here because Chinese comes back capitalised and would be dropped before lower-casing.
    allowedChars: "a-zA-Z0-9",
    replace: KAZAKH,
    trim: true,
  });
  const slug = transliterated
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
  return cutAtWord(slug, maxLength);
}

function cutAtWord(slug: string, maxLength: number): string {
  if (slug.length <= maxLength) return slug;
  // One character more, so a hyphen right at the limit counts as a word boundary.
  const head = slug.slice(0, maxLength + 1);
  const lastHyphen = head.lastIndexOf("-");
  return lastHyphen > 0 ? head.slice(0, lastHyphen) : slug.slice(0, maxLength);
}
