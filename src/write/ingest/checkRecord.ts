import { PageParseError } from "./parsePage";
import type { PageRecord } from "./pageRecord";

// What the parser accepts but the tables cannot hold (column sizes, the
// DATETIME range), refused before anything is written.

const TITLE_CHARS = 1000;
const NAME_CHARS = 255;

function chars(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** More than `limit` characters (code points, never more than UTF-16 units: short strings are not counted). */
function over(s: string, limit: number): boolean {
  return s.length > limit && chars(s) > limit;
}

/** 1-based line of the first line of `text` holding `needle`, or 0 when it is not found. */
function lineOf(source: string | Uint8Array | undefined, needle: string): number {
  if (source === undefined) return 0;
  const text = typeof source === "string" ? source : Buffer.from(source).toString("utf8");
  const lines = text.split(/\r?\n/);
  const i = lines.findIndex((l) => l.normalize("NFC").includes(needle));
  return i + 1;
}

/** `source` is the page as read, used only to name the line of a complaint. */
export function checkRecord(page: PageRecord, file: string, source?: string | Uint8Array): void {
  const fail = (line: number, reason: string): never => {
    throw new PageParseError(file, line, reason);
  };
  const year = Number(page.publishedOn.slice(0, 4));
  if (year < 1000) fail(1, `expected a date from the year 1000 on, got "${page.publishedOn}"`);
  if (over(page.title, TITLE_CHARS)) fail(1, `expected a title of at most ${TITLE_CHARS} characters, got ${chars(page.title)}`);
  if (over(page.authorName, NAME_CHARS)) fail(5, `expected an author's name of at most ${NAME_CHARS} characters`);
  if (page.authorEmail && over(page.authorEmail, NAME_CHARS)) fail(6, `expected an e-mail of at most ${NAME_CHARS} characters`);
  if (page.photoCredit && over(page.photoCredit, NAME_CHARS)) {
    fail(lineOf(source, page.photoCredit), `expected a photo credit of at most ${NAME_CHARS} characters`);
  }
  for (const r of page.rubrics) if (over(r, NAME_CHARS)) fail(3, `expected rubrics of at most ${NAME_CHARS} characters each`);
  for (const h of page.hashtags) {
    if (over(h, NAME_CHARS)) fail(lineOf(source, h), `expected hashtags of at most ${NAME_CHARS} characters each`);
  }
  for (const t of [...page.popular, ...page.readAlso]) {
    if (over(t, TITLE_CHARS)) fail(lineOf(source, t), `expected a listed title of at most ${TITLE_CHARS} characters, got ${chars(t)}`);
  }
}
