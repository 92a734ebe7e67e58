import type { EntityManager } from "typeorm";
import { TagKind } from "../../../entities";
import { placeholders } from "../../db/dialect";
import { slugify } from "../../text/slug";
import { ImportCache } from "./importCache";
import { insertedId, insertMany } from "./rows";

/**
 * The author's id, found by the slug of the name or created. The first
 * e-mail a page gives is kept; a later page only fills a missing one, so
 * the order pages come in does not decide it.
 */
export function authorSlug(name: string): string {
  return slugify(name, 80, "author");
}

export async function authorIdFor(m: EntityManager, name: string, email: string | null, cache = new ImportCache()): Promise<number> {
  const slug = authorSlug(name);
  // Cached only once the author has an e-mail, so a page that brings the first one still writes it.
  const cached = cache.get(`author:${slug}`);
  if (cached !== undefined) return cached;
  const [found] = await m.query("SELECT id, email FROM author WHERE slug = ?", [slug]);
  let id: number;
  let hasEmail = email !== null;
  if (found) {
    id = Number(found.id);
    if (email !== null && (found.email === null || found.email === "")) {
      await m.query("UPDATE author SET email = ? WHERE id = ?", [email, id]);
    } else {
      hasEmail = found.email !== null && found.email !== "";
    }
  } else {
    id = insertedId(await m.query("INSERT INTO author (name, slug, email) VALUES (?, ?, ?)", [name, slug, email]));
  }
  if (hasEmail) cache.set(`author:${slug}`, id);
  return id;
}

export interface TagName {
  kind: TagKind;
  name: string;
}

function tagSlug(t: TagName): string {
  return slugify(t.name, 80, t.kind === TagKind.RUBRIC ? "rubric" : "tag");
}

/** A page's tags, one per distinct (kind, slug) in page order, keyed "kind:slug": rubrics and hashtags spelled differently but with the same slug are one tag. */
export function distinctTags(tags: readonly TagName[]): Map<string, TagName & { slug: string }> {
  const wanted = new Map<string, TagName & { slug: string }>();
  for (const t of tags) {
    const slug = tagSlug(t);
    const k = `${t.kind}:${slug}`;
    if (!wanted.has(k)) wanted.set(k, { ...t, slug });
  }
  return wanted;
}

/** Tag ids in page order, one per distinct (kind, slug) (see distinctTags), found or created. */
export async function tagIdsFor(m: EntityManager, tags: TagName[], cache = new ImportCache()): Promise<number[]> {
  const wanted = distinctTags(tags);
  if (wanted.size === 0) return [];
  const cached = [...wanted.keys()].map((k) => cache.get(`tag:${k}`));
  if (cached.every((id) => id !== undefined)) return cached as number[];
  const find = async () => {
    const list = [...wanted.values()];
    const rows: { id: unknown; kind: string; slug: string }[] = await m.query(
      `SELECT id, kind, slug FROM tag WHERE slug IN (${placeholders(list.length)})`,
      list.map((t) => t.slug),
    );
    return new Map(rows.map((r) => [`${r.kind}:${r.slug}`, Number(r.id)]));
  };
  let ids = await find();
  const missing = [...wanted.entries()].filter(([k]) => !ids.has(k)).map(([, t]) => t);
  if (missing.length > 0) {
    await insertMany(m, "tag", ["kind", "name", "slug"], missing.map((t) => [t.kind, t.name, t.slug]));
    ids = await find();
  }
  return [...wanted.keys()].map((k) => {
    const id = ids.get(k);
    if (id === undefined) throw new Error(`The tag ${k} was inserted but cannot be found.`);
    cache.set(`tag:${k}`, id);
    return id;
  });
}
