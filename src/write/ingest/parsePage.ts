import { SITE_LANGUAGES } from "../../text/language";
import type { PageRecord } from "./pageRecord";

// Reads one crawled page as FORMAT.md (beside this file) describes it. The
// header (lines 1-6) is read by position, so every complaint can name its
// line; from the lead on, blank lines may come and go.

/** Real pages are about 20 KB; anything this big is not a page. */
export const MAX_PAGE_BYTES = 2 * 1024 * 1024;

/** The only error parsePage throws. Line 0 means the file as a whole. */
export class PageParseError extends Error {
  readonly file: string;
  readonly line: number;

  constructor(file: string, line: number, reason: string) {
    super(`${file}:${line}: ${reason}`);
    this.name = "PageParseError";
    this.file = file;
    this.line = line;
  }
}

const DATE_LINE = /^\s*date\s+(\d{4})-(\d{2})-(\d{2})(?:\s+(.*))?$/s;
const VIEWS = /^(?:\d+|\d{1,3}(?:\s\d{3})+)$/;
const EMAIL = /^[^\s@]+@[^\s@]+$/;
const PHOTO_CREDIT = /^фото\s*:(.*)$/is;
const HEADINGS: ReadonlyMap<string, Section> = new Map([
  ["популярное", "popular"],
  ["читайте также", "readAlso"],
  ["архив", "archive"],
]);
type Section = "popular" | "readAlso" | "archive";

/** Decodes a page file as strict UTF-8, refusing oversized and binary files before reading them. */
export function parsePageBuffer(buf: Buffer, fileName = "page.txt"): PageRecord {
  if (!(buf instanceof Uint8Array)) throw new PageParseError(fileName, 0, "not a file's bytes");
  if (buf.length > MAX_PAGE_BYTES) throw tooLarge(fileName, buf.length);
  if ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff)) {
    throw new PageParseError(fileName, 0, "not UTF-8 text (it starts with a UTF-16 byte order mark)");
  }
  if (buf.indexOf(0) !== -1) throw new PageParseError(fileName, 0, "not a text file (it holds NUL bytes)");
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(buf);
  } catch {
    throw new PageParseError(fileName, lineOfFirstBadByte(buf), "not UTF-8 text");
  }
  return parsePage(text, fileName);
}

export function parsePage(text: string, fileName = "page.txt"): PageRecord {
  try {
    return new PageReader(checkedText(text, fileName), fileName).read();
  } catch (e) {
    if (e instanceof PageParseError) throw e;
    // Callers import thousands of pages and rely on one error type to skip a bad one.
    throw new PageParseError(fileName, 0, `could not be read (${e instanceof Error ? e.message : String(e)})`);
  }
}

/** String.prototype.isWellFormed (Node 20; not in this TypeScript lib): no unpaired surrogates, checked natively. */
function wellFormed(text: string): boolean {
  const native = (text as unknown as { isWellFormed?: () => boolean }).isWellFormed;
  return native ? native.call(text) : !/[\uD800-\uDFFF]/u.test(text);
}

function checkedText(text: string, file: string): string {
  if (typeof text !== "string") throw new PageParseError(file, 0, "not text");
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > MAX_PAGE_BYTES) throw tooLarge(file, bytes);
  if (text.includes("\0")) throw new PageParseError(file, 0, "not a text file (it holds NUL characters)");
  // In u-mode only unpaired surrogates match; they have no UTF-8 form and utf8mb4 columns refuse them.
  const lone = wellFormed(text) ? null : /[\uD800-\uDFFF]/u.exec(text);
  if (lone) throw new PageParseError(file, lineAt(text, lone.index), "not UTF-8 text (an unpaired surrogate)");
  return (text.startsWith("\uFEFF") ? text.slice(1) : text).normalize("NFC");
}

function tooLarge(file: string, bytes: number): PageParseError {
  return new PageParseError(file, 0, `the file is ${bytes} bytes, over the ${MAX_PAGE_BYTES}-byte limit for a page`);
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < index; i = text.indexOf("\n", i + 1)) line++;
  return line;
}

/** The valid prefix of the bytes survives a lossy decode and re-encode unchanged; the first difference is the bad byte. */
function lineOfFirstBadByte(buf: Uint8Array): number {
  const lossy = Buffer.from(new TextDecoder("utf-8", { ignoreBOM: true }).decode(buf), "utf8");
  let bad = 0;
  while (bad < buf.length && lossy[bad] === buf[bad]) bad++;
  let line = 1;
  for (let i = 0; i < bad; i++) if (buf[i] === 0x0a) line++;
  return line;
}

function isBlank(line: string): boolean {
  return line.trim() === "";
}

const HEADING_INITIALS = new Set([...HEADINGS.keys()].map((h) => h[0]));

function headingOf(line: string): Section | undefined {
  const text = line.trim();
  // Most lines are paragraphs, which seldom start like a heading: those are not folded.
  if (text === "" || !HEADING_INITIALS.has(text[0].toLowerCase()[0])) return undefined;
  return HEADINGS.get(text.replace(/\s+/g, " ").toLowerCase());
}

function isHashtagLine(line: string): boolean {
  return line.trimStart().startsWith("#");
}

/** "language kk" (the page's own) and "translation en <title>" (the story in another language); see FORMAT.md. */
const LANGUAGE_LINE = /^\s*language\s+(\S+)\s*$/;
const TRANSLATION_LINE = /^\s*translation\s+(\S+)\s+(.*\S)\s*$/;

function isLanguageLine(line: string): boolean {
  return LANGUAGE_LINE.test(line) || TRANSLATION_LINE.test(line);
}

/** Lines that may follow the body: hashtags, then the language lines. */
function isTailLine(line: string): boolean {
  return isHashtagLine(line) || isLanguageLine(line);
}

/** A hashtag runs from "#" to the next " #" or the end of the line, so it may hold spaces. */
function hashtagsOf(line: string): string[] {
  return line
    .trim()
    .split(/\s#/)
    .map((tag) => tag.replace(/^#+/, "").trim())
    .filter((tag) => tag !== "");
}

/** Shows an offending line in a message: quoted, escaped, and short. */
function shown(line: string): string {
  const text = line.trim();
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}

function isRealDate(year: number, month: number, day: number): boolean {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return month >= 1 && month <= 12 && day >= 1 && day <= days[month - 1];
}

class PageReader {
  private readonly lines: string[];
  /** nextContent[i]: the first non-blank line at or after i (lines.length if none), so look-aheads stay linear. */
  private readonly nextContent: Int32Array;

  constructor(
    text: string,
    private readonly file: string,
  ) {
    this.lines = text.split(/\r?\n/);
    if (this.lines.length > 1 && this.lines[this.lines.length - 1] === "") this.lines.pop();
    this.nextContent = new Int32Array(this.lines.length + 1);
    this.nextContent[this.lines.length] = this.lines.length;
    for (let i = this.lines.length - 1; i >= 0; i--) {
      this.nextContent[i] = isBlank(this.lines[i]) ? this.nextContent[i + 1] : i;
    }
  }

  read(): PageRecord {
    if (this.lines.every(isBlank)) this.fail(1, 'expected " date YYYY-MM-DD <title>", got an empty file');
    const { title, publishedOn } = this.dateAndTitle();
    if (!isBlank(this.line(2, "a blank line after the date line"))) {
      this.fail(2, `expected a blank line after the date line, got ${shown(this.lines[1])}`);
    }
    const rubrics = this.line(3, "the rubrics line").split(",").map((r) => r.trim()).filter((r) => r !== "");
    const views = this.views();
    const authorName = this.line(5, "the author's name").trim();
    if (authorName === "") this.fail(5, "expected the author's name, got a blank line");
    const authorEmail = this.email();

    const end = this.lines.length;
    let at = this.next(6);
    if (at === end) this.fail(end + 1, "expected the lead paragraph, got the end of the file");
    const leadLines = this.startsBody(this.lines[at]) ? [] : this.paragraphAt(at, end, true);
    const lead = leadLines.join("\n");
    at += leadLines.length;

    let photoCredit: string | null = null;
    const credit = PHOTO_CREDIT.exec((this.lines[this.next(at)] ?? "").trim());
    if (credit) {
      photoCredit = credit[1].trim() || null;
      at = this.next(at) + 1;
    }

    const bodyEnd = this.bodyEnd(at);
    const paragraphs: string[] = [];
    for (let i = this.next(at); i < bodyEnd; i = this.next(i)) {
      const lines = this.paragraphAt(i, bodyEnd, false);
      paragraphs.push(lines.join("\n"));
      i += lines.length;
    }

    return { title, publishedOn, rubrics, views, authorName, authorEmail, lead, photoCredit, paragraphs, ...this.tail(bodyEnd) };
  }

  private fail(line: number, reason: string): never {
    throw new PageParseError(this.file, line, reason);
  }

  /** Line `n` (1-based) of the header, which must be there. */
  private line(n: number, what: string): string {
    if (n > this.lines.length) this.fail(n, `expected ${what}, got the end of the file`);
    return this.lines[n - 1];
  }

  /** Index of the first non-blank line at or after index i (lines.length if none). */
  private next(i: number): number {
    return this.nextContent[Math.min(i, this.lines.length)];
  }

  private dateAndTitle(): { title: string; publishedOn: string } {
    const m = DATE_LINE.exec(this.lines[0]);
    if (!m) this.fail(1, `expected " date YYYY-MM-DD <title>", got ${shown(this.lines[0])}`);
    const publishedOn = `${m[1]}-${m[2]}-${m[3]}`;
    if (!isRealDate(Number(m[1]), Number(m[2]), Number(m[3]))) {
      this.fail(1, `expected a real calendar date after "date", got "${publishedOn}"`);
    }
    const title = (m[4] ?? "").trim();
    if (title === "") this.fail(1, "expected a title after the date, got nothing");
    return { title, publishedOn };
  }

  private views(): number {
    const raw = this.line(4, "a view count").trim();
    const views = VIEWS.test(raw) ? Number(raw.replace(/\s/g, "")) : NaN;
    if (!Number.isSafeInteger(views)) this.fail(4, `expected a view count (a whole number), got ${shown(raw)}`);
    return views;
  }

  private email(): string | null {
    const raw = (this.lines[5] ?? "").trim();
    if (raw === "") return null;
    if (!EMAIL.test(raw)) this.fail(6, `expected the author's e-mail or a blank line, got ${shown(raw)}`);
    return raw;
  }

  /** True for a line that cannot open the lead: the photo credit or anything that ends the body. */
  private startsBody(line: string): boolean {
    return PHOTO_CREDIT.test(line.trim()) || headingOf(line) !== undefined || isTailLine(line);
  }

  /** The trimmed lines of the paragraph at index i: up to a blank line or `end`; the lead also stops at the photo credit. */
  private paragraphAt(i: number, end: number, stopAtCredit: boolean): string[] {
    const lines: string[] = [];
    for (let j = i; j < end && !isBlank(this.lines[j]); j++) {
      if (stopAtCredit && j > i && PHOTO_CREDIT.test(this.lines[j].trim())) break;
      lines.push(this.lines[j].trim());
    }
    return lines;
  }

  /**
   * Index of the first line after the body. Blank lines between paragraphs
   * are empty; the body ends at a line of only white space, but only if what
   * follows it is hashtags, a section or the end, because a stray space on a
   * separating line must not cut the article short. Without that line, the
   * body ends at the hashtags or at a section heading.
   */
  private bodyEnd(from: number): number {
    for (let i = from; i < this.lines.length; i++) {
      const line = this.lines[i];
      if (headingOf(line) !== undefined) return i;
      const mayEnd = isBlank(line) ? line !== "" : isTailLine(line);
      if (mayEnd && this.closesBody(this.next(i + 1))) return i;
    }
    return this.lines.length;
  }

  private closesBody(next: number): boolean {
    return next === this.lines.length || headingOf(this.lines[next]) !== undefined || isTailLine(this.lines[next]);
  }

  /** Hashtag lines, then the sections, each running to the next heading. */
  private tail(from: number): Pick<PageRecord, "hashtags" | "popular" | "readAlso" | "language" | "translations"> {
    const hashtags: string[] = [];
    const languages: Pick<PageRecord, "language" | "translations"> = {};
    const lists: Record<Section, string[] | null> = { popular: null, readAlso: null, archive: null };
    let current: Section | null = null;
    for (let i = this.next(from); i < this.lines.length; i = this.next(i + 1)) {
      const line = this.lines[i];
      const heading = headingOf(line);
      if (heading) {
        if (lists[heading]) this.fail(i + 1, `expected one "${line.trim()}" section, got a second`);
        lists[heading] = [];
        current = heading;
      } else if (current) {
        lists[current]?.push(line.trim());
      } else if (isHashtagLine(line)) {
        hashtags.push(...hashtagsOf(line));
      } else if (isLanguageLine(line)) {
        this.languageLine(line, i + 1, languages);
      } else {
        this.fail(i + 1, `expected hashtags or a section heading (Популярное, Читайте также, Архив), got ${shown(line)}`);
      }
    }
    const popular = lists.popular ?? [];
    // "Все" is the label of the list's only tab, not an article.
    if (popular[0] === "Все") popular.shift();
    const own = languages.language ?? "ru";
    if (languages.translations?.some((t) => t.language === own)) this.fail(this.lines.length, `expected translations into languages other than the page's own (${own})`);
    return { hashtags, popular, readAlso: lists.readAlso ?? [], ...languages };
  }

  private languageLine(line: string, n: number, out: Pick<PageRecord, "language" | "translations">): void {
    const own = LANGUAGE_LINE.exec(line);
    const code = (own ?? TRANSLATION_LINE.exec(line))![1];
    if (!(SITE_LANGUAGES as readonly string[]).includes(code)) this.fail(n, `expected a language code (${SITE_LANGUAGES.join(", ")}), got ${shown(code)}`);
    if (own) {
      if (out.language !== undefined) this.fail(n, 'expected one "language" line, got a second');
      out.language = code;
      return;
    }
    const title = TRANSLATION_LINE.exec(line)![2].trim();
    if ((out.translations ?? []).some((t) => t.language === code)) this.fail(n, `expected one "translation ${code}" line, got a second`);
    (out.translations ??= []).push({ language: code, title });
  }
}
