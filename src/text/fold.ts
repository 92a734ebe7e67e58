// Titles name articles across pages: a page's own title, its "Популярное"
// list and its cut-off "Читайте также" list spell the same title with
// different spaces, quotes, case and ё/е. foldTitle is the one key all of
// them are compared by; it is stored in article.title_key.

/** article.title_key is varchar(191): utf8mb4 index prefixes stop at 767 bytes. */
export const TITLE_KEY_LENGTH = 191;

// Soft hyphens and zero-width characters come with crawled text and are invisible.
const INVISIBLE = /[\u00AD\u200B-\u200D\u2060\uFEFF]/g;
const QUOTES = /[«»‹›“”„‟"'‘’‚]/g;

/** Everything but the ellipsis and the length cut; \s covers U+00A0, U+2007 and U+202F. */
function foldText(s: string): string {
  return (
    s
      .normalize("NFC")
      .toLowerCase()
      .replace(/ё/g, "е")
      // Final sigma depends on what follows, so a cut-off title would fold differently.
      .replace(/ς/g, "σ")
      .replace(INVISIBLE, "")
      .replace(QUOTES, "")
      .replace(/\s+/g, " ")
      .trim()
  );
}

/** Length of the trailing "…" or "..." (or a longer run of dots) of folded text; 0 if none. */
function ellipsisLength(folded: string): number {
  if (folded.endsWith("…")) return 1;
  let dots = 0;
  // A loop rather than /\.{3,}$/, which backtracks quadratically on long runs of dots.
  while (dots < folded.length && folded[folded.length - 1 - dots] === ".") dots++;
  return dots >= 3 ? dots : 0;
}

/** Cut to TITLE_KEY_LENGTH code points (MySQL counts characters, not UTF-16 units). */
function toKeyLength(s: string): string {
  if (s.length <= TITLE_KEY_LENGTH) return s;
  let units = 0;
  let points = 0;
  for (const ch of s) {
    if (points === TITLE_KEY_LENGTH) break;
    units += ch.length;
    points++;
  }
  // trimEnd keeps any shorter folded prefix of this title a prefix of its key.
  return s.slice(0, units).trimEnd();
}

function withoutEllipsis(folded: string): string {
  return folded.slice(0, folded.length - ellipsisLength(folded)).trimEnd();
}

/** The key titles are matched by: white space, quotes, case, ё/е and a trailing ellipsis folded away. */
export function foldTitle(title: string): string {
  return toKeyLength(withoutEllipsis(foldText(title)));
}

/** True when the title was cut off by the site and ends in "…" or "...". */
export function isCutOff(title: string): boolean {
  return ellipsisLength(foldText(title)) > 0;
}

/**
 * The folded part of a cut-off title before its ellipsis: the key of the
 * full title starts with it. Null when the title is not cut off, or when
 * nothing stands before the ellipsis (an empty prefix would match anything).
 */
export function cutOffPrefix(title: string): string | null {
  const folded = foldText(title);
  if (ellipsisLength(folded) === 0) return null;
  const prefix = toKeyLength(withoutEllipsis(folded));
  return prefix === "" ? null : prefix;
}
