import { badUserInput } from "../../graphql/errors";
import type { ArchiveDay, ArchiveMonth, ArchiveYear } from "../../../resolvers/types/archive";
import type { Reader } from "../reader";

export type ArchiveLocale = "ru" | "kk" | "en";

const MONTHS: Record<ArchiveLocale, string[]> = {
  ru: ["Январь", "Февраль", "Март", "Апрель", "Май", "Июнь", "Июль", "Август", "Сентябрь", "Октябрь", "Ноябрь", "Декабрь"],
  kk: ["Қаңтар", "Ақпан", "Наурыз", "Сәуір", "Мамыр", "Маусым", "Шілде", "Тамыз", "Қыркүйек", "Қазан", "Қараша", "Желтоқсан"],
  en: ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
};

export function monthLabel(month: number, locale: ArchiveLocale): string {
  return MONTHS[locale][month - 1];
}

/** The condition on archive_day's (or archive_month's) columns (`prefix`: its alias and a dot, if any) for the parts of a date that are given; "" when none is. */
export function archiveDaysWhere(date: { year?: number | null; month?: number | null; day?: number | null }, prefix = ""): { sql: string; params: number[] } {
  const parts = (["year", "month", "day"] as const).filter((k) => date[k] !== undefined && date[k] !== null);
  return { sql: parts.map((k) => `${prefix}${k} = ?`).join(" AND "), params: parts.map((k) => date[k] as number) };
}

/**
 * The date archive, newest first, in one statement: from archive_month
 * when the days are not asked for (one row a month), else from archive_day.
 * With year (and month) given, the tree holds only that year (or month).
 * Months read without their days have an empty `days`.
 */
export async function loadArchive(db: Reader, opts: { year?: number | null; month?: number | null; locale: string; days?: boolean }): Promise<ArchiveYear[]> {
  const locale = opts.locale as ArchiveLocale;
  if (!(locale in MONTHS)) throw badUserInput(`locale must be one of ru, kk, en; got "${opts.locale}".`, "locale");
  const { year, month } = opts;
  if (month !== undefined && month !== null) {
    if (year === undefined || year === null) throw badUserInput("month needs a year.", "month");
    if (!Number.isInteger(month) || month < 1 || month > 12) throw badUserInput(`month must be between 1 and 12, got ${month}.`, "month");
  }
  const withDays = opts.days ?? true;
  const where = archiveDaysWhere({ year, month });
  const filter = `article_count > 0${where.sql ? ` AND ${where.sql}` : ""}`;
  const rows = await db.read(
    withDays
      ? `SELECT year, month, day, article_count FROM archive_day WHERE ${filter} ORDER BY year DESC, month DESC, day DESC`
      : `SELECT year, month, article_count FROM archive_month WHERE ${filter} ORDER BY year DESC, month DESC`,
    where.params,
  );
  const years: ArchiveYear[] = [];
  for (const r of rows) {
    const y = Number(r.year);
    const m = Number(r.month);
    const n = Number(r.article_count);
    let yearNode = years[years.length - 1];
    if (!yearNode || yearNode.year !== y) years.push((yearNode = { year: y, count: 0, months: [] }));
    let monthNode = yearNode.months[yearNode.months.length - 1];
    if (!monthNode || monthNode.month !== m) yearNode.months.push((monthNode = { month: m, label: monthLabel(m, locale), count: 0, days: [] }));
    if (withDays) monthNode.days.push({ day: Number(r.day), count: n });
    monthNode.count += n;
    yearNode.count += n;
  }
  return years;
}
