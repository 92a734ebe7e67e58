import { TagKind } from "../../../entities";
import { badUserInput } from "../../graphql/errors";
import { toDbTime } from "../../db/time";
import { checkLanguage } from "../../text/language";
import { listedArticleSql } from "../viewer";

/** What a list of articles may be narrowed by; every condition must hold. */
export interface ArticleFilterInput {
  year?: number | null;
  month?: number | null;
  day?: number | null;
  from?: Date | null;
  to?: Date | null;
  rubric?: string | null;
  hashtag?: string | null;
  tags?: ReadonlyArray<{ kind: TagKind; slug: string }> | null;
  author?: string | null;
  /** Language code of the text (see src/text/language.ts). */
  language?: string | null;
}

/** Every tag a filter names (tags, rubric, hashtag); each must be on the article. */
export function filterTags(f: ArticleFilterInput): { kind: TagKind; slug: string }[] {
  return [
    ...(f.tags ?? []),
    ...(f.rubric ? [{ kind: TagKind.RUBRIC, slug: f.rubric }] : []),
    ...(f.hashtag ? [{ kind: TagKind.HASHTAG, slug: f.hashtag }] : []),
  ];
}

/** The UTC [start, end) range a year, month or day names. */
export function calendarRange(year: number, month?: number | null, day?: number | null): [Date, Date] {
  if (!Number.isInteger(year) || year < 1000 || year > 9999) throw badUserInput(`year must be between 1000 and 9999, got ${year}.`, "year");
  if (month !== undefined && month !== null && (!Number.isInteger(month) || month < 1 || month > 12)) {
    throw badUserInput(`month must be between 1 and 12, got ${month}.`, "month");
  }
  if (day !== undefined && day !== null) {
    if (month === undefined || month === null) throw badUserInput("day needs a month.", "day");
    const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
    if (!Number.isInteger(day) || day < 1 || day > days) throw badUserInput(`day must be between 1 and ${days} in ${year}-${String(month).padStart(2, "0")}, got ${day}.`, "day");
    return [new Date(Date.UTC(year, month - 1, day)), new Date(Date.UTC(year, month - 1, day + 1))];
  }
  if (month !== undefined && month !== null) return [new Date(Date.UTC(year, month - 1, 1)), new Date(Date.UTC(year, month, 1))];
  return [new Date(Date.UTC(year, 0, 1)), new Date(Date.UTC(year + 1, 0, 1))];
}

/**
 * WHERE conditions (joined with AND) over alias `a` for listed articles
 * matching the filter. `publishedAt` names the column dates are bounded on
 * (a tag's list bounds article_tag.listed_at, its copy, so that the bound
 * narrows the tag's index).
 */
export function articleFilterSql(
  filter: ArticleFilterInput | null | undefined,
  alias = "a",
  publishedAt = `${alias}.published_at`,
): { where: string; params: unknown[] } {
  const conditions = [listedArticleSql(alias)];
  const params: unknown[] = [];
  const f = filter ?? {};
  if (f.year !== undefined && f.year !== null) {
    const [start, end] = calendarRange(f.year, f.month, f.day);
    conditions.push(`${publishedAt} >= ? AND ${publishedAt} < ?`);
    params.push(toDbTime(start), toDbTime(end));
  } else if ((f.month ?? f.day) !== undefined && (f.month ?? f.day) !== null) {
    throw badUserInput("month and day need a year.", f.month ? "month" : "day");
  }
  if (f.from) {
    conditions.push(`${publishedAt} >= ?`);
    params.push(toDbTime(f.from));
  }
  if (f.to) {
    conditions.push(`${publishedAt} < ?`);
    params.push(toDbTime(f.to));
  }
  for (const tag of filterTags(f)) {
    conditions.push(
      `EXISTS (SELECT 1 FROM article_tag ft JOIN tag t2 ON t2.id = ft.tag_id WHERE ft.article_id = ${alias}.id AND t2.kind = ? AND t2.slug = ?)`,
    );
    params.push(tag.kind, tag.slug);
  }
  if (f.author) {
    conditions.push(`${alias}.author_id = (SELECT au2.id FROM author au2 WHERE au2.slug = ?)`);
    params.push(f.author);
  }
  if (f.language) {
    conditions.push(`${alias}.language = ?`);
    params.push(checkLanguage(f.language, "language"));
  }
  return { where: conditions.join(" AND "), params };
}
