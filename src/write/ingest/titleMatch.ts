import type { EntityManager } from "typeorm";
import { ArticleStatus } from "../../../entities";
import { dialectOf, placeholders } from "../../db/dialect";
import { fromDbTime } from "../../db/time";
import { cutOffPrefix, foldTitle, isCutOff } from "../../text/fold";

/** What title resolution needs to know about an article already in the database. */
export interface KnownArticle {
  id: number;
  title: string;
  key: string;
  status: ArticleStatus;
  publishedAt: Date | null;
  /** A STUB whose title the site cut off ("…"): its key is only a prefix of the real title's key. */
  cutOffStub: boolean;
  views: number;
  lead: string | null;
  body: string | null;
  photoCredit: string | null;
  authorId: number | null;
  slug: string;
  path: string;
  language: string;
}

/** A title as a list printed it, with the key it is matched by. */
export interface ListedTitle {
  title: string;
  cutOff: boolean;
  /** foldTitle for a full title; the folded part before "…" for a cut-off one. */
  key: string;
}

/** Null for a title that is nothing but an ellipsis: it names no article. */
export function listedTitle(title: string): ListedTitle | null {
  if (isCutOff(title)) {
    const prefix = cutOffPrefix(title);
    return prefix === null ? null : { title, cutOff: true, key: prefix };
  }
  const key = foldTitle(title);
  return key === "" ? null : { title, cutOff: false, key };
}

/** Finds articles the way articlesByKey does: from the database, or from a group's articles held in memory (articleMirror.ts). */
export type ArticleLookup = (keys: Iterable<string>, prefixes: Iterable<string>, opts?: { cutOffStubsOnly?: boolean }) => Promise<KnownArticle[]>;

/** The cut-off stubs whose key is a prefix of one of `keys` (full titles new to the database complete them), by id. */
export type CompletableStubs = (keys: readonly string[]) => Promise<KnownArticle[]>;

/** CompletableStubs asked of a lookup: the stubs the keys' prefixes can reach, then those the keys really start with. */
export function completableStubsOf(lookup: ArticleLookup): CompletableStubs {
  return async (keys) => {
    const q = completableStubQuery(keys);
    return (await lookup(q.keys, q.prefixes, { cutOffStubsOnly: true })).filter((s) => s.cutOffStub && keys.some((k) => k.startsWith(s.key)));
  };
}

const COLUMNS = "a.id, a.title, a.title_key, a.status, a.published_at, a.views, a.photo_credit, a.author_id, a.slug, a.path, a.language";
/** The text, read only when asked for: a group reads thousands of articles it only matches titles against. */
const CONTENT = "a.lead, a.body";

/**
 * Articles whose key equals one of `keys` or starts with one of `prefixes`,
 * in one statement over the title_key index. MariaDB compares through its
 * case-insensitive collation and SQLite has no indexed LIKE, so the SQL
 * fetches a superset (MariaDB) or a binary range (SQLite) and the exact
 * comparison is made here.
 */
export async function articlesByKey(
  m: EntityManager,
  keys: Iterable<string>,
  prefixes: Iterable<string>,
  opts: { cutOffStubsOnly?: boolean; withoutContent?: boolean } = {},
): Promise<KnownArticle[]> {
  const exact = [...new Set(keys)];
  const starts = [...new Set(prefixes)];
  if (exact.length === 0 && starts.length === 0) return [];
  const mysql = dialectOf(m) === "mysql";
  const terms: string[] = [];
  const params: unknown[] = [];
  if (exact.length > 0) {
    terms.push(`a.title_key IN (${placeholders(exact.length)})`);
    params.push(...exact);
  }
  for (const p of starts) {
    if (mysql) {
      terms.push("a.title_key LIKE ? ESCAPE '!'");
      params.push(`${p.replace(/[!%_]/g, "!$&")}%`);
    } else {
      // SQLite orders text by its UTF-8 bytes, so every key starting with p sorts in [p, p + U+10FFFF).
      terms.push("(a.title_key >= ? AND a.title_key < ?)");
      params.push(p, `${p}\u{10FFFF}`);
    }
  }
  const stubs = opts.cutOffStubsOnly ? `a.status = '${ArticleStatus.STUB}' AND ` : "";
  const columns = opts.withoutContent ? `${COLUMNS}, NULL AS lead, NULL AS body` : `${COLUMNS}, ${CONTENT}`;
  const rows = await m.query(`SELECT ${columns} FROM article a WHERE ${stubs}a.deleted_at IS NULL AND (${terms.join(" OR ")})`, params);
  const exactSet = new Set(exact);
  return rows
    .map(toKnown)
    .filter((a: KnownArticle) => (!opts.cutOffStubsOnly || a.cutOffStub) && (exactSet.has(a.key) || starts.some((p) => a.key.startsWith(p))));
}

function toKnown(row: Record<string, unknown>): KnownArticle {
  const status = row.status as ArticleStatus;
  const title = row.title as string;
  return {
    id: Number(row.id),
    title,
    key: row.title_key as string,
    status,
    publishedAt: fromDbTime(row.published_at),
    cutOffStub: status === ArticleStatus.STUB && isCutOff(title),
    views: Number(row.views),
    lead: (row.lead as string | null) ?? null,
    body: (row.body as string | null) ?? null,
    photoCredit: (row.photo_credit as string | null) ?? null,
    authorId: row.author_id === null || row.author_id === undefined ? null : Number(row.author_id),
    slug: row.slug as string,
    path: row.path as string,
    language: row.language as string,
  };
}

/**
 * Keys a cut-off stub that `key` would complete can have: its own short
 * prefixes exactly, and longer ones through one range on their shared head.
 */
export const STUB_HEAD_LENGTH = 24;

export function completableStubQuery(keys: Iterable<string>): { keys: string[]; prefixes: string[] } {
  const exact: string[] = [];
  const heads: string[] = [];
  for (const key of keys) {
    // Prefixes by code point, each one character longer than the one before.
    let prefix = "";
    let n = 0;
    for (const point of key) {
      if (n > 0) exact.push(prefix.trimEnd());
      prefix += point;
      if (++n === STUB_HEAD_LENGTH) break;
    }
    if (n === STUB_HEAD_LENGTH) heads.push(prefix);
    else exact.push(key);
  }
  return { keys: exact.filter((k) => k !== ""), prefixes: heads };
}
