import type { Article } from "../../entities";
import { TagKind } from "../../entities";
import { placeholders } from "../db/dialect";
import type { Reader } from "../read/reader";
import { ARTICLE_COLUMNS, type Row, toArticle } from "../read/rows";
import { listedArticleSql } from "../read/viewer";

/** The latest articles a feed lists. */
export const FEED_SIZE = 50;

/** Whose articles a feed lists: the whole site, a rubric, a hashtag or an author. */
export type FeedSubject = { kind: "site" } | { kind: "rubric" | "hashtag" | "author"; slug: string };

export interface FeedTag {
  kind: TagKind;
  name: string;
  slug: string;
}

export interface FeedItem {
  article: Article;
  authorName: string | null;
  /** Rubrics, then hashtags, each in page order. */
  tags: FeedTag[];
}

export interface FeedContent {
  /** The rubric's, hashtag's or author's name; null for the whole site. */
  subjectName: string | null;
  items: FeedItem[];
}

/*
 * One statement reads the subject and its latest listed articles (a missing
 * rubric, hashtag or author gives no row at all, an existing one without
 * articles a row of NULL article columns), a second the items' rubrics and
 * hashtags: two statements whatever the number of items. Listed means the
 * shared list predicate (src/read/viewer.ts): never a draft, a scheduled, a
 * deleted or a stub article.
 */
function itemsSql(subject: FeedSubject, language: string | null): { sql: string; params: unknown[] } {
  const lang = language ? " AND a.language = ?" : "";
  const langParams = language ? [language] : [];
  const columns = `${ARTICLE_COLUMNS}, au.name AS author_name`;
  if (subject.kind === "site") {
    return {
      sql: `SELECT NULL AS subject_name, ${columns} FROM article a LEFT JOIN author au ON au.id = a.author_id
        WHERE ${listedArticleSql()}${lang} ORDER BY a.published_at DESC, a.id DESC LIMIT ${FEED_SIZE}`,
      params: langParams,
    };
  }
  if (subject.kind === "author") {
    return {
      sql: `SELECT s.name AS subject_name, ${columns} FROM author s
        LEFT JOIN article a ON a.author_id = s.id AND ${listedArticleSql()}${lang}
        LEFT JOIN author au ON au.id = a.author_id
        WHERE s.slug = ? ORDER BY a.published_at DESC, a.id DESC LIMIT ${FEED_SIZE}`,
      params: [...langParams, subject.slug],
    };
  }
  // article_tag.listed_at is the publication time while the article is listed (migration 1700000000500).
  return {
    sql: `SELECT s.name AS subject_name, ${columns} FROM tag s
      LEFT JOIN (article_tag at JOIN article a ON a.id = at.article_id AND ${listedArticleSql()}${lang})
        ON at.tag_id = s.id AND at.listed_at IS NOT NULL
      LEFT JOIN author au ON au.id = a.author_id
      WHERE s.kind = ? AND s.slug = ?
      ORDER BY at.listed_at DESC, at.article_id DESC LIMIT ${FEED_SIZE}`,
    params: [...langParams, subject.kind === "rubric" ? TagKind.RUBRIC : TagKind.HASHTAG, subject.slug],
  };
}

/** The feed's content, or null when its rubric, hashtag or author does not exist. */
export async function readFeedContent(db: Reader, subject: FeedSubject, language: string | null): Promise<FeedContent | null> {
  const { sql, params } = itemsSql(subject, language);
  const rows = await db.read(sql, params);
  if (subject.kind !== "site" && rows.length === 0) return null;
  const articleRows = rows.filter((r) => r.id !== null && r.id !== undefined);
  const items: FeedItem[] = articleRows.map((r) => ({ article: toArticle(r), authorName: (r.author_name as string | null) ?? null, tags: [] }));
  if (items.length > 0) {
    const ids = items.map((i) => i.article.id);
    const tags: Row[] = await db.read(
      `SELECT at.article_id, t.kind, t.name, t.slug FROM article_tag at JOIN tag t ON t.id = at.tag_id
       WHERE at.article_id IN (${placeholders(ids.length)}) ORDER BY at.article_id, at.position`,
      ids,
    );
    const byId = new Map(items.map((i) => [i.article.id, i]));
    for (const t of tags) {
      const item = byId.get(Number(t.article_id));
      if (item) item.tags.push({ kind: t.kind as TagKind, name: t.name as string, slug: t.slug as string });
    }
  }
  return { subjectName: subject.kind === "site" ? null : ((rows[0]?.subject_name as string | null) ?? null), items };
}
