import { GraphQLError } from "graphql";
import { ErrorCode } from "../../graphql/errors";
import { DEFAULT_LANGUAGE, foldWordIn, indexPrefix, indexToken, normalizeWordIn, tokenize, type Token } from "../../text/normalize";

/**
 * The user's search box -> a structured query -> a MATCH string for SQLite FTS5
 * and bound LOCATE needles and posting terms for MariaDB. Nothing the user types reaches an engine as
 * syntax: the parser keeps only words (as normalised tokens) and its own three
 * forms, and the writers quote or prefix those tokens themselves.
 *
 * Syntax: words (all must match), "quoted phrases" (also «…» and “…”), and a
 * trailing * for a prefix (минист*). Everything else is punctuation between
 * words. A quote left open is ignored. A word written with hyphens or
 * apostrophes (культурно-гуманитарных, O'Brien) is searched as a phrase of its
 * parts, which is how the index holds it.
 */

export type TermKind = "word" | "prefix" | "phrase";

export interface QueryTerm {
  kind: TermKind;
  /** Normalised words, or for a prefix the folded, unstemmed prefix. Not index-encoded. */
  tokens: string[];
  /** The term as the user wrote it, without punctuation: words, spaces, quotes and *. */
  raw: string;
}

export interface ParsedQuery {
  terms: QueryTerm[];
  /** The language whose rules normalised the words; snippets normalise the text the same way. */
  language?: string;
}

export const MAX_QUERY_LENGTH = 200;
export const MAX_QUERY_TERMS = 16;
/** A one-letter prefix matches a good part of the index; such a search tells nothing. */
export const MIN_PREFIX_LENGTH = 2;

/** A search the user can fix; BAD_USER_INPUT like any other argument error. */
export class SearchQueryError extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: ErrorCode.BAD_USER_INPUT, argument: "query" } });
    this.name = "SearchQueryError";
  }
}

const QUOTE = /["«»“”„‟]/u;
const SPACE = /[\s\p{Z}\p{Cc}]+/u;
/** Bidi controls and other invisibles would make `raw` display differently from what it holds. */
const INVISIBLE = /[\p{Cf}\p{Cc}]/gu;

/** `language`: whose rules normalise the words (src/text/normalize.ts); the index holds each article by its own. */
export function parseSearchQuery(input: string, language: string = DEFAULT_LANGUAGE): ParsedQuery {
  // Counted in characters, as users count; the UTF-16 check first keeps huge inputs cheap.
  if (input.length > MAX_QUERY_LENGTH * 2 || Array.from(input).length > MAX_QUERY_LENGTH) {
    throw new SearchQueryError(`query must be at most ${MAX_QUERY_LENGTH} characters.`);
  }
  // Keyed by kind and tokens, so a repeated word does not count twice against the limit.
  const terms = new Map<string, QueryTerm>();
  const add = (term: QueryTerm | null): void => {
    const key = term && `${term.kind}:${term.tokens.join(" ")}`;
    if (term && key && !terms.has(key)) terms.set(key, term);
  };
  // Even pieces lie outside quotes, odd ones inside; an odd last quote has no partner.
  const pieces = input.split(QUOTE);
  if (pieces.length % 2 === 0) {
    const afterOpenQuote = pieces.pop();
    pieces[pieces.length - 1] += " " + afterOpenQuote;
  }
  pieces.forEach((piece, i) => {
    if (i % 2 === 1) add(phraseOrWord(tokenize(piece), language));
    else for (const chunk of piece.split(SPACE)) chunkTerms(chunk, language).forEach(add);
  });
  if (terms.size === 0) throw new SearchQueryError("query must contain a word to search for.");
  if (terms.size > MAX_QUERY_TERMS) {
    throw new SearchQueryError(`query must have at most ${MAX_QUERY_TERMS} words or phrases, got ${terms.size}.`);
  }
  return language === DEFAULT_LANGUAGE ? { terms: [...terms.values()] } : { terms: [...terms.values()], language };
}

/** The terms of one space-separated chunk outside quotes. */
function chunkTerms(chunk: string, language: string): QueryTerm[] {
  const tokens = tokenize(chunk);
  const last = tokens.at(-1);
  if (!last || chunk[last.end] !== "*") return [phraseOrWord(tokens, language)].filter((t) => t !== null);
  // "культурно-гум*": the words before the prefix are required too, but not adjacent to it.
  return [phraseOrWord(tokens.slice(0, -1), language), prefixTerm(last, language)].filter((t) => t !== null);
}

function phraseOrWord(tokens: Token[], language: string): QueryTerm | null {
  const words = tokens.map((t) => ({ raw: rawWord(t.word), stem: normalizeWordIn(t.word, language) })).filter((w) => w.stem);
  if (words.length === 0) return null;
  if (words.length === 1) return { kind: "word", tokens: [words[0].stem], raw: words[0].raw };
  return { kind: "phrase", tokens: words.map((w) => w.stem), raw: `"${words.map((w) => w.raw).join(" ")}"` };
}

/*
 * A prefix is folded like a word but not stemmed: a stem of "минист" would be
 * a guess. It is matched against stored stems, so a prefix longer than a
 * word's stem misses that word ("министра*" does not find "министр").
 */
function prefixTerm(token: Token, language: string): QueryTerm | null {
  const prefix = foldWordIn(token.word, language);
  if (!prefix) return null;
  if (Array.from(prefix).length < MIN_PREFIX_LENGTH) {
    throw new SearchQueryError(`a prefix search needs at least ${MIN_PREFIX_LENGTH} letters or digits before *, got "${rawWord(token.word)}*".`);
  }
  return { kind: "prefix", tokens: [prefix], raw: `${rawWord(token.word)}*` };
}

function rawWord(word: string): string {
  return word.normalize("NFC").replace(INVISIBLE, "");
}

/*
 * The writers below re-encode every token with indexToken/indexPrefix, which
 * keep only letters, digits and "_", so even a hand-built ParsedQuery cannot
 * put a quote or an operator into the output.
 */

/**
 * Whether a text must hold every term (the search itself) or any of them
 * (used to rank: does the title hold some of the query?).
 */
export type TermsNeeded = "all" | "any";

/** FTS5 MATCH over the normalised column: "a" AND "b c" AND "pre"* (OR for "any"). */
export function toFts5Match(query: ParsedQuery, needed: TermsNeeded = "all"): string {
  return encodedTerms(query)
    .map(({ kind, tokens }) => (kind === "prefix" ? `"${tokens[0]}"*` : `"${tokens.join(" ")}"`))
    .join(needed === "all" ? " AND " : " OR ");
}

/** The terms with their tokens in the index's encoding; terms left with no token are dropped. */
export function encodedTerms(query: ParsedQuery): Array<{ kind: TermKind; tokens: string[] }> {
  const encoded = query.terms
    .map(({ kind, tokens }) => ({
      kind,
      tokens: (kind === "prefix" ? tokens.slice(0, 1).map(indexPrefix) : tokens.map(indexToken)).filter(Boolean),
    }))
    .filter((term) => term.tokens.length > 0);
  if (encoded.length === 0) throw new SearchQueryError("query must contain a word to search for.");
  return encoded;
}
