import { newStemmer } from "snowball-stemmers";

/**
 * The text side of full-text search: words of a text with their offsets, and
 * the normalised form of each word that both the index and the queries use.
 * The index stores `normalizeText(body)`; a query is normalised word by word
 * with the same functions, so a word and a query for it meet in one form.
 */

export interface Token {
  /** The word as it stands in the text. */
  word: string;
  /** [start, end) in UTF-16 code units of the original text. */
  start: number;
  end: number;
}

/*
 * A word is a run of letters and digits of any script. Combining marks and
 * invisible format characters (soft hyphen, zero-width joiners) stay inside a
 * word because readers do not see them as breaks. Hyphens and apostrophes
 * break words, so "культурно-гуманитарных" and "O'Brien" give two words each:
 * either part finds the text, and the whole form is searched as a phrase.
 * Modifier-letter apostrophes (U+02B9..U+02BC) are letters to Unicode but
 * apostrophes to writers, so they break words too.
 */
const APOSTROPHE_LETTER = String.raw`[\u02B9-\u02BC]`;
const START = String.raw`(?!${APOSTROPHE_LETTER})[\p{L}\p{N}]`;
const INSIDE = String.raw`(?!${APOSTROPHE_LETTER})[\p{L}\p{N}\p{M}\p{Cf}]`;
// A trailing invisible character belongs to what follows, not to the word.
const LAST = String.raw`(?!${APOSTROPHE_LETTER})[\p{L}\p{N}\p{M}]`;
const WORD = new RegExp(`${START}(?:${INSIDE}*${LAST})?`, "gu");

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const m of text.matchAll(WORD)) {
    tokens.push({ word: m[0], start: m.index, end: m.index + m[0].length });
  }
  return tokens;
}

const russian = newStemmer("russian");
const CYRILLIC = /\p{Script=Cyrillic}/u;
/*
 * Letters Kazakh has and Russian lacks. The Russian stemmer would cut Kazakh
 * words at Russian-looking endings, so such words are only folded, which
 * also keeps prefix search ("қазақстан*") working on them.
 */
const KAZAKH = /[әғқңөұүһі]/u;
const NOT_WORD = new RegExp(String.raw`[^\p{L}\p{N}]|${APOSTROPHE_LETTER}`, "gu");

/**
 * One word -> its search form. Cyrillic words: lower case, ё->е, Russian
 * Snowball stem, then `settleStem`. Latin and other words are lower-cased
 * only, not English-stemmed: Latin text in this corpus is names, brands and
 * domains (Kazpravda, Imanbek, Backstreet Boys, gov.kz), where English suffix
 * rules merge unrelated names and users search for the exact spelling.
 * Digits stay as they are. Returns "" for a word with no letter or digit.
 *
 * Kazakh text (language "kk") has its own rules: every word is folded
 * (`foldWord`) and kept whole. No maintained Kazakh stemmer is published on
 * the npm registry, and the Russian one would cut Kazakh words at endings
 * that only look Russian ("бала" -> "бал"), so Kazakh is searched by exact
 * words with case folding.
 */
export function normalizeWord(word: string): string {
  let stem = stems.get(word);
  if (stem === undefined) {
    if (stems.size >= MAX_CACHED_STEMS) stems.clear();
    const folded = foldWord(word);
    stem = !CYRILLIC.test(folded) || KAZAKH.test(folded) ? folded : settleStem(russian.stem(folded));
    stems.set(word, stem);
  }
  return stem;
}

/*
 * snowball-stemmers is a transpiled Java port that spends about 0.1 ms per
 * word, which would make indexing 100,000 articles take half an hour. Words
 * repeat heavily (a year of news has a few hundred thousand distinct forms),
 * so each word's search form is remembered; the bound keeps a server's
 * memory flat, and clearing all at once is cheaper than tracking recency.
 */
const MAX_CACHED_STEMS = 200_000;
const stems = new Map<string, string>();

/**
 * Lower case, ё->е, letters and digits only: a word before stemming, or a
 * prefix. Kazakh letters keep their identity (қ is not к, ү is not у, і is
 * not и): toLowerCase maps each capital to its own small letter
 * (Ә->ә, Ғ->ғ, Қ->қ, Ң->ң, Ө->ө, Ұ->ұ, Ү->ү, Һ->һ, І->і).
 */
export function foldWord(word: string): string {
  // NFKC folds full-width and ligature forms; toLowerCase is locale-free.
  return word.normalize("NFKC").toLowerCase().replace(/ё/g, "е").replace(NOT_WORD, "");
}

/** foldWord, and for Kazakh the Latin look-alikes inside Cyrillic words put right (below). */
export function foldWordIn(word: string, language: string): string {
  const folded = foldWord(word);
  return language === KAZAKH_LANGUAGE && CYRILLIC.test(folded) ? folded.replace(LATIN_LOOKALIKE, (c) => KAZAKH_OF_LATIN[c]) : folded;
}

/** One word of a text in `language` -> its search form: Kazakh words folded whole, others as normalizeWord. */
export function normalizeWordIn(word: string, language: string): string {
  return language === KAZAKH_LANGUAGE ? foldWordIn(word, language) : normalizeWord(word);
}

/** Text of an unknown or other language is normalised the Russian way, as all text was before languages were told apart. */
export const DEFAULT_LANGUAGE = "ru";
export const KAZAKH_LANGUAGE = "kk";

/*
 * Kazakh typed on a keyboard without the Kazakh layout borrows Latin letters
 * that look like the Kazakh ones: i for і, h for һ, ə (schwa) for ә, ɵ for ө.
 * Inside a Cyrillic word they can only mean the Kazakh letter, so Kazakh
 * words are indexed and searched with them put right ("бiлiм" = "білім").
 */
const KAZAKH_OF_LATIN: Record<string, string> = { i: "і", h: "һ", "ə": "ә", "ɵ": "ө" };
const LATIN_LOOKALIKE = /[ihəɵ]/gu;

/*
 * Snowball reads the -ов/-ев of a surname and the -ан of a name as endings,
 * so the nominative loses them and the other cases keep them:
 * Тлендиев -> "тленд" but Тлендиева -> "тлендиев"; Казахстан -> "казахста"
 * but Казахстане -> "казахстан". Stemming such a stem again makes every form
 * agree ("тлендиев" -> "тленд"). It runs only on stems that end so, and it
 * can only merge, never split: equal stems stay equal. The price is a few
 * merges of related words (любовь with любой, готовый with готы), which a
 * search can afford better than missing a name in half its cases.
 */
const SPLIT_ENDING = /(?:[ео]в|[ая]н)$/u;

function settleStem(stem: string): string {
  let current = stem;
  while (SPLIT_ENDING.test(current)) {
    const next = russian.stem(current);
    if (next === current) break;
    current = next;
  }
  return current;
}

/*
 * MariaDB InnoDB FULLTEXT skips words shorter than innodb_ft_min_token_size
 * (3), longer than innodb_ft_max_token_size (84) and the default stopwords;
 * worse, a required `+word` of that kind makes MATCH return nothing at all.
 * So every token is stored and searched in an encoded form:
 *  - shorter than 3 characters: padded with "_" to 3 ("и" -> "и__", "25" -> "25_");
 *  - an InnoDB default stopword: one "_" appended ("the" -> "the_");
 *  - longer than 84 characters: cut to 84.
 * "_" is a word character to InnoDB (and to FTS5 with tokenchars '_'), and
 * normalised words never contain it, so the encoding cannot collide with a
 * real word. The same form goes into both engines' index text and queries.
 * MariaDB's search no longer uses FULLTEXT (kept postings and the text
 * itself, src/write/derived/searchPostings.ts), but the encoding stays: it
 * is what every stored index text and posting holds, on both engines.
 */
export const MIN_TOKEN_LENGTH = 3;
export const MAX_TOKEN_LENGTH = 84;

const INNODB_STOPWORDS = new Set(
  ("a about an are as at be by com de en for from how i in is it la of on or " +
    "that the this to was what when where who will with und www").split(" "),
);

export function indexToken(stem: string): string {
  const chars = Array.from(stem.replace(NOT_WORD, "")).slice(0, MAX_TOKEN_LENGTH);
  if (chars.length === 0) return "";
  const token = chars.join("");
  if (chars.length < MIN_TOKEN_LENGTH) return token + "_".repeat(MIN_TOKEN_LENGTH - chars.length);
  return INNODB_STOPWORDS.has(token) ? token + "_" : token;
}

/** A prefix is matched against encoded tokens as it is, only cut like them. */
export function indexPrefix(prefix: string): string {
  return Array.from(prefix.replace(NOT_WORD, "")).slice(0, MAX_TOKEN_LENGTH).join("");
}

/** The index text of `text` in `language`: its normalised, encoded words joined by spaces. */
export function normalizeText(text: string, language: string = DEFAULT_LANGUAGE): string {
  const cache = language === KAZAKH_LANGUAGE ? kazakhTokens : otherTokens;
  const out: string[] = [];
  // The words alone (match, not matchAll: no match object per word, an import normalises millions).
  for (const word of text.match(WORD) ?? []) {
    let token = cache.get(word);
    if (token === undefined) {
      if (cache.size >= MAX_CACHED_STEMS) cache.clear();
      const stem = normalizeWordIn(word, language);
      token = stem ? indexToken(stem) : "";
      cache.set(word, token);
    }
    if (token) out.push(token);
  }
  return out.join(" ");
}

/*
 * Each word's encoded token, remembered as its stem is (normalizeWord): an
 * import normalises every article's text, and its words repeat. Kazakh and
 * other text fold a word differently, so each has its own map.
 */
const kazakhTokens = new Map<string, string>();
const otherTokens = new Map<string, string>();
