import type { PageRecord } from "./pageRecord";

// Writes a page record in the crawler's format (FORMAT.md beside this file),
// laid out line for line like the reference page, including the no-break
// space that ends its body and the archive template.

const ARCHIVE_TEMPLATE = ["  • [[year]]", "  • [[month.label]]", "  • [[day]]"];

export function formatPage(page: PageRecord): string {
  const lines = [
    ` date ${page.publishedOn} ${page.title}`,
    "",
    page.rubrics.join(","),
    String(page.views),
    page.authorName,
    page.authorEmail ?? "",
    "",
  ];
  if (page.lead !== "") lines.push(page.lead, "");
  if (page.photoCredit !== null) lines.push(`Фото: ${page.photoCredit}`, "");
  for (const p of page.paragraphs) lines.push(p, "");
  lines.push("\u00A0", "", page.hashtags.map((h) => `#${h}`).join(" "), "");
  if (page.language !== undefined) lines.push(`language ${page.language}`);
  for (const t of page.translations ?? []) lines.push(`translation ${t.language} ${t.title}`);
  if (page.language !== undefined || page.translations?.length) lines.push("");
  lines.push("Популярное", "", "Все", ...page.popular, "");
  lines.push("Читайте также", "", ...page.readAlso, "");
  lines.push("Архив", "", ...ARCHIVE_TEMPLATE);
  return lines.join("\n");
}
